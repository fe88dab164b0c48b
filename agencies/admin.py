from django.contrib import admin

from agencies.models import Agency, Invitation, JobAssignment, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "is_active", "created_at"]
    list_filter = ["is_active", "country"]
    search_fields = ["name"]
    readonly_fields = ["public_id", "created_at"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
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
    readonly_fields = ["public_id", "token_hash", "accepted_user", "created_at"]


@admin.register(JobAssignment)
class JobAssignmentAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ["job", "agency", "assigned_by", "withdrawn_by"]
    readonly_fields = ["public_id"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "created_at"]
    list_filter = ["agency"]
    search_fields = ["user__email", "user__last_name", "agency__name"]
    list_select_related = ["user", "agency"]
    autocomplete_fields = ["user", "agency"]
