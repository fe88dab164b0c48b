from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.models import Group

from recruitment import admin_base, selectors, services
from recruitment.models import Job, Notification, PendingTask

admin.site.site_header = "Recruitment portal administration"
# Roles are the only permissions here: groups would do nothing.
admin.site.unregister(Group)
# The User admin is registered by agencies/admin.py (it changes users through agencies.services)
# and the audit log's by messaging/admin.py (it knows which threads are private).


@admin.register(Job)
class JobAdmin(admin_base.ModelAdmin):
    """Changed through services.job_update, as the job page does: the coordinator stays on the
    hiring team, and only employer users sit on it."""

    list_display = [
        "ref",
        "title",
        "status",
        "location",
        "country",
        "category",
        "coordinator",
        "created_at",
    ]
    list_filter = [
        "status",
        "category",
        "function",
        "experience_level",
        "employment_type",
        "country",
    ]
    search_fields = ["title", "ref", "location"]
    list_select_related = ["coordinator"]
    filter_horizontal = ["hiring_team"]
    editable_fields = [*services.JOB_FIELDS, "hiring_team"]
    date_hierarchy = "created_at"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "coordinator":
            kwargs["queryset"] = selectors.employer_users(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "hiring_team":
            kwargs["queryset"] = selectors.employer_users(user=request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_changes(self, request, form):
        data = form.cleaned_data
        fields = {name: data[name] for name in services.JOB_FIELDS}
        return services.job_update(
            actor=request.user, job=form.instance, hiring_team=data["hiring_team"], **fields
        )


@admin.register(Notification)
class NotificationAdmin(admin_base.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["user__email", "text"]
    list_select_related = ["user"]


@admin.register(PendingTask)
class PendingTaskAdmin(admin_base.ModelAdmin):
    """Tasks waiting for the broker to come back; they leave this list once sent."""

    list_display = ["created_at", "name", "eta", "error"]
    search_fields = ["name", "error"]


# allauth's addresses decide where login codes go: they change only with the user's own email.
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(admin_base.ModelAdmin):
    list_display = ["email", "user", "primary", "verified"]
    list_filter = ["primary", "verified"]
    search_fields = ["email", "user__email"]
    list_select_related = ["user"]
