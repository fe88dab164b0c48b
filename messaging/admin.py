import json

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html

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
from messaging.services import seats
from recruitment import admin_base, selectors
from recruitment.models import AuditEvent

PRIVATE = Thread.Kind.PRIVATE
THREAD_COLUMNS = [
    "thread__candidate",
    "thread__agency",
    "thread__employer_user",
    "thread__agency_user",
]


# Threads: who takes part decides who reads, so membership is read-only here. Of a private thread
# the admin shows that it exists, its two participants and its dates, never what was said (SPEC):
# its messages and attachments are left out of their admins altogether, so that no list, page,
# search, URL filter or autocomplete reaches them.


@admin.register(Thread)
class ThreadAdmin(admin_base.ModelAdmin):
    list_display = ["__str__", "kind", "agency", "candidate", "created_by", "last_message_at"]
    list_filter = ["kind", "agency"]
    search_fields = [
        "candidate__last_name",
        "agency__name",
        "employer_user__email",
        "agency_user__email",
    ]
    list_select_related = ["agency", "candidate", "created_by", "employer_user", "agency_user"]
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and obj.kind == PRIVATE:
            return [name for name in fields if name != "subject"]
        return fields


@admin.register(Message)
class MessageAdmin(admin_base.ModelAdmin):
    """Message bodies are a record: read-only here, deleted only by their author in the app."""

    list_display = ["created_at", "author", "thread", "excerpt", "deleted_at"]
    list_filter = ["deleted_at"]
    search_fields = ["author__email"]
    list_select_related = ["author", *THREAD_COLUMNS]
    exclude = ["search"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(thread__kind=PRIVATE)

    @admin.display(description="message")
    def excerpt(self, message):
        return message.body[:80]


@admin.register(Attachment)
class AttachmentAdmin(admin_base.ModelAdmin):
    list_display = ["name", "size", "thread", "message"]
    search_fields = ["name"]
    list_select_related = ["message__author", *THREAD_COLUMNS]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(thread__kind=PRIVATE)


@admin.register(ReadMarker)
class ReadMarkerAdmin(admin_base.ModelAdmin):
    list_display = ["thread", "user", "last_read_id", "last_notified_id"]
    list_select_related = ["user", *THREAD_COLUMNS]


# Texting: seats within the purchased count and sender numbers through messaging.services.seats,
# as on Settings; consent changes only by the candidate's own words or
# texting_inbound.review_resolve.


@admin.register(TextingPlan)
class TextingPlanAdmin(admin_base.ModelAdmin):
    """The purchased seat count: set by the operator with `manage.py texting_seats` (README)."""

    list_display = ["__str__", "seats"]


@admin.register(Seat)
class SeatAdmin(admin_base.ModelAdmin):
    list_display = ["user", "assigned_by", "assigned_at"]
    list_select_related = ["user", "assigned_by"]
    addable_fields = ["user"]
    deletable = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = selectors.employer_users(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_changes(self, request, form):
        return seats.seat_assign(actor=request.user, user=form.cleaned_data["user"])

    def delete_through_services(self, request, obj):
        seats.seat_revoke(actor=request.user, user=obj.user)


@admin.register(SenderNumber)
class SenderNumberAdmin(admin_base.ModelAdmin):
    list_display = ["number", "country", "is_active", "added_at"]
    list_filter = ["country", "is_active"]
    search_fields = ["number"]
    addable_fields = ["number"]
    editable_fields = ["is_active"]

    def save_changes(self, request, form):
        if form.instance.pk is None:
            return seats.sender_number_add(actor=request.user, number=form.cleaned_data["number"])
        active = form.cleaned_data["is_active"]
        seats.sender_number_set_active(actor=request.user, sender=form.instance, active=active)
        return form.instance


@admin.register(TextContact)
class TextContactAdmin(admin_base.ModelAdmin):
    list_display = [
        "phone",
        "sms_consent",
        "candidate",
        "sender",
        "whatsapp_last_inbound_at",
        "updated_at",
    ]
    list_filter = ["sms_consent"]
    search_fields = ["phone"]
    list_select_related = ["sender", "candidate"]


@admin.register(Conversation)
class ConversationAdmin(admin_base.ModelAdmin):
    list_display = ["__str__", "last_message_at"]
    list_select_related = ["application__candidate", "application__job"]
    show_full_result_count = False


@admin.register(ConversationMessage)
class ConversationMessageAdmin(admin_base.ModelAdmin):
    """A record of what was said to a candidate."""

    list_display = ["created_at", "channel", "direction", "status", "to_number", "author"]
    list_filter = ["channel", "direction", "status"]
    search_fields = ["to_number", "from_number", "provider_sid"]
    list_select_related = ["author"]
    show_full_result_count = False


@admin.register(ConversationReadMarker)
class ConversationReadMarkerAdmin(admin_base.ModelAdmin):
    list_display = ["conversation", "user", "last_read_id"]
    list_select_related = ["user", "conversation__application__candidate"]


# The audit log: registered here because only messaging knows which threads are private --------

SHOWN_OF_PRIVATE = {"thread", "sent_at", "private_thread"}


@admin.register(AuditEvent)
class AuditEventAdmin(admin_base.ModelAdmin):
    """Read-only (the database refuses changes anyway). Deleted messages of private threads stay
    in the log, but what was said is never shown here, nor usable as a URL filter."""

    list_display = ["created_at", "actor_label", "action", "summary"]
    list_filter = ["action"]
    search_fields = ["actor_label", "summary", "object_id"]
    date_hierarchy = "created_at"
    exclude = ["data"]
    readonly_fields = ["details"]

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description="data")
    def details(self, event):
        data = event.data
        if _of_a_private_thread(event):
            data = {
                key: value if key in SHOWN_OF_PRIVATE else "(private thread: not shown)"
                for key, value in data.items()
            }
        return format_html(
            '<pre class="audit-data">{}</pre>', json.dumps(data, indent=2, ensure_ascii=False)
        )


def _of_a_private_thread(event: AuditEvent) -> bool:
    """Message deletions carry "private_thread"; older ones did not, so a deletion counts as
    private unless its thread is known and not private."""
    if event.data.get("private_thread"):
        return True
    if event.action != "message.deleted":
        return False
    try:
        public = Thread.objects.exclude(kind=PRIVATE).filter(public_id=event.data.get("thread"))
        return not public.exists()
    except ValidationError:  # not a thread's id
        return True
