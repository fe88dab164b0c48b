"""Services for texting candidates (SMS, WhatsApp) and emailing them, in one conversation per
application: invitations, texts, the WhatsApp window and the texts held for it, email. Every
change of consent is shown in the conversation and written to the audit log. Inbound texts and
their consent keywords are in texting_inbound.py, the worker's side of a text in
texting_delivery.py, seats and sender numbers in seats.py."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import dateformat, timezone

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
    "{company} would like to reach you on behalf of {company} about {job}. "
    "Since the team can only reach you within a day of your last message, "
    "please reply to continue receiving updates. Ignore to no longer receive updates."
)


# Conversations -----------------------------------------------------------------------------


def conversation_for(application: Application) -> Conversation:
    conversation, _created = Conversation.objects.get_or_create(application=application)
    return conversation


def contact_for(application: Application) -> TextContact:
    candidate = application.candidate
    if not candidate.phone:
        raise ValidationError("This candidate has no phone number.")
    return text_contact_of(candidate.phone, candidate)


def text_contact_of(phone: str, candidate, *, lock: bool = False) -> TextContact:
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


def append_text(conversation: Conversation, **fields) -> ConversationMessage:
    message = ConversationMessage.objects.create(conversation=conversation, **fields)
    Conversation.objects.filter(pk=conversation.pk, last_message_id__lt=message.pk).update(
        last_message_id=message.pk, last_message_at=message.created_at
    )
    conversation.last_message_id, conversation.last_message_at = message.pk, message.created_at
    return message


def record_consent_change(
    conversation: Conversation, contact: TextContact, new_state: str, *, actor=None, why: str
):
    previous = contact.get_sms_consent_display()
    contact.sms_consent = new_state
    contact.save(
        update_fields=[
            "candidate",
            "sms_consent",
            "state_before_review",
            "invited_at",
            "updated_at",
        ]
    )
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
        actor=actor,
        action="consent.changed",
        obj=application,
        agency_id=application.agency_id,
        summary=summary,
        data=data,
    )


def _consent_event(conversation: Conversation, text: str) -> None:
    append_text(
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


# not mutated: night's default, as any value but "send" and "morning" asks at night
def text_invite(
    *,
    actor: User,
    application: Application,
    night: str = "",  # pragma: no mutate
) -> ConversationMessage:
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
        message = queue_text(
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
        record_consent_change(conversation, contact, Consent.INVITED, actor=actor, why=why)
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
    night: str = "",  # pragma: no mutate (as text_invite's)
    keep_text: bool = True,
) -> ConversationMessage:
    """Queue an SMS or WhatsApp message, and return it. At night (`QuietHours`) the sender must
    choose night="send" (now anyway) or night="morning" (scheduled for 8:00 their time).

    WhatsApp outside the 24-hour window: the approved invitation template goes out (unless one
    sent earlier still waits for an answer) and the typed text is held, to be sent once when the
    candidate answers (`release_held`); the held text is returned. keep_text=False sends and
    returns the template only."""
    with transaction.atomic():
        _require_seat(actor)
        body = _as_counted(body)
        if not body:
            raise ValidationError({"body": "Write a message."})
        if len(body) > settings.TEXT_MAX_LENGTH:
            raise ValidationError(
                {
                    "body": f"Texts can be up to {settings.TEXT_MAX_LENGTH} characters "
                    f"({len(body)} now)."
                }
            )
        contact = contact_for(application)
        _check_channel_allows(contact, channel)
        scheduled_for = _when_to_send(contact, night)
        conversation = conversation_for(application)
        # A text scheduled for the morning meets the window as it will be then.
        if channel == Channel.SMS or whatsapp_window_open(contact, scheduled_for):
            return queue_text(
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
        waiting = queue_text(
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
    return append_text(
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


def release_held(contact: TextContact) -> None:
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
    held = _held(contact).order_by("id")
    # not mutated: values_list(flat=True) without a field's name gives the pk as well
    for message_id in held.values_list("pk", flat=True):  # pragma: no mutate
        if ConversationMessage.objects.filter(pk=message_id, status=Status.HELD).update(
            status=Status.QUEUED
        ):
            tasks.text_message_send.delay_on_commit(message_id=message_id)


@transaction.atomic
def text_cancel_held(*, actor: User, text: ConversationMessage) -> ConversationMessage:
    """Cancel a WhatsApp text held behind the invitation template, before it goes. Whoever may
    send may cancel (the view finds the text among the conversations the actor may text on). The
    same conditional UPDATE as the release (`release_held`) claims the row, so of a cancel and a
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
        actor=actor,
        action="text.cancelled",
        obj=application,
        agency_id=application.agency_id,
        summary=f"{application.candidate}: cancelled a WhatsApp text held for the invitation",
        data={"text": str(text.public_id)},
    )
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
    # not mutated: channel and direction restate template=True (only WhatsApp invitations are)
    templates = ConversationMessage.objects.filter(
        to_number=contact.phone,
        channel=Channel.WHATSAPP,  # pragma: no mutate
        direction=Direction.OUTBOUND,  # pragma: no mutate
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


def queue_text(
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
    message = append_text(
        conversation,
        channel=channel,
        direction=Direction.OUTBOUND,
        author=actor,
        body=body,
        status=Status.SCHEDULED if scheduled_for else Status.QUEUED,
        from_number=sender.number,
        to_number=contact.phone,
        template=template,
        invitation=invitation,
        scheduled_for=scheduled_for,
    )
    if not scheduled_for:
        tasks.text_message_send.delay_on_commit(message_id=message.pk)
    return message


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
    message = append_text(
        conversation_for(application),
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        author=actor,
        body=f"{subject.strip()}\n\n{body.strip()}",
        status=Status.SENT,
        to_number=candidate.email,
        sent_at=timezone.now(),
    )
    core.email_send_on_commit(
        to=[candidate.email],
        subject=subject.strip(),
        template="emails/candidate_message.txt",
        context={"body": body.strip(), "sender": actor, "employer": settings.EMPLOYER_NAME},
    )
    return message


def conversation_mark_read(*, user: User, conversation: Conversation) -> None:
    marker, _created = ConversationReadMarker.objects.get_or_create(
        conversation=conversation, user=user
    )
    ConversationReadMarker.objects.filter(
        pk=marker.pk, last_read_id__lt=conversation.last_message_id
    ).update(last_read_id=conversation.last_message_id)
