"""Inbound texts: which conversation an SMS or WhatsApp reply belongs to (the one waiting for it),
what its words do to consent (STOP, START, YES, a free-text request to stop, held for review),
the release of WhatsApp texts held for the window, and who on the team is told."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from candidates import phones
from candidates.models import Application
from messaging import consent
from messaging.models import (
    Channel,
    Consent,
    Conversation,
    ConversationMessage,
    TextContact,
)
from messaging.services.texting import (
    Direction,
    Status,
    append_text,
    conversation_for,
    queue_text,
    record_consent_change,
    release_held,
    text_contact_of,
)
from recruitment import services as core
from recruitment.models import User

# Inbound texts -----------------------------------------------------------------------------


def text_receive(
    *, sid: str, from_number: str, to_number: str, body: str
) -> ConversationMessage | None:
    """An inbound SMS or WhatsApp message, filed in the conversation waiting for it (see
    `waiting_conversation`); None when no candidate has the number. The provider's message id
    makes a repeated delivery a no-op. A text with no sender number, or no id, is refused with a
    ValidationError: it must never land with whoever has no number."""
    with transaction.atomic():
        channel = Channel.WHATSAPP if from_number.startswith("whatsapp:") else Channel.SMS
        phone = _sender_number(from_number)
        our_number = to_number.removeprefix("whatsapp:").strip()
        if not sid.strip():
            raise ValidationError("An inbound text needs the provider's message id.")
        if ConversationMessage.objects.filter(provider_sid=sid).exists():
            return None
        conversation = waiting_conversation(phone=phone, our_number=our_number)
        if conversation is None:
            return None
        contact = text_contact_of(phone, conversation.application.candidate, lock=True)
        try:
            with transaction.atomic():
                message = append_text(
                    conversation,
                    channel=channel,
                    direction=Direction.INBOUND,
                    body=body,
                    status=Status.RECEIVED,
                    from_number=phone,
                    to_number=our_number,
                    provider_sid=sid,
                )
        except IntegrityError:
            return None  # the same delivery, arriving twice at once
        if channel == Channel.WHATSAPP:
            contact.whatsapp_last_inbound_at = timezone.now()
            contact.save(update_fields=["whatsapp_last_inbound_at", "updated_at"])
        _apply_consent_keywords(conversation, contact, body)
        if channel == Channel.WHATSAPP:
            release_held(contact)
        _tell_the_team(conversation, message)
        return message


def _sender_number(address: str) -> str:
    """The E.164 number of a provider address ('+44…' or 'whatsapp:+44…'), or ValidationError."""
    # not mutated: phonenumbers also reads the number after "whatsapp:", and None is as false
    try:
        number = phones.to_e164(address.removeprefix("whatsapp:"))  # pragma: no mutate
    except ValidationError:
        number = ""  # pragma: no mutate
    if not number:
        raise ValidationError(f"“{address}” is not a sender's phone number.")
    return number


# Texts that may have reached the candidate: one that never left cannot be what they answer.
MAY_HAVE_ARRIVED = (Status.SENDING, Status.SENT, Status.DELIVERED, Status.UNKNOWN)


def waiting_conversation(*, phone: str, our_number: str) -> Conversation | None:
    """The conversation an inbound text from `phone` to our `our_number` belongs to (SPEC): the
    one whose invitation or text to that phone, from that sender number, went out last. A
    candidate invited about one job and later submitted for another answers the invitation, not
    the newest application. Failing that, the latest text to that phone from any of our numbers
    (the number may have been replaced), then the candidate's newest application."""
    # not mutated: direction and channel only restate to_number=phone (an inbound text's is our
    # number, an email's an address)
    outbound = ConversationMessage.objects.filter(
        to_number=phone,
        direction=Direction.OUTBOUND,  # pragma: no mutate
        channel__in=(Channel.SMS, Channel.WHATSAPP),  # pragma: no mutate
        status__in=MAY_HAVE_ARRIVED,
    ).order_by("-id")
    latest = (our_number and outbound.filter(from_number=our_number).first()) or outbound.first()
    if latest is not None:
        return latest.conversation
    applications = Application.objects.filter(candidate__phone=phone)
    # not mutated: a merged record has no applications left (they moved to the survivor)
    applications = applications.filter(candidate__merged_into__isnull=True)  # pragma: no mutate
    application = applications.order_by("-created_at", "-id").first()
    return conversation_for(application) if application else None


def _apply_consent_keywords(conversation: Conversation, contact: TextContact, body: str) -> None:
    meaning = consent.classify(body)
    new_state = consent.next_state(contact.sms_consent, meaning)
    if new_state == contact.sms_consent:
        return
    if new_state == Consent.REVIEW:
        contact.state_before_review = consent.state_if_not_a_stop(contact.sms_consent, body)
    record_consent_change(
        conversation, contact, new_state, why=f"the candidate replied “{body.strip()[:40]}”"
    )
    reply = {"opt_out": consent.OPT_OUT_CONFIRMATION, "opt_in": consent.OPT_IN_CONFIRMATION}.get(
        meaning
    )
    if reply:
        queue_text(
            conversation,
            contact,
            actor=None,
            channel=Channel.SMS,
            body=reply.format(company=settings.EMPLOYER_NAME),
        )


@transaction.atomic
def review_resolve(*, actor: User, application: Application, opt_out: bool) -> None:
    """A person decides what a free-text 'please stop' meant."""
    candidate = application.candidate
    contact = (
        TextContact.objects.select_for_update(of=("self",))
        .select_related("candidate")
        .filter(phone=candidate.phone)
        .first()
    )
    if contact is None or contact.seen_by(candidate).sms_consent != Consent.REVIEW:
        return
    new_state = Consent.OPTED_OUT if opt_out else (contact.state_before_review or Consent.OPTED_IN)
    why = "reviewed: treated as an opt-out" if opt_out else "reviewed: not a request to stop"
    record_consent_change(conversation_for(application), contact, new_state, actor=actor, why=why)


def _tell_the_team(conversation: Conversation, message: ConversationMessage) -> None:
    """Team members who took part in the conversation, and still see it, hear that the candidate
    answered (one taken off the job's hiring team since does not)."""
    authors = ConversationMessage.objects.filter(
        conversation=conversation, author__isnull=False
    ).values("author")
    application = conversation.application
    people = [
        user
        for user in User.objects.filter(pk__in=authors, is_active=True)
        if Application.objects.visible_to(user).filter(pk=application.pk).exists()
    ]
    url = reverse("messaging:application-texts", kwargs={"public_id": application.public_id})
    core.notify(
        users=people,
        text=f"{application.candidate} answered by {message.get_channel_display()}",
        url=url,
    )
