"""The worker's side of a text: sending a queued text through the provider (at most once, consent
checked again just before), retries, texts scheduled for the morning, texts stuck in sending; and
the provider's delivery reports."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from messaging import consent, providers, tasks
from messaging.models import Channel, Consent, ConversationMessage, TextContact

Status = ConversationMessage.Status
Direction = ConversationMessage.Direction


def text_message_send(*, message_id: int) -> None:
    """The worker's side. Claims the row (queued -> sending) so it is sent at most once, re-checks
    consent just before sending, and records the provider's answer. TransientError propagates so
    the task retries; the row is put back to queued first."""
    claimed = ConversationMessage.objects.filter(pk=message_id, status=Status.QUEUED).update(
        status=Status.SENDING
    )
    if not claimed:
        return
    # not mutated: select_related only saves queries
    related = ("conversation__application__job", "conversation__application__candidate")
    message = ConversationMessage.objects.select_related(*related).get(  # pragma: no mutate
        pk=message_id
    )
    contact = (
        TextContact.objects.select_related("candidate")  # pragma: no mutate
        .get(phone=message.to_number)
        .seen_by(message.conversation.application.candidate)
    )
    if not _still_allowed(message, contact):
        _finish(
            message, Status.FAILED, reason=f"Not sent: {contact.get_sms_consent_display().lower()}."
        )
        return
    text = providers.OutboundText(
        channel=message.channel,
        from_number=message.from_number,
        to_number=message.to_number,
        body=message.body,
        status_callback=settings.SITE_URL
        + reverse("messaging:twilio-status", kwargs={"public_id": message.public_id}),
        template_variables={
            "1": settings.EMPLOYER_NAME,
            "2": message.conversation.application.job.title,
        }
        if message.template
        else {},
    )
    try:
        sid = providers.get_provider().send(text)
    except providers.TransientError:
        ConversationMessage.objects.filter(pk=message_id, status=Status.SENDING).update(
            status=Status.QUEUED
        )
        raise
    except providers.PermanentError as exc:
        _finish(message, Status.FAILED, reason=str(exc))
        return
    ConversationMessage.objects.filter(pk=message_id, status=Status.SENDING).update(
        status=Status.SENT, provider_sid=sid, sent_at=timezone.now()
    )


def _still_allowed(message: ConversationMessage, contact: TextContact) -> bool:
    if message.author_id is None:  # the one confirmation reply to STOP / START
        return True
    if message.invitation:
        return consent.can_invite(contact.sms_consent)
    if message.channel == Channel.SMS:
        return consent.can_send_sms(contact.sms_consent)
    return contact.sms_consent not in (Consent.OPTED_OUT, Consent.REVIEW, Consent.NONE)


def _finish(message: ConversationMessage, status: str, *, reason: str = "") -> None:
    ConversationMessage.objects.filter(pk=message.pk).update(
        status=status, failure_reason=reason[:300]
    )


def text_message_give_up(*, message_id: int, reason: str) -> None:
    """After the last retry of a transient error."""
    ConversationMessage.objects.filter(pk=message_id, status=Status.QUEUED).update(
        status=Status.FAILED, failure_reason=f"The provider was unavailable: {reason}"[:300]
    )


def texts_send_scheduled() -> int:
    """Beat: queue the texts scheduled for the morning whose time has come."""
    due = ConversationMessage.objects.filter(
        status=Status.SCHEDULED, scheduled_for__lte=timezone.now()
    )
    ids = list(due.values_list("pk", flat=True))
    ConversationMessage.objects.filter(pk__in=ids, status=Status.SCHEDULED).update(
        status=Status.QUEUED
    )
    for message_id in ids:
        tasks.text_message_send.delay(message_id=message_id)
    return len(ids)


def texts_mark_unconfirmed(older_than: timedelta = timedelta(minutes=10)) -> int:
    """Beat: a text stuck in 'sending' (the worker died mid-send) is shown as unknown, never
    resent."""
    stale = timezone.now() - older_than
    return ConversationMessage.objects.filter(status=Status.SENDING, created_at__lt=stale).update(
        status=Status.UNKNOWN
    )


# Delivery reports ------------------------------------------------------------------------

STATUS_ORDER = {
    Status.QUEUED: 0,
    Status.SENDING: 1,
    Status.SENT: 2,
    Status.UNKNOWN: 2,
    Status.DELIVERED: 3,
    Status.FAILED: 3,
}
PROVIDER_STATUSES = {
    "queued": Status.SENT,
    "sending": Status.SENT,
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "undelivered": Status.FAILED,
    "failed": Status.FAILED,
}


def text_status_update(*, public_id, provider_status: str, error: str = "") -> None:
    """A delivery report. Only moves forward, so a repeated or late callback changes nothing."""
    status = PROVIDER_STATUSES.get(provider_status)
    message = ConversationMessage.objects.filter(
        public_id=public_id, direction=Direction.OUTBOUND
    ).first()
    if (
        status is None
        or message is None
        or STATUS_ORDER.get(message.status, 3) >= STATUS_ORDER[status]
    ):
        return
    changes = {"status": status}
    if status == Status.DELIVERED:
        changes["delivered_at"] = timezone.now()
    if status == Status.FAILED:
        changes["failure_reason"] = (error or "The carrier could not deliver it.")[:300]
    ConversationMessage.objects.filter(pk=message.pk, status=message.status).update(**changes)
