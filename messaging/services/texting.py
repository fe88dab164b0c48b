"""Services for texting candidates (SMS, WhatsApp) and emailing them, in one conversation per
application: invitations, texts and the WhatsApp window, inbound texts and their consent keywords.
Every change of consent is shown in the conversation and written to the audit log. The worker's
side of a text is in texting_delivery.py, seats and sender numbers in seats.py."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from candidates import phones
from candidates.models import Application
from messaging import consent, tasks
from messaging.models import (
    Channel,
    Consent,
    Conversation,
    ConversationMessage,
    ConversationReadMarker,
    TextContact,
)
from messaging.quiet_hours import QuietHours, quiet_hours_check
from messaging.selectors.texting import WHATSAPP_WINDOW, has_seat, whatsapp_window_open
from messaging.services.seats import choose_sender
from recruitment import services as core
from recruitment.models import User

Status = ConversationMessage.Status
Direction = ConversationMessage.Direction
INVITATION = (
    "Hi {first_name}, this is {company} about your application for {job}. May we text you here? "
    "Reply YES to agree or STOP to opt out."
)
WHATSAPP_TEMPLATE = (
    "{company} would like to reach you on behalf of {company} about {job}. Since the team can only reach you "
    "within a day of your last message, please reply to continue receiving updates. Ignore to no longer "
    "receive updates."
)


# Conversations -----------------------------------------------------------------------------


def conversation_for(application: Application) -> Conversation:
    conversation, _created = Conversation.objects.get_or_create(application=application)
    return conversation


def contact_for(application: Application) -> TextContact:
    candidate = application.candidate
    if not candidate.phone:
        raise ValidationError("This candidate has no phone number.")
    return _text_contact(candidate.phone, candidate)


def _text_contact(phone: str, candidate, *, lock: bool = False) -> TextContact:
    """The number's contact row as it holds for `candidate` (TextContact.seen_by). Their consent
    at submission counts however the row came to be (a candidate may text before anyone texted
    them), but never takes another person's consent from them unasked."""
    contacts = TextContact.objects.select_related("candidate")
    if lock:
        contacts = contacts.select_for_update(of=("self",))
    contact, _created = contacts.get_or_create(
        phone=phone, defaults={"candidate": candidate, "sms_consent": Consent.NONE}
    )
    contact.seen_by(candidate)
    if (
        contact.passed_from is None
        and contact.sms_consent == Consent.NONE
        and contact.consented_at_submission(candidate)
    ):
        contact.sms_consent = Consent.CONSENTED
        contact.save(update_fields=["sms_consent", "candidate", "updated_at"])
    return contact


def _append(conversation: Conversation, **fields) -> ConversationMessage:
    message = ConversationMessage.objects.create(conversation=conversation, **fields)
    Conversation.objects.filter(pk=conversation.pk, last_message_id__lt=message.pk).update(
        last_message_id=message.pk, last_message_at=message.created_at
    )
    conversation.last_message_id, conversation.last_message_at = message.pk, message.created_at
    return message


def _consent_changed(
    conversation: Conversation, contact: TextContact, new_state: str, *, actor=None, why: str
):
    previous = contact.get_sms_consent_display()
    contact.sms_consent = new_state
    contact.save(
        update_fields=[
            "candidate", "sms_consent", "state_before_review", "invited_at", "updated_at"
        ]
    )  # fmt: skip
    if new_state == Consent.OPTED_OUT:
        _held(contact).update(
            status=Status.FAILED, failure_reason="Not sent: the candidate opted out."
        )
    text = f"SMS consent: {previous} → {contact.get_sms_consent_display()} ({why})"
    _consent_event(conversation, text)
    application = conversation.application
    summary, data = f"{application.candidate}: {text}", {"state": new_state}
    if holder := contact.passed_from:
        theirs = Consent(contact.passed_from_state).label.lower()
        summary += f"; the number's consent was {holder}'s ({theirs}) and does not carry over"
        data |= {"was_for": str(holder.public_id), "their_state": contact.passed_from_state}
        _tell_the_previous_holder(contact, holder, why)
    core.audit_record(
        actor=actor, action="consent.changed", obj=application, agency_id=application.agency_id,
        summary=summary, data=data,
    )  # fmt: skip


def _consent_event(conversation: Conversation, text: str) -> None:
    _append(
        conversation,
        channel=Channel.SMS,
        direction=Direction.EVENT,
        body=text,
        status=Status.RECEIVED,
    )


def _tell_the_previous_holder(contact: TextContact, holder, why: str) -> None:
    """The person whose consent the number carried sees in their conversation what holds for
    them now (never who the other person is: another job's team may be reading)."""
    before = contact.passed_from_state
    contact.passed_from, contact.passed_from_state = None, ""
    now = TextContact.objects.select_related("candidate").get(pk=contact.pk).seen_by(holder)
    conversation = (
        Conversation.objects.filter(application__candidate=holder, last_message_id__gt=0)
        .order_by("-last_message_at", "-id")
        .first()
    )
    if conversation is None or now.sms_consent == before:
        return
    _consent_event(
        conversation,
        f"SMS consent: {Consent(before).label} → {now.get_sms_consent_display()} (through this "
        f"number's conversation with someone else: {why})",
    )


# Sending -----------------------------------------------------------------------------------


def _require_seat(actor: User) -> None:
    if not has_seat(actor):
        raise PermissionDenied("Sending texts needs a texting seat. An Owner can give you one.")


def text_invite(*, actor: User, application: Application, night: str = "") -> ConversationMessage:
    """The second step of the SMS double opt-in: ask the candidate to reply YES. At night it is
    a text like any other: `QuietHours` unless night="send" or night="morning"."""
    with transaction.atomic():
        _require_seat(actor)
        contact = contact_for(application)
        if not consent.can_invite(contact.sms_consent):
            raise ValidationError(
                f"An invitation cannot be sent: {contact.get_sms_consent_display().lower()}."
            )
        scheduled_for = _when_to_send(contact, night)
        conversation = conversation_for(application)
        body = INVITATION.format(
            first_name=application.candidate.first_name,
            company=settings.EMPLOYER_NAME,
            job=application.job.title,
        )
        message = _queue(
            conversation,
            contact,
            actor=actor,
            channel=Channel.SMS,
            body=body,
            invitation=True,
            scheduled_for=scheduled_for,
        )
        contact.invited_at = timezone.now()
        again = contact.sms_consent == Consent.INVITED
        if scheduled_for:
            why = f"invitation scheduled for {dateformat.format(scheduled_for, 'D H:i T')}"
        else:
            why = "invitation re-sent" if again else "invitation sent"
        _consent_changed(conversation, contact, Consent.INVITED, actor=actor, why=why)
        return message


def _when_to_send(contact: TextContact, night: str) -> datetime | None:
    """None (now), or the candidate's morning when the sender chose to wait for it; at night
    without a choice, QuietHours. Automatic replies (to STOP, START) skip this: the candidate
    has just written."""
    try:
        quiet_hours_check(contact.phone)
    except QuietHours as quiet:
        if night == "morning":
            return quiet.morning
        if night != "send":
            raise
    return None


def text_send(
    *,
    actor: User,
    application: Application,
    channel: str,
    body: str,
    night: str = "",
    keep_text: bool = True,
) -> ConversationMessage:
    """Queue an SMS or WhatsApp message, and return it. At night (`QuietHours`) the sender must
    choose night="send" (now anyway) or night="morning" (scheduled for 8:00 their time).

    WhatsApp outside the 24-hour window: the approved invitation template goes out (unless one
    sent earlier still waits for an answer) and the typed text is held, to be sent once when the
    candidate answers (`_release_held`); the held text is returned. keep_text=False sends and
    returns the template only."""
    with transaction.atomic():
        _require_seat(actor)
        body = _as_counted(body)
        if not body:
            raise ValidationError({"body": "Write a message."})
        if len(body) > settings.TEXT_MAX_LENGTH:
            raise ValidationError(
                {
                    "body": f"Texts can be up to {settings.TEXT_MAX_LENGTH} characters ({len(body)} now)."
                }
            )
        contact = contact_for(application)
        _check_channel_allows(contact, channel)
        scheduled_for = _when_to_send(contact, night)
        conversation = conversation_for(application)
        # A text scheduled for the morning meets the window as it will be then.
        if channel == Channel.SMS or whatsapp_window_open(contact, scheduled_for):
            return _queue(
                conversation,
                contact,
                actor=actor,
                channel=channel,
                body=body,
                scheduled_for=scheduled_for,
            )
        return _send_outside_the_window(
            conversation,
            contact,
            actor=actor,
            body=body,
            keep_text=keep_text,
            scheduled_for=scheduled_for,
        )


def _send_outside_the_window(
    conversation, contact, *, actor, body, keep_text, scheduled_for
) -> ConversationMessage:
    """The WhatsApp template (unless one still waits for an answer), and the text held."""
    waiting = _template_waiting(contact)
    if waiting is None:
        job = conversation.application.job.title
        waiting = _queue(
            conversation,
            contact,
            actor=actor,
            channel=Channel.WHATSAPP,
            template=True,
            body=WHATSAPP_TEMPLATE.format(company=settings.EMPLOYER_NAME, job=job),
            scheduled_for=scheduled_for,
        )
    elif not keep_text:
        sent = dateformat.format(timezone.localtime(waiting.created_at), "M j, H:i")
        raise ValidationError(
            f"The WhatsApp invitation sent {sent} is still waiting for an answer."
        )
    if not keep_text:
        return waiting
    return _append(
        conversation,
        channel=Channel.WHATSAPP,
        direction=Direction.OUTBOUND,
        author=actor,
        body=body,
        status=Status.HELD,
        from_number=choose_sender(contact).number,
        to_number=contact.phone,
    )


HOLD_FOR = timedelta(days=7)


def _held(contact: TextContact):
    return ConversationMessage.objects.filter(
        to_number=contact.phone, channel=Channel.WHATSAPP, status=Status.HELD
    )


def _release_held(contact: TextContact) -> None:
    """The candidate wrote on WhatsApp, so the window is open: the texts held for it go out, each
    at most once (claimed held -> queued by a conditional UPDATE; the worker re-checks consent).
    One held for more than HOLD_FOR is stale news and is not sent; while a stop request waits
    for review they stay held."""
    if contact.sms_consent == Consent.REVIEW:
        return
    _held(contact).filter(created_at__lt=timezone.now() - HOLD_FOR).update(
        status=Status.FAILED,
        failure_reason=f"Not sent: the candidate did not answer within {HOLD_FOR.days} days.",
    )
    for message_id in _held(contact).order_by("id").values_list("pk", flat=True):
        if ConversationMessage.objects.filter(pk=message_id, status=Status.HELD).update(
            status=Status.QUEUED
        ):
            tasks.text_message_send.delay_on_commit(message_id=message_id)


@transaction.atomic
def text_cancel_held(*, actor: User, text: ConversationMessage) -> ConversationMessage:
    """Cancel a WhatsApp text held behind the invitation template, before it goes. Whoever may
    send may cancel (the view finds the text among the conversations the actor may text on). The
    same conditional UPDATE as the release (`_release_held`) claims the row, so of a cancel and a
    release at the same moment exactly one happens; otherwise ValidationError says what became of
    the text. A cancelled text stays in the conversation, marked as such, with who cancelled it."""
    _require_seat(actor)
    cancelled = ConversationMessage.objects.filter(pk=text.pk, status=Status.HELD).update(
        status=Status.CANCELLED, failure_reason=f"by {actor}"[:300]
    )
    text.refresh_from_db()
    if not cancelled:
        raise ValidationError(_why_not_cancelled(text))
    application = text.conversation.application
    core.audit_record(
        actor=actor, action="text.cancelled", obj=application, agency_id=application.agency_id,
        summary=f"{application.candidate}: cancelled a WhatsApp text held for the invitation",
        data={"text": str(text.public_id)},
    )  # fmt: skip
    return text


def _why_not_cancelled(text: ConversationMessage) -> str:
    if text.status == Status.CANCELLED:
        return "This text was already cancelled."
    if text.status == Status.FAILED:
        return f"This text was not sent: {text.failure_reason.removeprefix('Not sent: ')}"
    return "Too late to cancel: the candidate answered and the text has gone out."


def _as_counted(body: str) -> str:
    """The text as the page's counter counts it: characters are code points (an emoji is one),
    a line break is one (browsers post CRLF), and no-break spaces are plain ones (GSM-7 has
    none, so one would make the whole text Unicode, at 70 characters a segment)."""
    return body.replace("\r\n", "\n").replace("\xa0", " ").strip()


def _template_waiting(contact: TextContact) -> ConversationMessage | None:
    """A WhatsApp invitation template sent within the last 24 hours and not answered since."""
    templates = ConversationMessage.objects.filter(
        to_number=contact.phone,
        channel=Channel.WHATSAPP,
        direction=Direction.OUTBOUND,
        template=True,
        created_at__gte=timezone.now() - WHATSAPP_WINDOW,
    ).exclude(status=Status.FAILED)
    if contact.whatsapp_last_inbound_at:
        templates = templates.filter(created_at__gt=contact.whatsapp_last_inbound_at)
    return templates.order_by("-id").first()


def _check_channel_allows(contact: TextContact, channel: str) -> None:
    """Raise when the channel is locked (before any night prompt: no point confirming a text
    that cannot go)."""
    if channel == Channel.SMS:
        if not consent.can_send_sms(contact.sms_consent):
            raise ValidationError(f"SMS is locked: {contact.get_sms_consent_display().lower()}.")
        return
    if channel == Channel.WHATSAPP:
        if contact.sms_consent in (Consent.OPTED_OUT, Consent.REVIEW, Consent.NONE):
            raise ValidationError(
                f"WhatsApp is locked: {contact.get_sms_consent_display().lower()}."
            )
        return
    raise ValidationError("Choose SMS or WhatsApp.")


def _queue(
    conversation,
    contact,
    *,
    actor,
    channel,
    body,
    template=False,
    invitation=False,
    scheduled_for=None,
) -> ConversationMessage:
    sender = choose_sender(contact)
    message = _append(
        conversation, channel=channel, direction=Direction.OUTBOUND, author=actor, body=body,
        status=Status.SCHEDULED if scheduled_for else Status.QUEUED, from_number=sender.number,
        to_number=contact.phone, template=template, invitation=invitation, scheduled_for=scheduled_for,
    )  # fmt: skip
    if not scheduled_for:
        tasks.text_message_send.delay_on_commit(message_id=message.pk)
    return message


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
        contact = _text_contact(phone, conversation.application.candidate, lock=True)
        try:
            with transaction.atomic():
                message = _append(
                    conversation, channel=channel, direction=Direction.INBOUND, body=body, status=Status.RECEIVED,
                    from_number=phone, to_number=our_number, provider_sid=sid,
                )  # fmt: skip
        except IntegrityError:
            return None  # the same delivery, arriving twice at once
        if channel == Channel.WHATSAPP:
            contact.whatsapp_last_inbound_at = timezone.now()
            contact.save(update_fields=["whatsapp_last_inbound_at", "updated_at"])
        _apply_consent_keywords(conversation, contact, body)
        if channel == Channel.WHATSAPP:
            _release_held(contact)
        _tell_the_team(conversation, message)
        return message


def _sender_number(address: str) -> str:
    """The E.164 number of a provider address ('+44…' or 'whatsapp:+44…'), or ValidationError."""
    try:
        number = phones.to_e164(address.removeprefix("whatsapp:"))
    except ValidationError:
        number = ""
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
    outbound = ConversationMessage.objects.filter(
        to_number=phone,
        direction=Direction.OUTBOUND,
        channel__in=(Channel.SMS, Channel.WHATSAPP),
        status__in=MAY_HAVE_ARRIVED,
    ).order_by("-id")
    latest = (our_number and outbound.filter(from_number=our_number).first()) or outbound.first()
    if latest is not None:
        return latest.conversation
    application = (
        Application.objects.filter(candidate__phone=phone, candidate__merged_into__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    return conversation_for(application) if application else None


def _apply_consent_keywords(conversation: Conversation, contact: TextContact, body: str) -> None:
    meaning = consent.classify(body)
    new_state = consent.next_state(contact.sms_consent, meaning)
    if new_state == contact.sms_consent:
        return
    if new_state == Consent.REVIEW:
        contact.state_before_review = consent.state_if_not_a_stop(contact.sms_consent, body)
    _consent_changed(
        conversation, contact, new_state, why=f"the candidate replied “{body.strip()[:40]}”"
    )
    reply = {"opt_out": consent.OPT_OUT_CONFIRMATION, "opt_in": consent.OPT_IN_CONFIRMATION}.get(
        meaning
    )
    if reply:
        _queue(
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
    _consent_changed(conversation_for(application), contact, new_state, actor=actor, why=why)


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


# Email -------------------------------------------------------------------------------------


@transaction.atomic
def email_candidate(
    *, actor: User, application: Application, subject: str, body: str
) -> ConversationMessage:
    """Anyone who may see the application (its hiring team, recruiters, Owners) may email the
    candidate: seats are bought for SMS and WhatsApp, and email is the fallback for everyone
    (seed 003: without the texting product, "only email will be available")."""
    candidate = application.candidate
    if not candidate.email:
        raise ValidationError("This candidate has no email address.")
    if not subject.strip() or not body.strip():
        raise ValidationError({"body": "Write a subject and a message."})
    message = _append(
        conversation_for(application), channel=Channel.EMAIL, direction=Direction.OUTBOUND, author=actor,
        body=f"{subject.strip()}\n\n{body.strip()}", status=Status.SENT, to_number=candidate.email, sent_at=timezone.now(),
    )  # fmt: skip
    core.email_send_on_commit(
        to=[candidate.email], subject=subject.strip(), template="emails/candidate_message.txt",
        context={"body": body.strip(), "sender": actor, "employer": settings.EMPLOYER_NAME},
    )  # fmt: skip
    return message


def conversation_mark_read(*, user: User, conversation: Conversation) -> None:
    marker, _created = ConversationReadMarker.objects.get_or_create(
        conversation=conversation, user=user
    )
    ConversationReadMarker.objects.filter(
        pk=marker.pk, last_read_id__lt=conversation.last_message_id
    ).update(last_read_id=conversation.last_message_id)
