"""Texting candidates: seats, routing, the WhatsApp window, quiet hours, sending once, consent."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from messaging import providers, tasks, texting
from messaging.models import Consent, ConversationMessage, SenderNumber, TextContact, TextingPlan
from recruitment.models import AuditEvent, Role
from tests.factories import UserFactory, submit

Status = ConversationMessage.Status
GB, US, FR = "+447400123456", "+12015550123", "+33612345678"


@pytest.fixture(autouse=True)
def provider():
    providers.InMemoryProvider.outbox.clear()
    providers.InMemoryProvider.fail_with.clear()
    return providers.InMemoryProvider


@pytest.fixture
def texter(recruiter, owner):
    texting.seat_assign(actor=owner, user=recruiter)
    return recruiter


@pytest.fixture
def pool(owner):
    return {country: texting.sender_number_add(actor=owner, number=number)
            for country, number in (("GB", "+447400123999"), ("US", "+12015550199"))}  # fmt: skip


@pytest.fixture
def application(agency_a_user, assignment_a, pool):
    return submit(agency_a_user, assignment_a, phone=GB, text_consent=True).application


@pytest.fixture
def daytime(monkeypatch):
    """Noon for the candidate, so quiet hours stay out of the way unless a test wants them."""
    monkeypatch.setattr(texting, "quiet_hours_check", lambda phone, now=None: None)


@pytest.fixture(autouse=True)
def retries_run_inline(settings):
    """In eager mode Celery runs a retry at once; it must not re-raise each one to the caller."""
    app = tasks.text_message_send.app
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def _run_send_task(message):
    tasks.text_message_send.apply(kwargs={"message_id": message.pk})


def _opt_in(application):
    contact = texting.contact_for(application)
    contact.sms_consent = Consent.OPTED_IN
    contact.save()
    return contact


# Seats ---------------------------------------------------------------------------------------


def test_only_seat_holders_send(application, recruiter, daytime):
    _opt_in(application)
    with pytest.raises(PermissionDenied):
        texting.text_send(actor=recruiter, application=application, channel="sms", body="Hello")


def test_seats_are_capped_by_the_plan_and_changes_are_audited(owner, recruiter):
    TextingPlan.objects.update_or_create(pk=1, defaults={"seats": 1})
    texting.seat_assign(actor=owner, user=recruiter)
    with pytest.raises(ValidationError, match="All 1 seats are taken"):
        texting.seat_assign(actor=owner, user=UserFactory(role=Role.RECRUITER))
    texting.seat_revoke(actor=owner, user=recruiter)
    assert list(
        AuditEvent.objects.filter(action__startswith="seat.").values_list("action", flat=True)
    ) == ["seat.revoked", "seat.assigned"]


def test_agency_users_cannot_hold_seats(owner, agency_a_user):
    with pytest.raises(ValidationError):
        texting.seat_assign(actor=owner, user=agency_a_user)


# Numbers -------------------------------------------------------------------------------------


def test_candidate_is_texted_from_their_country_else_us_else_any(pool, owner):
    assert texting.choose_sender(TextContact.objects.create(phone=GB)) == pool["GB"]
    assert texting.choose_sender(TextContact.objects.create(phone=FR)) == pool["US"]
    SenderNumber.objects.filter(country="US").update(is_active=False)
    assert texting.choose_sender(TextContact.objects.create(phone="+4915123456789")) == pool["GB"]


def test_a_shared_country_code_comes_before_the_us_fallback(pool):
    guernsey = "+447911123456"  # +44 7911 numbers belong to Guernsey
    assert texting.choose_sender(TextContact.objects.create(phone=guernsey)) == pool["GB"]


def test_a_candidate_keeps_the_same_sender(pool, owner):
    contact = TextContact.objects.create(phone=FR)
    first = texting.choose_sender(contact)
    fr = texting.sender_number_add(actor=owner, number="+33 6 12 34 56 79")
    assert texting.choose_sender(contact) == first != fr


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("12345", "no country code"),
        ("+44 1632 960947", "not a valid number in GB"),
        ("+44 12", "too few or too many digits"),
        ("call me", "not a phone number"),
    ],
)
def test_invalid_sender_numbers_are_refused_with_the_expected_form(owner, typed, problem):
    with pytest.raises(ValidationError, match=problem) as error:
        texting.sender_number_add(actor=owner, number=typed)
    assert "international form" in str(error.value)


# WhatsApp window and quiet hours ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("ago", "open_"),
    [(timedelta(hours=23, minutes=59), True), (timedelta(hours=24, minutes=1), False)],
)
def test_whatsapp_window_edges(ago, open_):
    contact = TextContact(phone=GB, whatsapp_last_inbound_at=timezone.now() - ago)
    assert texting.whatsapp_window_open(contact) is open_


@pytest.mark.parametrize(
    ("ago", "template"),
    [(timedelta(hours=23, minutes=59), False), (timedelta(hours=24, minutes=1), True)],
)
def test_outside_the_window_only_the_template_goes(
    application, texter, daytime, provider, ago, template, django_capture_on_commit_callbacks
):
    contact = _opt_in(application)
    TextContact.objects.filter(pk=contact.pk).update(whatsapp_last_inbound_at=timezone.now() - ago)
    with django_capture_on_commit_callbacks(execute=True):
        message = texting.text_send(
            actor=texter, application=application, channel="whatsapp", body="Free text here"
        )
    assert message.template is template
    assert bool(provider.outbox[-1].template_variables) is template
    assert ("would like to reach you on behalf of" in message.body) is template


def test_local_time_comes_from_the_number():
    noon_utc = datetime(2026, 7, 1, 12, 0, tzinfo=ZoneInfo("UTC"))
    assert texting.local_time(GB, noon_utc).hour == 13  # London, summer time
    assert texting.local_time("+4915123456789", noon_utc).hour == 14  # Berlin


@pytest.mark.parametrize(("hour_utc", "quiet"), [(7, True), (8, False), (19, False), (20, True)])
def test_quiet_hours_outside_8_to_20_local(hour_utc, quiet):
    moment = datetime(2026, 1, 15, hour_utc, 30, tzinfo=ZoneInfo("UTC"))  # London is UTC in January
    if quiet:
        with pytest.raises(texting.QuietHours) as night:
            texting.quiet_hours_check(GB, moment)
        assert night.value.morning.hour == 8 and night.value.morning > night.value.local_time
    else:
        texting.quiet_hours_check(GB, moment)


def test_at_night_the_sender_confirms_or_schedules_for_the_morning(
    application, texter, monkeypatch, django_capture_on_commit_callbacks, provider
):
    _opt_in(application)
    night = datetime(2026, 1, 15, 22, 0, tzinfo=ZoneInfo("UTC"))
    monkeypatch.setattr(timezone, "now", lambda: night)
    with pytest.raises(texting.QuietHours):
        texting.text_send(actor=texter, application=application, channel="sms", body="Late")
    scheduled = texting.text_send(
        actor=texter, application=application, channel="sms", body="Tomorrow", night="morning"
    )
    assert scheduled.status == Status.SCHEDULED and scheduled.scheduled_for.hour == 8
    with django_capture_on_commit_callbacks(execute=True):
        now = texting.text_send(
            actor=texter, application=application, channel="sms", body="Now anyway", night="send"
        )
    assert now.status == Status.QUEUED and [t.body for t in provider.outbox] == ["Now anyway"]
    monkeypatch.setattr(timezone, "now", lambda: night + timedelta(hours=11))
    texting.texts_send_scheduled()  # what beat runs every minute
    assert [t.body for t in provider.outbox] == ["Now anyway", "Tomorrow"]


# Sending -------------------------------------------------------------------------------------


def test_sms_is_locked_until_the_candidate_says_yes(application, texter, daytime):
    with pytest.raises(ValidationError, match="locked"):
        texting.text_send(actor=texter, application=application, channel="sms", body="Hi")


def test_1600_characters_at_most(application, texter, daytime):
    _opt_in(application)
    with pytest.raises(ValidationError, match="up to 1600"):
        texting.text_send(actor=texter, application=application, channel="sms", body="x" * 1601)


def test_a_text_is_sent_once_even_when_the_task_runs_twice(application, texter, daytime, provider):
    _opt_in(application)
    message = texting.text_send(actor=texter, application=application, channel="sms", body="Once")
    _run_send_task(message)
    _run_send_task(message)
    assert len(provider.outbox) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and message.provider_sid == "SMtest000001"


def test_consent_is_checked_again_just_before_sending(application, texter, daytime, provider):
    contact = _opt_in(application)
    message = texting.text_send(actor=texter, application=application, channel="sms", body="Hi")
    TextContact.objects.filter(pk=contact.pk).update(
        sms_consent=Consent.OPTED_OUT
    )  # STOP arrived meanwhile
    _run_send_task(message)
    message.refresh_from_db()
    assert (
        not provider.outbox
        and message.status == Status.FAILED
        and "opted out" in message.failure_reason
    )


def test_transient_errors_are_retried_permanent_ones_are_not(
    application, texter, daytime, provider
):
    _opt_in(application)
    first = texting.text_send(actor=texter, application=application, channel="sms", body="Retry me")
    provider.fail_with.extend(
        [providers.TransientError("timeout"), providers.TransientError("503")]
    )
    _run_send_task(first)
    first.refresh_from_db()
    assert first.status == Status.SENT and len(provider.outbox) == 1
    second = texting.text_send(
        actor=texter, application=application, channel="sms", body="Bad number"
    )
    provider.fail_with.append(providers.PermanentError("Invalid 'To' number (Twilio error 21211)"))
    _run_send_task(second)
    second.refresh_from_db()
    assert (
        second.status == Status.FAILED
        and "21211" in second.failure_reason
        and len(provider.outbox) == 1
    )


def test_after_the_last_retry_the_text_fails_with_the_reason(
    application, texter, daytime, provider
):
    _opt_in(application)
    message = texting.text_send(actor=texter, application=application, channel="sms", body="Never")
    attempts = tasks.text_message_send.max_retries + 1
    provider.fail_with.extend([providers.TransientError("provider down")] * attempts)
    _run_send_task(message)
    message.refresh_from_db()
    assert message.status == Status.FAILED and "provider down" in message.failure_reason


def test_a_send_cut_off_midway_is_shown_as_unknown_never_resent(
    application, texter, daytime, provider
):
    _opt_in(application)
    message = texting.text_send(actor=texter, application=application, channel="sms", body="Lost")
    ConversationMessage.objects.filter(pk=message.pk).update(
        status=Status.SENDING, created_at=timezone.now() - timedelta(minutes=11)
    )
    assert texting.texts_mark_unconfirmed() == 1
    _run_send_task(message)
    message.refresh_from_db()
    assert message.status == Status.UNKNOWN and not provider.outbox


# Invitation and keywords --------------------------------------------------------------------


def _reply(body, sid):
    return texting.text_receive(sid=sid, from_number=GB, to_number="+447400123999", body=body)


def test_double_opt_in_invite_yes_then_stop_locks(
    application, texter, daytime, provider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        texting.text_invite(actor=texter, application=application)
    assert "Reply YES" in provider.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        _reply("yes", "SMin1")
    assert TextContact.objects.get(phone=GB).sms_consent == Consent.OPTED_IN
    texting.text_send(
        actor=texter, application=application, channel="sms", body="Interview Monday?"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _reply("  Stop ", "SMin2")
    assert TextContact.objects.get(phone=GB).sms_consent == Consent.OPTED_OUT
    assert "no longer receive texts" in provider.outbox[-1].body  # exactly one confirmation
    with pytest.raises(ValidationError, match="locked"):
        texting.text_send(actor=texter, application=application, channel="sms", body="Still there?")
    events = ConversationMessage.objects.filter(direction="event").values_list("body", flat=True)
    assert any("Opted out" in e for e in events) and any("Opted in" in e for e in events)
    assert (
        AuditEvent.objects.filter(action="consent.changed").count() == 3
    )  # invited, opted in, opted out


def test_free_text_stop_blocks_until_someone_decides(application, texter, daytime):
    _opt_in(application)
    _reply("Please stop texting me, I found a job", "SMin3")
    assert TextContact.objects.get(phone=GB).sms_consent == Consent.REVIEW
    with pytest.raises(ValidationError, match="locked"):
        texting.text_send(actor=texter, application=application, channel="sms", body="Sure?")
    texting.review_resolve(actor=texter, application=application, opt_out=False)
    assert TextContact.objects.get(phone=GB).sms_consent == Consent.OPTED_IN


def test_invite_needs_consent_at_submission(agency_a_user, assignment_a, texter, pool):
    application = submit(agency_a_user, assignment_a, phone=GB, text_consent=False).application
    with pytest.raises(ValidationError, match="cannot be sent"):
        texting.text_invite(actor=texter, application=application)


def test_the_team_members_who_took_part_hear_the_answer(application, texter, daytime, recruiter):
    _opt_in(application)
    texting.text_send(actor=texter, application=application, channel="sms", body="Hi")
    _reply("Sounds good", "SMin4")
    assert recruiter.notifications.filter(text__contains="answered by SMS").exists()


def test_an_invitation_overtaken_by_stop_is_not_sent(application, texter, provider):
    invitation = texting.text_invite(actor=texter, application=application)
    _reply("STOP", "SMin5")  # arrives before the worker sends the invitation
    provider.outbox.clear()
    _run_send_task(invitation)
    invitation.refresh_from_db()
    assert invitation.invitation and invitation.status == Status.FAILED and not provider.outbox
