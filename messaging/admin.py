from django.contrib import admin

from messaging.models import Attachment, Message, ReadMarker, Thread


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "agency", "candidate", "created_by", "last_message_at"]
    list_filter = ["kind", "agency"]
    search_fields = ["subject", "candidate__last_name", "agency__name"]
    list_select_related = ["agency", "candidate", "created_by", "employer_user", "agency_user"]
    raw_id_fields = ["candidate", "employer_user", "agency_user", "created_by"]
    readonly_fields = ["public_id", "last_message_id", "last_message_at"]
    show_full_result_count = False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Message bodies are a record: read-only here, deleted only by their author in the app."""

    list_display = ["created_at", "author", "thread", "deleted_at"]
    list_filter = ["deleted_at"]
    search_fields = ["author__email"]
    list_select_related = ["author", "thread"]
    readonly_fields = [
        "public_id",
        "thread",
        "agency",
        "author",
        "body",
        "created_at",
        "deleted_at",
    ]
    exclude = ["search"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "size", "thread", "message"]
    search_fields = ["name"]
    raw_id_fields = ["message", "thread"]


@admin.register(ReadMarker)
class ReadMarkerAdmin(admin.ModelAdmin):
    list_display = ["thread", "user", "last_read_id", "last_notified_id"]
    raw_id_fields = ["thread", "user"]
