from django.contrib import admin
from django.db import models

from agencies import services
from agencies.models import Agency, Invitation, JobAssignment, Membership, agency_id_of
from recruitment import admin_base
from recruitment.models import Role, User


@admin.register(User)
class UserAdmin(admin_base.ModelAdmin):
    """Names and access levels change through services.user_update and disabling through
    services.user_disable / user_enable, with the checks of the Users page: an agency user stays
    on the agency side, nobody changes their own access, the last active Owner stays one. Users
    join by invitation and are disabled, never deleted; their email is their login."""

    list_display = [
        "email",
        "full_name",
        "role",
        "country",
        "is_active",
        "date_joined",
        "last_login",
    ]
    list_filter = ["role", "is_active", "country"]
    search_fields = ["email", "first_name", "last_name"]
    fields = [
        "email",
        "first_name",
        "last_name",
        "role",
        "is_active",
        "country",
        "public_id",
        "date_joined",
        "last_login",
    ]
    exclude = ["password"]
    editable_fields = ["first_name", "last_name", "role", "is_active"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "role" in form.base_fields:
            allowed = {obj.role, *services.grantable_roles(actor=request.user, user=obj)}
            form.base_fields["role"].choices = [
                (value, label) for value, label in Role.choices if value in allowed
            ]
        return form

    def save_changes(self, request, form):
        user, data, changed = form.instance, form.cleaned_data, set(form.changed_data)
        if changed & {"first_name", "last_name", "role"}:
            user = services.user_update(
                actor=request.user,
                user=user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
            )
        if "is_active" in changed:
            set_active = services.user_enable if data["is_active"] else services.user_disable
            user = set_active(actor=request.user, user=user)
        return user

    def audit_agency_id(self, obj):
        return agency_id_of(obj)


class MembershipInline(admin_base.ReadOnlyTabularInline):
    model = Membership
    fields = ["user", "created_at"]
    readonly_fields = fields


@admin.register(Agency)
class AgencyAdmin(admin_base.ModelAdmin):
    """Name, country and website are plain details; disabling goes through
    services.agency_disable / agency_enable, which cut the agency's users off. Its users and
    their memberships change only in the app."""

    list_display = ["name", "country", "is_active", "created_at"]
    list_filter = ["is_active", "country"]
    search_fields = ["name"]
    editable_fields = ["name", "country", "website", "is_active"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [MembershipInline]

    def save_changes(self, request, form):
        agency, changed = form.instance, set(form.changed_data)
        if details := sorted(changed - {"is_active"}):
            agency.save(update_fields=details)
        if "is_active" in changed:
            active = form.cleaned_data["is_active"]
            set_active = services.agency_enable if active else services.agency_disable
            agency = set_active(actor=request.user, agency=agency)
        return agency

    def audit_agency_id(self, obj):
        return obj.pk


@admin.register(Invitation)
class InvitationAdmin(admin_base.ModelAdmin):
    """Invitations are sent from the app (Users, Team); here they can be revoked."""

    list_display = [
        "email",
        "role",
        "agency",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role", "agency"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["agency", "invited_by"]
    exclude = ["token_hash"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected invitations")
    def revoke(self, request, queryset):
        for invitation in queryset:
            services.invitation_revoke(actor=request.user, invitation=invitation)
        self.message_user(request, "The selected invitations that were pending are revoked.")


@admin.register(JobAssignment)
class JobAssignmentAdmin(admin_base.ModelAdmin):
    """Jobs are sent to agencies from the job page; here they can be withdrawn."""

    list_display = [
        "job",
        "agency",
        "assigned_by",
        "assigned_at",
        "max_submissions",
        "fee_percent",
        "withdrawn_at",
    ]
    list_filter = ["agency", "withdrawn_at"]
    search_fields = ["job__title", "job__ref", "agency__name"]
    list_select_related = ["job", "agency", "assigned_by"]
    actions = ["withdraw"]

    @admin.action(description="Withdraw the selected jobs from their agencies")
    def withdraw(self, request, queryset):
        for assignment in queryset.select_related("job", "agency"):
            services.assignment_withdraw(actor=request.user, assignment=assignment)
        self.message_user(request, "The selected jobs are withdrawn from their agencies.")


@admin.register(Membership)
class MembershipAdmin(admin_base.ModelAdmin):
    """Which agency a user belongs to decides what they see: it is set by their invitation."""

    list_display = ["user", "agency", "created_at"]
    list_filter = ["agency"]
    search_fields = ["user__email", "user__last_name", "agency__name"]
    list_select_related = ["user", "agency"]
