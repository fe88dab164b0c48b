"""The texting rules at their edges: what the worker hands the provider, that one text's send
never touches another's, the WhatsApp window's last second, the morning after quiet hours, and
the words a locked channel answers with."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from messaging import providers, quiet_hours, tasks
from messaging.models import Consent, ConversationMessage
from messaging.selectors import texting as texting_selectors
from messaging.services import seats, texting, texting_delivery

Status = ConversationMessage.Status
GB, SENDER = "+447400123456", "+447400123999"
QUIET_HOURS_CHECK = quiet_hours.quiet_hours_check  # the real one; the texts below are sent at noon

pytestmark = pytest.mark.usefixtures("provider", "daytime")


def consent(application, state):
    contact = texting.contact_for(application)
    contact.sms_consent = state
    contact.save(update_fields=["sms_consent"])
    return contact


def send_task(message):
    tasks.text_message_send.apply(kwargs={"message_id": message.pk})
    message.refresh_from_db()
    return message


# What the provider is given -------------------------------------------------------------------


def test_the_provider_gets_the_channel_numbers_body_and_the_texts_own_callback(
    application, texter, provider
):
    consent(application, Consent.OPTED_IN)
    message = texting.text_send(actor=texter, application=application, channel="sms", body="Hi")
    before = timezone.now()
    message = send_task(message)
    [sent] = provider.outbox
    assert (sent.channel, sent.from_number, sent.to_number, sent.body) == ("sms", SENDER, GB, "Hi")
    assert sent.status_callback == settings.SITE_URL + reverse(
        "messaging:twilio-status", kwargs={"public_id": message.public_id}
    )
    assert sent.template_variables == {}
    assert message.status == Status.SENT and message.provider_sid == "SMtest000001"
    assert before <= message.sent_at <= timezone.now()


def test_the_whatsapp_template_carries_the_employer_and_the_job_title(
    application, texter, provider
):
    consent(application, Consent.CONSENTED)  # no answer yet: only the template may go out
    held = texting.text_send(
        actor=texter, application=application, channel="whatsapp", body="Are you free Tuesday?"
    )
    assert held.status == Status.HELD and not held.template
    send_task(ConversationMessage.objects.get(template=True))
    [sent] = provider.outbox
    assert (sent.channel, sent.from_number, sent.to_number) == ("whatsapp", SENDER, GB)
    assert sent.template_variables == {
        "1": settings.EMPLOYER_NAME,
        "2": application.job.title,
    }


# One text's send never changes another --------------------------------------------------------


def test_sending_one_text_leaves_the_others_queued_and_a_stuck_one_stuck(
    application, texter, provider
):
    consent(application, Consent.OPTED_IN)
    first, second, stuck = (
        texting.text_send(actor=texter, application=application, channel="sms", body=body)
        for body in ("First", "Second", "Stuck")
    )
    ConversationMessage.objects.filter(pk=stuck.pk).update(status=Status.SENDING)
    assert send_task(first).status == Status.SENT
    second.refresh_from_db()
    stuck.refresh_from_db()
    assert (second.status, second.provider_sid, second.sent_at) == (Status.QUEUED, None, None)
    assert (stuck.status, stuck.provider_sid) == (Status.SENDING, None)
    assert send_task(second).status == Status.SENT
    assert [text.body for text in provider.outbox] == ["First", "Second"]


def test_a_transient_failure_requeues_only_its_own_text(application, texter, provider):
    consent(application, Consent.OPTED_IN)
    failing, stuck = (
        texting.text_send(actor=texter, application=application, channel="sms", body=body)
        for body in ("Failing", "Stuck")
    )
    ConversationMessage.objects.filter(pk=stuck.pk).update(status=Status.SENDING)
    provider.fail_with.append(providers.TransientError("503"))
    with pytest.raises(providers.TransientError):
        texting_delivery.text_message_send(message_id=failing.pk)
    failing.refresh_from_db()
    stuck.refresh_from_db()
    assert failing.status == Status.QUEUED  # to be retried
    assert stuck.status == Status.SENDING  # never queued again: it may have gone out already


class SlowProvider(providers.InMemoryProvider):
    """Answers after the beat has already shown the text as unknown (the send hung for minutes)
    or after Twilio's delivery report has arrived; `then` is what happens meanwhile."""

    then = None

    def send(self, text):
        type(self).then()
        return super().send(text)


@pytest.fixture
def slow_provider(settings):
    settings.TEXTING_PROVIDER = f"{__name__}.SlowProvider"
    return SlowProvider


def test_a_status_reached_while_the_provider_answered_is_kept(
    application, texter, provider, slow_provider
):
    consent(application, Consent.OPTED_IN)
    message = texting.text_send(actor=texter, application=application, channel="sms", body="Hi")
    slow_provider.then = lambda: texting_delivery.text_status_update(
        public_id=message.public_id, provider_status="delivered"
    )
    assert send_task(message).status == Status.DELIVERED  # not put back to "sent"


def test_a_transient_failure_after_the_text_was_shown_unknown_is_not_retried(
    application, texter, provider, slow_provider
):
    consent(application, Consent.OPTED_IN)
    message = texting.text_send(actor=texter, application=application, channel="sms", body="Hi")

    def hang_then_fail():
        ConversationMessage.objects.filter(pk=message.pk).update(status=Status.UNKNOWN)
        raise providers.TransientError("timed out")

    slow_provider.then = hang_then_fail
    with pytest.raises(providers.TransientError):
        texting_delivery.text_message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Status.UNKNOWN  # never queued again, so never sent twice


# Who may still be texted when the worker sends --------------------------------------------------


def test_the_worker_sends_the_whatsapp_template_to_a_candidate_who_has_not_answered_yet(
    application, texter, provider
):
    consent(application, Consent.CONSENTED)
    texting.text_send(actor=texter, application=application, channel="whatsapp", body="?")
    template = ConversationMessage.objects.get(template=True)
    assert send_task(template).status == Status.SENT and len(provider.outbox) == 1
    # an SMS needs the candidate's YES, and is refused at the worker too when consent went back
    consent(application, Consent.OPTED_IN)
    sms = texting.text_send(actor=texter, application=application, channel="sms", body="Hi")
    consent(application, Consent.CONSENTED)
    assert send_task(sms).status == Status.FAILED and len(provider.outbox) == 1


# The WhatsApp window's edge, the morning after quiet hours ------------------------------------


def test_the_whatsapp_window_closes_24_hours_after_the_candidates_last_message(application):
    contact = texting.contact_for(application)
    last = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    contact.whatsapp_last_inbound_at = last
    assert texting_selectors.whatsapp_window_open(
        contact, now=last + timedelta(hours=24, seconds=-1)
    )
    assert not texting_selectors.whatsapp_window_open(contact, now=last + timedelta(hours=24))
    contact.whatsapp_last_inbound_at = None
    assert not texting_selectors.whatsapp_window_open(contact, now=last)


@pytest.mark.parametrize(
    "utc, morning",
    [
        # 21:45:30.5 in London: tomorrow at 8:00 sharp
        (datetime(2026, 12, 3, 21, 45, 30, 500000, tzinfo=UTC), datetime(2026, 12, 4, 8, 0)),
        # 06:59:59 in London: today at 8:00 sharp
        (datetime(2026, 12, 4, 6, 59, 59, 999999, tzinfo=UTC), datetime(2026, 12, 4, 8, 0)),
    ],
)
def test_quiet_hours_schedule_for_eight_oclock_sharp_their_time(utc, morning):
    with pytest.raises(quiet_hours.QuietHours) as quiet:
        QUIET_HOURS_CHECK(GB, now=utc)
    london = ZoneInfo("Europe/London")
    assert quiet.value.morning == morning.replace(tzinfo=london)
    assert quiet.value.local_times == [utc.astimezone(london)]
    QUIET_HOURS_CHECK(GB, now=morning.replace(tzinfo=london))  # 8:00 itself is day


def test_without_a_seat_the_sender_is_told_how_to_get_one(application, texter, owner):
    consent(application, Consent.OPTED_IN)
    seats.seat_revoke(actor=owner, user=texter)
    with pytest.raises(PermissionDenied) as refused:
        texting.text_send(actor=texter, application=application, channel="sms", body="Hi")
    assert str(refused.value) == "Sending texts needs a texting seat. An Owner can give you one."
    seats.seat_assign(actor=owner, user=texter)
    assert texting.text_send(actor=texter, application=application, channel="sms", body="Hi")


# What a locked channel says ------------------------------------------------------------------


@pytest.mark.parametrize(
    "state, channel, message",
    [
        (Consent.CONSENTED, "sms", "SMS is locked: consented at submission."),
        (Consent.OPTED_OUT, "sms", "SMS is locked: opted out."),
        (Consent.OPTED_OUT, "whatsapp", "WhatsApp is locked: opted out."),
        (Consent.REVIEW, "whatsapp", "WhatsApp is locked: asked to stop: needs review."),
        (Consent.OPTED_IN, "fax", "Choose SMS or WhatsApp."),
    ],
)
def test_a_locked_channel_says_why(application, texter, state, channel, message):
    consent(application, state)
    with pytest.raises(ValidationError) as refused:
        texting.text_send(actor=texter, application=application, channel=channel, body="Hi")
    assert refused.value.messages == [message]
    consent(application, Consent.OPTED_IN)  # the same text once the candidate said YES
    texting.text_send(actor=texter, application=application, channel="sms", body="Hi")
