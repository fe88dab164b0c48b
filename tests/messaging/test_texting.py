"""Texting candidates: seats, routing, the WhatsApp window, quiet hours, sending once, consent."""

import importlib
import threading
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from candidates import phones
from candidates import services as candidate_services
from candidates.models import Candidate, IdentityClaim
from messaging import providers, quiet_hours, tasks
from messaging.models import (
    Channel,
    Consent,
    ConversationMessage,
    SenderNumber,
    TextContact,
    TextingPlan,
)
from messaging.selectors import texting as selectors
from messaging.selectors import texting as texting_selectors
from messaging.services import seats, texting, texting_delivery, texting_inbound
from recruitment.models import AuditEvent, Role
from tests.factories import AssignmentFactory, JobFactory, UserFactory, opt_in, submit
from tests.locks import wait_until_blocked_on_a_lock

Status = ConversationMessage.Status
GB, US, FR = "+447400123456", "+12015550123", "+33612345678"


@pytest.fixture(autouse=True)
def provider():
    providers.InMemoryProvider.outbox.clear()
    providers.InMemoryProvider.fail_with.clear()
    return providers.InMemoryProvider


@pytest.fixture
def texter(recruiter, owner):
    seats.seat_assign(actor=owner, user=recruiter)
    return recruiter


@pytest.fixture
def pool(owner):
    return {country: seats.sender_number_add(actor=owner, number=number)
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


@pytest.mark.parametrize(
    "body, error",
    [
        (" \n ", "Write a message."),
        ("x" * 1601, "Texts can be up to 1600 characters (1601 now)."),
    ],
)
def test_an_empty_or_too_long_text_is_refused_at_the_body(
    application, texter, daytime, body, error
):
    _opt_in(application)
    with pytest.raises(ValidationError) as refused:
        texting.text_send(actor=texter, application=application, channel="sms", body=body)
    assert refused.value.message_dict == {"body": [error]}
    sent = texting.text_send(actor=texter, application=application, channel="sms", body="x" * 1600)
    assert len(sent.body) == 1600


# Seats ---------------------------------------------------------------------------------------


def test_only_seat_holders_send(application, recruiter, daytime):
    _opt_in(application)
    with pytest.raises(PermissionDenied):
        texting.text_send(actor=recruiter, application=application, channel="sms", body="Hello")


def test_seats_are_capped_by_the_plan_and_changes_are_audited(owner, recruiter):
    TextingPlan.objects.update_or_create(pk=1, defaults={"seats": 1})
    seats.seat_assign(actor=owner, user=recruiter)
    with pytest.raises(ValidationError, match="All 1 seats are taken"):
        seats.seat_assign(actor=owner, user=UserFactory(role=Role.RECRUITER))
    seats.seat_revoke(actor=owner, user=recruiter)
    assert list(
        AuditEvent.objects.filter(action__startswith="seat.").values_list("action", flat=True)
    ) == ["seat.revoked", "seat.assigned"]


def test_agency_users_cannot_hold_seats(owner, agency_a_user):
    with pytest.raises(ValidationError):
        seats.seat_assign(actor=owner, user=agency_a_user)


# Numbers -------------------------------------------------------------------------------------


def test_candidate_is_texted_from_their_country_else_us_else_any(pool, owner):
    assert seats.choose_sender(TextContact.objects.create(phone=GB)) == pool["GB"]
    assert seats.choose_sender(TextContact.objects.create(phone=FR)) == pool["US"]
    SenderNumber.objects.filter(country="US").update(is_active=False)
    assert seats.choose_sender(TextContact.objects.create(phone="+4915123456789")) == pool["GB"]


def test_a_shared_country_code_comes_before_the_us_fallback(pool):
    guernsey = "+447911123456"  # +44 7911 numbers belong to Guernsey
    assert seats.choose_sender(TextContact.objects.create(phone=guernsey)) == pool["GB"]


def test_a_candidate_keeps_the_same_sender(pool, owner):
    contact = TextContact.objects.create(phone=FR)
    first = seats.choose_sender(contact)
    fr = seats.sender_number_add(actor=owner, number="+33 6 12 34 56 79")
    assert seats.choose_sender(contact) == first != fr


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
        seats.sender_number_add(actor=owner, number=typed)
    assert "international form" in str(error.value)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("+44 121 234 5678", "landline"),
        ("+49 30 123456", "landline"),
        ("+33 1 23 45 67 89", "landline"),
        ("+44 56 1234 5678", "VoIP"),
        ("+44 800 123 4567", "toll-free"),  # toll-free SMS exists in North America only
        ("+44 901 234 5678", "premium-rate"),
    ],
)
def test_a_number_that_cannot_text_is_refused_at_the_field(owner, typed, kind):
    with pytest.raises(ValidationError) as error:
        seats.sender_number_add(actor=owner, number=typed)
    assert f"is a {kind} number" in error.value.message_dict["number"][0]
    assert not SenderNumber.objects.exists()


@pytest.mark.parametrize(
    "typed",
    ["+44 7400 123999", "+1 201 555 0199", "+1 800 234 5678", "+1 613 555 0160", "+61 412 345 678"],
)
def test_mobile_and_north_american_numbers_can_text(owner, typed):
    assert seats.sender_number_add(actor=owner, number=typed).number == phones.to_e164(typed)


# WhatsApp window and quiet hours ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("ago", "open_"),
    [(timedelta(hours=23, minutes=59), True), (timedelta(hours=24, minutes=1), False)],
)
def test_whatsapp_window_edges(ago, open_):
    contact = TextContact(phone=GB, whatsapp_last_inbound_at=timezone.now() - ago)
    assert texting_selectors.whatsapp_window_open(contact) is open_


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
    assert (message.status == Status.HELD) is template  # the typed text waits for an answer
    assert bool(provider.outbox[-1].template_variables) is template
    assert ("would like to reach you on behalf of" in provider.outbox[-1].body) is template


@pytest.fixture
def whatsapp_closed(application, texter):
    contact = opt_in(application, actor=texter)
    # Time travel: their last WhatsApp message was two days ago, so the 24-hour window is closed.
    TextContact.objects.filter(pk=contact.pk).update(
        whatsapp_last_inbound_at=timezone.now() - timedelta(days=2)
    )
    return contact


def _whatsapp_reply(body, sid):
    return texting_inbound.text_receive(
        sid=sid, from_number=f"whatsapp:{GB}", to_number="whatsapp:+447400123999", body=body
    )


def _send_outside_window(application, texter, body, **options):
    return texting.text_send(
        actor=texter, application=application, channel="whatsapp", body=body, **options
    )


def test_outside_the_window_the_text_is_held_and_sent_once_when_they_answer(
    application, texter, daytime, provider, whatsapp_closed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        held = _send_outside_window(application, texter, "Can you do Monday at 10?")
    assert held.status == Status.HELD and held.author == texter and not held.template
    assert ConversationMessage.objects.get(template=True).status == Status.SENT
    assert [bool(text.template_variables) for text in provider.outbox] == [True]
    with django_capture_on_commit_callbacks(execute=True):
        _whatsapp_reply("Hi, sure", "SMwa1")
    with django_capture_on_commit_callbacks(execute=True):
        _whatsapp_reply("Hello?", "SMwa2")  # a second answer sends nothing more
    held.refresh_from_db()
    assert held.status == Status.SENT
    assert [text.body for text in provider.outbox][1:] == ["Can you do Monday at 10?"]


def test_a_second_text_outside_the_window_waits_with_the_first_invitation(
    application, texter, daytime, provider, whatsapp_closed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _send_outside_window(application, texter, "First")
        _send_outside_window(application, texter, "Second")
    assert len(provider.outbox) == 1  # one template, not two
    with django_capture_on_commit_callbacks(execute=True):
        _whatsapp_reply("Yes?", "SMwa3")
    assert [text.body for text in provider.outbox][1:] == ["First", "Second"]


@pytest.mark.parametrize("channel", ["whatsapp", "sms"])
def test_a_held_text_is_never_sent_after_stop(
    application,
    texter,
    daytime,
    provider,
    whatsapp_closed,
    channel,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _send_outside_window(application, texter, "Held text")
    with django_capture_on_commit_callbacks(execute=True):
        (_whatsapp_reply if channel == "whatsapp" else _reply)("STOP", "SMwa4")
    with django_capture_on_commit_callbacks(execute=True):
        _whatsapp_reply("START", "SMwa5")  # opening the window again does not revive it
    held = ConversationMessage.objects.get(body="Held text")
    assert held.status == Status.FAILED and "opted out" in held.failure_reason
    assert "Held text" not in [text.body for text in provider.outbox]


def test_the_recruiter_may_send_only_the_invitation(
    application, texter, daytime, provider, whatsapp_closed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _send_outside_window(application, texter, "Not kept", keep_text=False)
    assert not ConversationMessage.objects.filter(body="Not kept").exists()
    assert len(provider.outbox) == 1


def test_a_whatsapp_text_for_the_morning_meets_the_window_as_it_will_be_then(
    application, texter, monkeypatch, provider
):
    contact = _opt_in(application)
    night = datetime(2026, 1, 15, 22, 0, tzinfo=ZoneInfo("UTC"))
    monkeypatch.setattr(timezone, "now", lambda: night)
    TextContact.objects.filter(pk=contact.pk).update(
        whatsapp_last_inbound_at=night - timedelta(hours=20)  # open now, closed by 08:00
    )
    held = texting.text_send(
        actor=texter, application=application, channel="whatsapp", body="Morning!", night="morning"
    )
    template = ConversationMessage.objects.get(template=True)
    assert held.status == Status.HELD and template.status == Status.SCHEDULED
    assert template.scheduled_for == datetime(2026, 1, 16, 8, 0, tzinfo=ZoneInfo("UTC"))


def test_a_text_held_for_a_week_is_not_sent(
    application, texter, daytime, provider, whatsapp_closed, django_capture_on_commit_callbacks
):
    _send_outside_window(application, texter, "Stale news")
    ConversationMessage.objects.filter(body="Stale news").update(
        created_at=timezone.now() - timedelta(days=8)
    )
    with django_capture_on_commit_callbacks(execute=True):
        _whatsapp_reply("Sorry, I was away", "SMwa6")
    held = ConversationMessage.objects.get(body="Stale news")
    assert held.status == Status.FAILED and "7 days" in held.failure_reason
    assert "Stale news" not in [text.body for text in provider.outbox]


def _copy(text, **changes):
    """Another row of the same conversation, differing from `text` in `changes` only."""
    copy = ConversationMessage.objects.get(pk=text.pk)
    copy.pk, copy.public_id = None, uuid.uuid4()
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save()
    return copy


def test_a_reply_releases_only_the_whatsapp_texts_held_for_its_own_number(
    application, texter, daytime, provider, whatsapp_closed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        held = _send_outside_window(application, texter, "Yours")
    _copy(held, body="Another number", to_number="+447400123000")
    _copy(held, body="An SMS", channel=Channel.SMS)
    _copy(
        held, body="Sent last month", status=Status.SENT, created_at=held.created_at - timedelta(30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        _whatsapp_reply("Here now", "SMwa9")
    expected = {
        "Yours": Status.SENT,
        "Another number": Status.HELD,
        "An SMS": Status.HELD,
        "Sent last month": Status.SENT,
    }
    texts = ConversationMessage.objects.filter(body__in=expected)
    assert dict(texts.values_list("body", "status")) == expected
    assert [text.body for text in provider.outbox][1:] == ["Yours"]


def test_a_held_text_cancelled_before_the_answer_never_goes_and_stays_shown(
    application, texter, daytime, provider, whatsapp_closed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        held = _send_outside_window(application, texter, "Actually, wrong job")
    cancelled = texting.text_cancel_held(actor=texter, text=held)
    assert cancelled.status == Status.CANCELLED and cancelled.failure_reason == f"by {texter}"
    event = AuditEvent.objects.get(action="text.cancelled")
    assert event.actor == texter and event.agency_id == application.agency_id
    assert event.object_id == str(application.public_id)
    with django_capture_on_commit_callbacks(execute=True):
        _whatsapp_reply("Hi, I'm here", "SMwa7")  # the window opens: nothing held goes out
    assert [text.body for text in provider.outbox][1:] == []
    assert ConversationMessage.objects.get(pk=held.pk).status == Status.CANCELLED  # kept, shown


def test_cancelling_after_the_release_changes_nothing_and_says_so(
    application, texter, daytime, provider, whatsapp_closed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        held = _send_outside_window(application, texter, "Monday at 10?")
    with django_capture_on_commit_callbacks(execute=True):
        _whatsapp_reply("Hello", "SMwa8")  # released: queued, then sent by the task
    with pytest.raises(ValidationError, match="Too late to cancel: .* has gone out"):
        texting.text_cancel_held(actor=texter, text=held)
    held.refresh_from_db()
    assert held.status == Status.SENT and not AuditEvent.objects.filter(action="text.cancelled")
    assert [text.body for text in provider.outbox][1:] == ["Monday at 10?"]


def test_a_cancel_and_a_release_at_once_do_one_of_the_two(
    application, texter, daytime, provider, whatsapp_closed, django_capture_on_commit_callbacks
):
    """The release claims the row first (held -> queued), as if it committed while the cancel ran:
    the cancel's conditional UPDATE then finds no held row."""
    held = _send_outside_window(application, texter, "Racing")
    ConversationMessage.objects.filter(pk=held.pk, status=Status.HELD).update(status=Status.QUEUED)
    with pytest.raises(ValidationError, match="Too late to cancel"):
        texting.text_cancel_held(actor=texter, text=held)  # `held` still says held in memory
    assert ConversationMessage.objects.get(pk=held.pk).status == Status.QUEUED


@pytest.mark.django_db(transaction=True)
def test_a_release_that_meets_a_cancel_committing_first_sends_nothing(
    application, texter, daytime, provider, whatsapp_closed
):
    """The release lists the held texts, then claims each with a conditional UPDATE; a cancel
    holding the row commits while the release waits for it, and the claim then finds no held row."""
    held = _send_outside_window(application, texter, "Racing the cancel")
    releaser = {}

    def release():
        connection.ensure_connection()
        releaser["pid"] = connection.connection.info.backend_pid
        try:
            texting.release_held(whatsapp_closed)
        finally:
            connection.close()

    with transaction.atomic():
        ConversationMessage.objects.select_for_update().get(pk=held.pk)
        thread = threading.Thread(target=release)
        thread.start()
        wait_until_blocked_on_a_lock(lambda: releaser.get("pid"))
        ConversationMessage.objects.filter(pk=held.pk).update(status=Status.CANCELLED)
    thread.join(timeout=30)

    assert ConversationMessage.objects.get(pk=held.pk).status == Status.CANCELLED
    assert "Racing the cancel" not in [text.body for text in provider.outbox]


def test_only_someone_who_may_send_cancels(
    application, texter, owner, daytime, whatsapp_closed, recruiter
):
    held = _send_outside_window(application, texter, "Held for a seat holder")
    seats.seat_revoke(actor=owner, user=recruiter)
    with pytest.raises(PermissionDenied, match="texting seat"):
        texting.text_cancel_held(actor=recruiter, text=held)
    assert ConversationMessage.objects.get(pk=held.pk).status == Status.HELD
    seats.seat_assign(actor=owner, user=owner)  # another seat holder on the team may
    assert texting.text_cancel_held(actor=owner, text=held).status == Status.CANCELLED


def test_an_already_cancelled_or_failed_text_says_why_it_cannot_be_cancelled(
    application, texter, daytime, whatsapp_closed
):
    held = _send_outside_window(application, texter, "Twice")
    texting.text_cancel_held(actor=texter, text=held)
    with pytest.raises(ValidationError, match="already cancelled"):
        texting.text_cancel_held(actor=texter, text=held)
    other = _send_outside_window(application, texter, "Stopped")
    ConversationMessage.objects.filter(pk=other.pk).update(
        status=Status.FAILED, failure_reason="Not sent: the candidate opted out."
    )
    with pytest.raises(ValidationError, match="was not sent: the candidate opted out"):
        texting.text_cancel_held(actor=texter, text=other)
    assert AuditEvent.objects.filter(action="text.cancelled").count() == 1


UTC = ZoneInfo("UTC")
ADELAIDE, SYDNEY = "+61 8 8123 4567", "+61 2 9123 4567"
NEW_YORK, LOS_ANGELES, LONDON = "+1 201 555 0123", "+1 213 555 0123", GB
BERLIN, TOKYO, INDIA = "+4915123456789", "+81 90 1234 5678", "+91 98765 43210"


def _local(phone, moment):
    return [f"{t:%H:%M %Z}" for t in quiet_hours.local_times(phones.to_e164(phone), moment)]


@pytest.mark.parametrize(
    ("phone", "july", "january"),
    [
        # +61 8 is Adelaide's area code and Perth's: both zones, westernmost first.
        (ADELAIDE, ["20:00 AWST", "21:30 ACST"], ["20:00 AWST", "22:30 ACDT"]),
        (SYDNEY, ["22:00 AEST"], ["23:00 AEDT"]),
        (NEW_YORK, ["08:00 EDT"], ["07:00 EST"]),
        (LOS_ANGELES, ["05:00 PDT"], ["04:00 PST"]),
        (LONDON, ["13:00 BST"], ["12:00 GMT"]),
        (BERLIN, ["14:00 CEST"], ["13:00 CET"]),
        (TOKYO, ["21:00 JST"], ["21:00 JST"]),
        (INDIA, ["17:30 IST"], ["17:30 IST"]),  # half an hour off the hour
    ],
)
def test_local_time_comes_from_the_number(phone, july, january):
    """Noon UTC in July and in January."""
    assert _local(phone, datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == july
    assert _local(phone, datetime(2026, 1, 15, 12, 0, tzinfo=UTC)) == january


def test_a_number_of_unknown_zone_has_no_local_time():
    assert quiet_hours.local_times("+8821234567") == []
    quiet_hours.quiet_hours_check("+8821234567")  # nothing to go by: no prompt


@pytest.mark.parametrize(
    ("phone", "moment", "quiet"),
    [
        (TOKYO, datetime(2026, 1, 15, 10, 59, tzinfo=UTC), False),  # 19:59 in Tokyo
        (TOKYO, datetime(2026, 1, 15, 11, 0, tzinfo=UTC), True),  # 20:00
        (INDIA, datetime(2026, 1, 15, 2, 29, tzinfo=UTC), True),  # 07:59 in India
        (INDIA, datetime(2026, 1, 15, 2, 30, tzinfo=UTC), False),  # 08:00
        (NEW_YORK, datetime(2026, 1, 15, 12, 59, tzinfo=UTC), True),  # 07:59 in New York
        (LOS_ANGELES, datetime(2026, 1, 16, 3, 59, tzinfo=UTC), False),  # 19:59 in Los Angeles
        (LOS_ANGELES, datetime(2026, 1, 16, 4, 0, tzinfo=UTC), True),
        (SYDNEY, datetime(2026, 1, 14, 21, 0, tzinfo=UTC), False),  # 08:00 in Sydney (summer)
        # 09:00 in Adelaide but 06:30 in Perth, which +61 8 may also be: night in one of them.
        (ADELAIDE, datetime(2026, 1, 14, 22, 30, tzinfo=UTC), True),
        (ADELAIDE, datetime(2026, 1, 15, 0, 0, tzinfo=UTC), False),  # 08:00 Perth, 10:30 Adelaide
    ],
)
def test_quiet_hours_in_the_candidates_zones(phone, moment, quiet):
    e164 = phones.to_e164(phone)
    if quiet:
        with pytest.raises(quiet_hours.QuietHours):
            quiet_hours.quiet_hours_check(e164, moment)
    else:
        quiet_hours.quiet_hours_check(e164, moment)


@pytest.mark.parametrize(
    ("phone", "moment", "morning_utc", "shown"),
    [
        # Europe springs forward on 29 March 2026: 08:00 that morning is 06:00 UTC, not 07:00.
        (
            BERLIN,
            datetime(2026, 3, 28, 21, 0, tzinfo=UTC),
            datetime(2026, 3, 29, 6, 0, tzinfo=UTC),
            "Sun 08:00 CEST",
        ),
        (
            BERLIN,
            datetime(2026, 10, 24, 21, 0, tzinfo=UTC),
            datetime(2026, 10, 25, 7, 0, tzinfo=UTC),
            "Sun 08:00 CET",
        ),  # and falls back on 25 October
        # South Australia leaves summer time on 5 April 2026; Perth has none. Perth's 08:00 comes
        # last, so that is the morning for a +61 8 number.
        (
            ADELAIDE,
            datetime(2026, 4, 4, 12, 0, tzinfo=UTC),
            datetime(2026, 4, 5, 0, 0, tzinfo=UTC),
            "Sun 08:00 AWST",
        ),
        (
            SYDNEY,
            datetime(2026, 10, 3, 12, 0, tzinfo=UTC),
            datetime(2026, 10, 3, 21, 0, tzinfo=UTC),
            "Sun 08:00 AEDT",
        ),  # Sydney springs forward on 4 October
        (
            NEW_YORK,
            datetime(2026, 3, 8, 3, 0, tzinfo=UTC),
            datetime(2026, 3, 8, 12, 0, tzinfo=UTC),
            "Sun 08:00 EDT",
        ),  # 22:00 EST; the clocks go forward that night
        (
            INDIA,
            datetime(2026, 1, 15, 16, 0, tzinfo=UTC),
            datetime(2026, 1, 16, 2, 30, tzinfo=UTC),
            "Fri 08:00 IST",
        ),  # 21:30 in India: tomorrow morning
        (
            TOKYO,
            datetime(2026, 1, 15, 20, 0, tzinfo=UTC),
            datetime(2026, 1, 15, 23, 0, tzinfo=UTC),
            "Fri 08:00 JST",
        ),  # 05:00 in Tokyo: this morning
    ],
)
def test_the_morning_is_8_oclock_in_the_candidates_zone_across_dst_changes(
    phone, moment, morning_utc, shown
):
    with pytest.raises(quiet_hours.QuietHours) as night:
        quiet_hours.quiet_hours_check(phones.to_e164(phone), moment)
    assert night.value.morning == morning_utc
    assert night.value.morning_label == shown


def test_a_number_spread_over_more_than_half_a_day_waits_for_the_most_zones_awake():
    toll_free = phones.to_e164("+1 800 555 0123")  # 42 zones from Guam to Pago Pago
    moment = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    with pytest.raises(quiet_hours.QuietHours) as night:
        quiet_hours.quiet_hours_check(toll_free, moment)
    assert night.value.morning > moment
    assert "and" in night.value.local_label  # a range, not one zone's time


def test_at_night_the_sender_confirms_or_schedules_for_the_morning(
    application, texter, monkeypatch, django_capture_on_commit_callbacks, provider
):
    _opt_in(application)
    night = datetime(2026, 1, 15, 22, 0, tzinfo=ZoneInfo("UTC"))
    monkeypatch.setattr(timezone, "now", lambda: night)
    with pytest.raises(quiet_hours.QuietHours):
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
    texting_delivery.texts_send_scheduled()  # what beat runs every minute
    assert [t.body for t in provider.outbox] == ["Now anyway", "Tomorrow"]


def test_an_invitation_at_night_asks_too(application, texter, monkeypatch, provider):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 1, 15, 3, 0, tzinfo=UTC))
    with pytest.raises(quiet_hours.QuietHours) as night:
        texting.text_invite(actor=texter, application=application)
    assert night.value.local_label == "03:00 GMT"
    assert texting.contact_for(application).sms_consent == Consent.CONSENTED  # nothing happened
    assert not ConversationMessage.objects.filter(direction="out").exists()
    invitation = texting.text_invite(actor=texter, application=application, night="morning")
    assert invitation.status == Status.SCHEDULED
    assert invitation.scheduled_for == datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
    assert TextContact.objects.get(phone=GB).sms_consent == Consent.INVITED
    assert ConversationMessage.objects.filter(
        direction="event", body__contains="invitation scheduled for Thu 08:00 GMT"
    ).exists()
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 1, 15, 8, 0, tzinfo=UTC))
    texting_delivery.texts_send_scheduled()
    assert ["Reply YES" in text.body for text in provider.outbox] == [True]


# Sending -------------------------------------------------------------------------------------


def test_sms_is_locked_until_the_candidate_says_yes(application, texter, daytime):
    with pytest.raises(ValidationError, match="locked"):
        texting.text_send(actor=texter, application=application, channel="sms", body="Hi")


@pytest.mark.parametrize(
    ("body", "counted"),
    [
        ("x" * 1601, 1601),
        ("😀" * 1601, 1601),  # an emoji is one character, as the page's counter says
        ("a\r\n" * 800 + "ab", 1602),  # a line break is one, though browsers post CRLF
    ],
)
def test_1600_characters_at_most(application, texter, daytime, body, counted):
    _opt_in(application)
    with pytest.raises(ValidationError, match=f"up to 1600 characters \\({counted} now\\)"):
        texting.text_send(actor=texter, application=application, channel="sms", body=body)
    fits = body[: -1 if counted == 1601 else -2]
    assert texting.text_send(actor=texter, application=application, channel="sms", body=fits)


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
    assert texting_delivery.texts_mark_unconfirmed() == 1
    _run_send_task(message)
    message.refresh_from_db()
    assert message.status == Status.UNKNOWN and not provider.outbox


# Invitation and keywords --------------------------------------------------------------------


def _reply(body, sid):
    return texting_inbound.text_receive(
        sid=sid, from_number=GB, to_number="+447400123999", body=body
    )


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
    texting_inbound.review_resolve(actor=texter, application=application, opt_out=False)
    assert TextContact.objects.get(phone=GB).sms_consent == Consent.OPTED_IN


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("Yes, but please stop texting me after today", Consent.OPTED_IN),  # judged a yes
        ("Don’t text me again", Consent.INVITED),  # judged nothing: the invitation stands
    ],
)
def test_a_stop_request_after_an_invitation_is_no_opt_in(
    application, texter, daytime, provider, body, kept, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        texting.text_invite(actor=texter, application=application)
    with django_capture_on_commit_callbacks(execute=True):
        _reply(body, "SMin6")
    assert TextContact.objects.get(phone=GB).sms_consent == Consent.REVIEW
    assert ["Reply YES" in text.body for text in provider.outbox] == [True]  # no "Thanks!"
    with pytest.raises(ValidationError, match="locked"):
        texting.text_send(actor=texter, application=application, channel="sms", body="Hi")
    texting_inbound.review_resolve(actor=texter, application=application, opt_out=False)
    assert TextContact.objects.get(phone=GB).sms_consent == kept


def test_a_reviewer_may_treat_it_as_an_opt_out(application, texter, daytime):
    texting.text_invite(actor=texter, application=application)
    _reply("Yes, but please stop texting me after today", "SMin7")
    texting_inbound.review_resolve(actor=texter, application=application, opt_out=True)
    assert TextContact.objects.get(phone=GB).sms_consent == Consent.OPTED_OUT


def test_invite_needs_consent_at_submission(agency_a_user, assignment_a, texter, pool, daytime):
    application = submit(agency_a_user, assignment_a, phone=GB, text_consent=False).application
    with pytest.raises(ValidationError, match="cannot be sent"):
        texting.text_invite(actor=texter, application=application)


def test_the_team_members_who_took_part_hear_the_answer(application, texter, daytime, recruiter):
    _opt_in(application)
    texting.text_send(actor=texter, application=application, channel="sms", body="Hi")
    _reply("Sounds good", "SMin4")
    assert recruiter.notifications.filter(text__contains="answered by SMS").exists()


def test_who_left_the_hiring_team_no_longer_hears_the_answer(
    application, texter, daytime, recruiter, hiring_manager, job, owner
):
    """A hiring manager who texted the candidate and was then taken off the job sees the
    application no more: the answer is not theirs to hear; the recruiter still is told."""
    _opt_in(application)
    job.hiring_team.add(hiring_manager)
    seats.seat_assign(actor=owner, user=hiring_manager)
    texting.text_send(actor=hiring_manager, application=application, channel="sms", body="Hi")
    texting.text_send(actor=texter, application=application, channel="sms", body="Hello")
    job.hiring_team.remove(hiring_manager)
    _reply("Sounds good", "SMin8")
    assert recruiter.notifications.filter(text__contains="answered by SMS").exists()
    assert not hiring_manager.notifications.exists()


def test_an_invitation_overtaken_by_stop_is_not_sent(application, texter, daytime, provider):
    invitation = texting.text_invite(actor=texter, application=application)
    _reply("STOP", "SMin5")  # arrives before the worker sends the invitation
    provider.outbox.clear()
    _run_send_task(invitation)
    invitation.refresh_from_db()
    assert invitation.invitation and invitation.status == Status.FAILED and not provider.outbox


# Routing inbound texts ------------------------------------------------------------------------


@pytest.fixture
def second_application(application, agency_a_user):
    """The same person, later submitted by the same agency for another job."""
    other_job = AssignmentFactory(job=JobFactory(title="Data Analyst"), agency=application.agency)
    later = submit(agency_a_user, other_job, phone=GB, text_consent=True).application
    assert later.candidate == application.candidate and later.created_at > application.created_at
    return later


def _sent(message):
    _run_send_task(message)
    message.refresh_from_db()
    assert message.status == Status.SENT
    return message


def test_a_reply_goes_to_the_conversation_that_invited_them(
    application, second_application, texter, daytime
):
    _sent(texting.text_invite(actor=texter, application=application))
    reply = _reply("YES", "SMroute1")
    assert reply.conversation.application == application
    assert not ConversationMessage.objects.filter(
        conversation__application=second_application
    ).exists()


def test_a_reply_goes_to_the_latest_text_from_the_number_it_answers(
    application, second_application, texter, daytime, pool
):
    _opt_in(application)
    _sent(texting.text_send(actor=texter, application=application, channel="sms", body="About A"))
    SenderNumber.objects.filter(pk=pool["GB"].pk).update(is_active=False)  # B goes out from the US
    about_b = _sent(
        texting.text_send(actor=texter, application=second_application, channel="sms", body="B")
    )
    assert about_b.from_number == pool["US"].number
    to_gb = texting_inbound.text_receive(
        sid="SMr2", from_number=GB, to_number=pool["GB"].number, body="A?"
    )
    to_us = texting_inbound.text_receive(
        sid="SMr3", from_number=GB, to_number=pool["US"].number, body="B?"
    )
    assert to_gb.conversation.application == application
    assert to_us.conversation.application == second_application
    unknown = texting_inbound.text_receive(
        sid="SMr4", from_number=GB, to_number="+15005550006", body="?"
    )
    assert unknown.conversation.application == second_application  # the latest text of any number


def test_a_text_that_never_left_does_not_claim_the_reply(
    application, second_application, texter, daytime, provider
):
    _sent(texting.text_invite(actor=texter, application=application))
    _opt_in(application)
    provider.fail_with.append(providers.PermanentError("Invalid 'To' number"))
    failed = texting.text_send(
        actor=texter, application=second_application, channel="sms", body="B"
    )
    _run_send_task(failed)
    reply = _reply("Hello?", "SMroute5")
    assert reply.conversation.application == application


def test_a_candidate_who_writes_first_keeps_the_consent_given_at_submission(
    application, texter, daytime
):
    _reply("Hello, is the job still open?", "SMfirst")
    assert TextContact.objects.get(phone=GB).sms_consent == Consent.CONSENTED
    assert texting.text_invite(actor=texter, application=application).invitation


def test_without_any_text_a_reply_goes_to_the_newest_application(application, second_application):
    assert _reply("Hello", "SMroute6").conversation.application == second_application


# An opt-in is the person's, an opt-out the number's -----------------------------------------


@pytest.fixture
def bo(application, agency_a_user, recruiter, agency_a):
    """Ada's claim on her number ran out (a recycled number, as far as anyone can tell): Bo is
    submitted for another job with the same number, and agreed to be texted."""
    # Time travel: Ada's claim on the number is 400 days old.
    IdentityClaim.objects.filter(kind="phone", value=GB).update(
        claimed_at=timezone.now() - timedelta(days=400)
    )
    other_job = AssignmentFactory(job=JobFactory(title="Data Engineer"), agency=agency_a)
    submission = submit(
        agency_a_user, other_job, first_name="Bo", last_name="Lindgren", email="bo@example.com",
        phone=GB, text_consent=True,
    )  # fmt: skip
    assert submission.outcome == "new" and submission.candidate != application.candidate
    return submission.application


def _ada_says_yes(application, texter):
    _sent(texting.text_invite(actor=texter, application=application))
    _reply("YES", "SMyes")
    assert selectors.text_contact(application=application).sms_consent == Consent.OPTED_IN


def test_an_opt_in_does_not_carry_to_the_next_person_on_the_number(
    application, bo, texter, daytime, provider
):
    _ada_says_yes(application, texter)
    with pytest.raises(ValidationError, match="SMS is locked: consented at submission"):
        texting.text_send(actor=texter, application=bo, channel="sms", body="Hi Bo")
    assert selectors.text_contact(application=bo).sms_consent == Consent.CONSENTED  # Bo's page
    Candidate.objects.filter(pk=bo.candidate_id).update(text_consent_at=None)
    bo.candidate.refresh_from_db()  # without a consent of his own, not even WhatsApp
    with pytest.raises(ValidationError, match="WhatsApp is locked: no consent yet"):
        texting.text_send(actor=texter, application=bo, channel="whatsapp", body="Hi Bo")
    # Ada, who said YES, stays opted in: her texts still go.
    assert texting.text_send(actor=texter, application=application, channel="sms", body="Hi Ada")
    assert selectors.text_contact(application=application).sms_consent == Consent.OPTED_IN


def test_the_next_person_on_the_number_is_asked_again(application, bo, texter, daytime, provider):
    _ada_says_yes(application, texter)
    invitation = _sent(texting.text_invite(actor=texter, application=bo))
    assert invitation.body.startswith("Hi Bo,") and invitation.to_number == GB
    event = AuditEvent.objects.filter(action="consent.changed").latest("id")
    assert event.object_id == str(bo.public_id) and event.data["state"] == Consent.INVITED
    assert event.data["was_for"] == str(application.candidate.public_id)
    assert event.data["their_state"] == Consent.OPTED_IN
    # The number now answers for Bo: his YES opens his conversation; Ada's waits for her own.
    _reply("Yes", "SMbo")
    assert selectors.text_contact(application=bo).sms_consent == Consent.OPTED_IN
    assert selectors.text_contact(application=application).sms_consent == Consent.CONSENTED
    with pytest.raises(ValidationError, match="SMS is locked"):
        texting.text_send(actor=texter, application=application, channel="sms", body="Hi Ada")
    ada_events = application.conversation.messages.filter(direction="event")
    assert "conversation with someone else" in ada_events.last().body
    assert "Bo" not in ada_events.last().body  # Ada's team learns nothing of him


def test_stop_from_the_number_blocks_whoever_has_it(application, bo, texter, daytime, provider):
    _ada_says_yes(application, texter)
    _reply("STOP", "SMstop")
    for someone in (application, bo):
        assert selectors.text_contact(application=someone).sms_consent == Consent.OPTED_OUT
        with pytest.raises(ValidationError, match="opted out"):
            texting.text_send(actor=texter, application=someone, channel="sms", body="Hi")
    with pytest.raises(ValidationError, match="cannot be sent: opted out"):
        texting.text_invite(actor=texter, application=bo)
    # START from the number: Ada, whose conversation it answers, is opted in again; Bo may be
    # asked now, and is not opted in by her START.
    _reply("START", "SMstart")
    assert selectors.text_contact(application=application).sms_consent == Consent.OPTED_IN
    assert selectors.text_contact(application=bo).sms_consent == Consent.CONSENTED
    assert texting.text_invite(actor=texter, application=bo).invitation


def test_stop_answering_the_next_person_blocks_the_first_too(
    application, bo, texter, daytime, provider
):
    _ada_says_yes(application, texter)
    _sent(texting.text_invite(actor=texter, application=bo))
    assert _reply("Stop", "SMbostop").conversation.application == bo
    for someone in (application, bo):
        assert selectors.text_contact(application=someone).sms_consent == Consent.OPTED_OUT


def test_a_merged_profiles_opt_in_stays_with_the_person(
    application, texter, daytime, agency_a_user, assignment_a, recruiter
):
    _ada_says_yes(application, texter)
    survivor = submit(
        agency_a_user, assignment_a, last_name="King", email="ada.k@example.com", phone=""
    ).candidate
    candidate_services.candidate_merge(actor=recruiter, into=survivor, merged=application.candidate)
    application.refresh_from_db()
    assert application.candidate == survivor and application.candidate.phone == GB
    assert selectors.text_contact(application=application).sms_consent == Consent.OPTED_IN


def test_numbers_texted_before_are_given_to_whoever_texted_with_them_last(
    application, bo, texter, daytime
):
    """The migration that made consent a person's: a number's row goes to the person whose
    conversation texted with it last, else to the newest candidate who has it."""
    migration = importlib.import_module("messaging.migrations.0009_text_contact_candidate")
    _sent(texting.text_invite(actor=texter, application=application))
    unknown = TextContact.objects.create(phone=US)
    Candidate.objects.filter(pk=bo.candidate_id).update(phone=US)
    TextContact.objects.update(candidate=None)
    migration.whose_consent(django_apps, None)
    assert TextContact.objects.get(phone=GB).candidate == application.candidate  # not Bo, newer
    unknown.refresh_from_db()
    assert unknown.candidate == bo.candidate
