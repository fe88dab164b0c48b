from django.contrib import admin

from messaging.models import (
    Attachment,
    Conversation,
    ConversationMessage,
    ConversationReadMarker,
    Message,
    ReadMarker,
    Seat,
    SenderNumber,
    TextContact,
    TextingPlan,
    Thread,
)


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


@admin.register(TextingPlan)
class TextingPlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "seats"]


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ["user", "assigned_by", "assigned_at"]
    list_select_related = ["user", "assigned_by"]
    raw_id_fields = ["user", "assigned_by"]


@admin.register(SenderNumber)
class SenderNumberAdmin(admin.ModelAdmin):
    list_display = ["number", "country", "is_active", "added_at"]
    list_filter = ["country", "is_active"]
    search_fields = ["number"]
    raw_id_fields = ["added_by"]


@admin.register(TextContact)
class TextContactAdmin(admin.ModelAdmin):
    list_display = ["phone", "sms_consent", "sender", "whatsapp_last_inbound_at", "updated_at"]
    list_filter = ["sms_consent"]
    search_fields = ["phone"]
    raw_id_fields = ["sender"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "last_message_at"]
    raw_id_fields = ["application"]
    show_full_result_count = False


@admin.register(ConversationMessage)
class ConversationMessageAdmin(admin.ModelAdmin):
    """A record of what was said to a candidate: read-only."""

    list_display = ["created_at", "channel", "direction", "status", "to_number", "author"]
    list_filter = ["channel", "direction", "status"]
    search_fields = ["to_number", "from_number", "provider_sid"]
    list_select_related = ["author"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConversationReadMarker)
class ConversationReadMarkerAdmin(admin.ModelAdmin):
    list_display = ["conversation", "user", "last_read_id"]
    raw_id_fields = ["conversation", "user"]
