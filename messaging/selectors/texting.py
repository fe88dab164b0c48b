from datetime import datetime, timedelta

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from candidates.models import Application
from messaging.models import (
    Conversation,
    ConversationMessage,
    Seat,
    SenderNumber,
    TextContact,
    TextingPlan,
)
from recruitment.models import EMPLOYER_ROLES, Job, User
from recruitment.selectors import get_from_input_or_404

WHATSAPP_WINDOW = timedelta(hours=24)


def has_seat(user: User) -> bool:
    return user.is_employer and Seat.objects.filter(user=user).exists()


def whatsapp_window_open(contact: TextContact, now: datetime | None = None) -> bool:
    last = contact.whatsapp_last_inbound_at
    return last is not None and (now or timezone.now()) - last < WHATSAPP_WINDOW


def conversation_list(*, user: User, filters: dict) -> QuerySet[Conversation]:
    mine = FilteredRelation("read_markers", condition=Q(read_markers__user=user))
    conversations = (
        Conversation.objects.visible_to(user)
        .filter(last_message_id__gt=0)
        .annotate(my_marker=mine)
        .annotate(read_up_to=Coalesce("my_marker__last_read_id", Value(0)))
        .annotate(unread=Q(last_message_id__gt=F("read_up_to")))
        .select_related("application__candidate", "application__job")
    )
    if channel := filters.get("channel"):
        on_channel = ConversationMessage.objects.filter(
            conversation=OuterRef("pk"), channel=channel
        )
        conversations = conversations.filter(Exists(on_channel))
    if job := filters.get("job"):
        conversations = conversations.filter(application__job=job)
    if filters.get("unread"):
        conversations = conversations.filter(last_message_id__gt=F("read_up_to"))
    return conversations.order_by("-last_message_at", "-id")


def attach_last_texts(conversations: list[Conversation]) -> list[Conversation]:
    """Each conversation's newest message as `conversation.last_message`, in one query."""
    ids = [conversation.last_message_id for conversation in conversations]
    messages = ConversationMessage.objects.in_bulk(ids) if ids else {}
    for conversation in conversations:
        conversation.last_message = messages.get(conversation.last_message_id)
    return conversations


def _textable_applications(user: User) -> QuerySet[Application]:
    return Application.objects.visible_to(user).filter(candidate__merged_into__isnull=True)


def texting_application(*, user: User, public_id) -> Application:
    return get_object_or_404(
        _textable_applications(user).select_related("candidate", "job", "agency"),
        public_id=public_id,
    )


def outbound_text_get(*, user: User, public_id) -> ConversationMessage:
    """A text to a candidate, in a conversation of an application the user may text about."""
    texts = ConversationMessage.objects.filter(
        conversation__application__in=_textable_applications(user),
        direction=ConversationMessage.Direction.OUTBOUND,
    )
    return get_object_or_404(
        texts.select_related("conversation__application__candidate"), public_id=public_id
    )


def application_conversation(*, application: Application) -> Conversation | None:
    return Conversation.objects.filter(application=application).first()


def conversation_messages(
    *, conversation: Conversation | None, channel: str = ""
) -> list[ConversationMessage]:
    if conversation is None:
        return []
    messages = ConversationMessage.objects.filter(conversation=conversation).select_related(
        "author"
    )
    return list(messages.filter(channel=channel) if channel else messages)


def scheduled_invitation(*, conversation: Conversation | None) -> ConversationMessage | None:
    if conversation is None:
        return None
    return (
        ConversationMessage.objects.filter(
            conversation=conversation,
            invitation=True,
            status=ConversationMessage.Status.SCHEDULED,
        )
        .order_by("-id")
        .first()
    )


def text_contact(*, application: Application) -> TextContact | None:
    """The number's texting state as it holds for the application's candidate (seen_by)."""
    candidate = application.candidate
    if not candidate.phone:
        return None
    contacts = TextContact.objects.select_related("sender", "candidate")
    contact = contacts.filter(phone=candidate.phone).first()
    return contact.seen_by(candidate) if contact else None


def seat_holders(*, user: User) -> QuerySet[User]:
    if not user.is_owner:
        return User.objects.none()
    seat = Seat.objects.filter(user=OuterRef("pk"))
    employer = User.objects.filter(role__in=sorted(EMPLOYER_ROLES), is_active=True)
    return employer.annotate(has_seat=Exists(seat)).order_by("-has_seat", "first_name", "last_name")


def seat_user(*, user: User, public_id) -> User:
    return get_from_input_or_404(seat_holders(user=user), public_id=public_id)


def sender_numbers(*, user: User) -> QuerySet[SenderNumber]:
    return SenderNumber.objects.all() if user.is_owner else SenderNumber.objects.none()


def sender_number_get(*, user: User, public_id) -> SenderNumber:
    return get_object_or_404(sender_numbers(user=user), public_id=public_id)


def console_texts(*, user: User) -> QuerySet[ConversationMessage]:
    """What the console provider 'sent', newest first, in the conversations the user may see."""
    return (
        ConversationMessage.objects.filter(
            conversation__in=Conversation.objects.visible_to(user),
            direction=ConversationMessage.Direction.OUTBOUND,
        )
        .exclude(channel="email")
        .select_related("conversation__application__candidate")
        .order_by("-id")
    )


def console_reply_number(*, user: User, phone: str) -> str | None:
    """Our number a simulated reply from `phone` goes to: the one that last texted them in a
    conversation the user may see ('' if none did). None when no candidate the user may see
    has the number."""
    visible = Application.objects.visible_to(user).filter(
        candidate__phone=phone, candidate__merged_into__isnull=True
    )
    if not visible.exists():
        return None
    latest = console_texts(user=user).filter(to_number=phone).exclude(from_number="").first()
    return latest.from_number if latest else ""


def conversation_jobs(*, user: User) -> QuerySet[Job]:
    return Job.objects.visible_to(user).order_by("title")


def texting_plan(*, user: User) -> TextingPlan:
    if not user.is_owner:
        raise Http404
    return TextingPlan.current()
