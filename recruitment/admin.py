from django.contrib import admin

from recruitment.models import AuditEvent, Job, Notification, PendingTask, User

admin.site.site_header = "Recruitment portal administration"


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
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
    readonly_fields = ["public_id", "password", "last_login", "date_joined"]
    fields = ["email", "first_name", "last_name", "role", "country", "is_active", *readonly_fields]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ["coordinator", "created_by"]
    filter_horizontal = ["hiring_team"]
    readonly_fields = ["public_id", "ref", "created_at", "updated_at"]
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["user__email", "text"]
    list_select_related = ["user"]
    readonly_fields = ["public_id"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the database refuses changes anyway."""

    list_display = ["created_at", "actor_label", "action", "summary"]
    list_filter = ["action"]
    search_fields = ["actor_label", "summary", "object_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PendingTask)
class PendingTaskAdmin(admin.ModelAdmin):
    """Tasks waiting for the broker to come back; they leave this list once sent."""

    list_display = ["created_at", "name", "eta", "error"]
    search_fields = ["name", "error"]
    readonly_fields = ["name", "kwargs", "eta", "error", "created_at"]

    def has_add_permission(self, request):
        return False
