import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging.models import Consent, ConversationMessage, Seat, TextContact
from messaging.services import seats, texting, texting_inbound
from tests.factories import submit

GB = "+447400123456"


@pytest.fixture
def application(agency_a_user, assignment_a, owner):
    seats.sender_number_add(actor=owner, number="+447400123999")
    return submit(agency_a_user, assignment_a, phone=GB, text_consent=True).application


def test_without_a_seat_one_reads_and_emails_but_cannot_text(
    client_of, hiring_manager, job, application, django_capture_on_commit_callbacks
):
    """Seats are for SMS and WhatsApp; anyone on the hiring team may email the candidate, here."""
    from django.core import mail

    job.hiring_team.add(hiring_manager)
    client = client_of(hiring_manager)
    html = client.get(
        reverse("messaging:application-texts", args=[application.public_id])
    ).content.decode()
    assert "needs a texting seat" in html and "Send invite" not in html
    assert "from their profile" not in html  # there is no such action
    assert 'name="subject"' in html and 'value="email"' in html and 'value="sms"' not in html
    send = reverse("messaging:application-text-send", args=[application.public_id])
    response = client.post(send, {"channel": "sms", "body": "Hi by SMS"})
    assert response.status_code == 422 and "Hi by SMS" in response.content.decode()
    assert response.context["form"].errors["channel"] == [
        "Texting needs a texting seat; an Owner can give you one. You can send an email."
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            send, {"channel": "email", "subject": "Interview", "body": "See you Monday."}
        )
    assert response.status_code == 302 and mail.outbox[-1].to == ["ada@example.com"]
    assert [m.channel for m in application.conversation.messages.exclude(direction="event")] == [
        "email"
    ]


def test_with_a_seat_one_may_invite(client_of, recruiter, owner, application):
    """The positive twin of the test above: the same person, given a seat, may text."""
    page = reverse("messaging:application-texts", args=[application.public_id])
    assert "Send invite" not in client_of(recruiter).get(page).content.decode()
    seats.seat_assign(actor=owner, user=recruiter)
    assert "Send invite" in client_of(recruiter).get(page).content.decode()


def test_hiring_team_member_reads_texts_agency_never(
    client_of, hiring_manager, agency_a_user, application, job
):
    job.hiring_team.add(hiring_manager)
    url = reverse("messaging:application-texts", args=[application.public_id])
    assert client_of(hiring_manager).get(url).status_code == 200
    assert client_of(agency_a_user).get(url).status_code == 404


def test_owner_assigns_seats_within_the_count(client_of, owner, recruiter):
    client = client_of(owner)
    client.post(reverse("messaging:seats"), {"user": recruiter.public_id, "action": "assign"})
    assert Seat.objects.filter(user=recruiter).exists()
    html = client.get(reverse("messaging:seats")).content.decode()
    assert "1 of 5" in html


def test_only_owners_manage_seats_and_numbers(client_of, owner, recruiter, agency_a_admin):
    for url in (reverse("messaging:seats"), reverse("messaging:sender-numbers")):
        assert client_of(recruiter).get(url).status_code == 403
        assert client_of(agency_a_admin).get(url).status_code == 404
        assert client_of(owner).get(url).status_code == 200


def test_invalid_sender_number_is_refused_at_the_field(client_of, owner):
    response = client_of(owner).post(
        reverse("messaging:sender-numbers"), {"number": "0800 FLOWERS"}
    )
    assert (
        "number" in response.context["form"].errors
        and "international form" in response.content.decode()
    )


def test_a_landline_is_refused_at_the_field_and_a_mobile_is_added(client_of, owner):
    client = client_of(owner)
    response = client.post(reverse("messaging:sender-numbers"), {"number": "+44 121 234 5678"})
    assert response.context["form"].errors["number"] == [
        "+44 121 234 5678 is a landline number: it cannot send texts. Add a mobile number (or a "
        "North American toll-free one)."
    ]
    response = client.post(reverse("messaging:sender-numbers"), {"number": "+44 7400 123998"})
    assert (
        response.status_code == 302 and "+447400123998" in client.get(response.url).content.decode()
    )


@pytest.fixture
def adelaide(agency_a_user, assignment_a, owner, recruiter):
    """A candidate in Adelaide, texted by a recruiter with a seat, at 03:00 their time."""
    seats.sender_number_add(actor=owner, number="+447400123999")
    seats.seat_assign(actor=owner, user=recruiter)
    application = submit(
        agency_a_user, assignment_a, first_name="Grace", phone="+61 8 8123 4567", text_consent=True
    ).application
    return application


@pytest.fixture
def three_am_in_adelaide(monkeypatch):
    moment = datetime(2026, 1, 14, 16, 30, tzinfo=ZoneInfo("UTC"))  # 03:00 ACDT, 00:30 in Perth
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_quiet_hours_show_the_candidates_own_time_and_keep_the_text(
    client_of, recruiter, adelaide, three_am_in_adelaide
):
    TextContact.objects.filter(pk=texting.contact_for(adelaide).pk).update(
        sms_consent=Consent.OPTED_IN
    )
    url = reverse("messaging:application-text-send", args=[adelaide.public_id])
    html = client_of(recruiter).post(url, {"channel": "sms", "body": "Late news"}).content.decode()
    assert "It is between 00:30 AWST and 03:00 ACDT for Grace" in html
    assert "16:30" not in html  # the site's time zone (UTC), as the page used to say
    assert "Schedule for Thu 08:00 AWST" in html and "Late news" in html
    client_of(recruiter).post(url, {"channel": "sms", "body": "Late news", "night": "morning"})
    scheduled = adelaide.conversation.messages.get(body="Late news")
    assert scheduled.status == "scheduled"
    page = client_of(recruiter).get(
        reverse("messaging:application-texts", args=[adelaide.public_id])
    )
    assert "Scheduled</span> for Thu 08:00 AWST" in page.content.decode()


def test_an_invitation_at_night_asks_in_the_page_too(
    client_of, recruiter, adelaide, three_am_in_adelaide
):
    url = reverse("messaging:application-text-invite", args=[adelaide.public_id])
    response = client_of(recruiter).post(url)
    html = response.content.decode()
    assert response.status_code == 200 and "Invitations outside 8:00–20:00" in html
    assert "Schedule for Thu 08:00 AWST" in html
    assert not ConversationMessage.objects.filter(direction="out").exists()
    response = client_of(recruiter).post(url, {"night": "morning"})
    assert response.status_code == 302
    assert ConversationMessage.objects.get(direction="out", invitation=True).status == "scheduled"
    response = client_of(recruiter).post(url, {"night": "send"})
    assert ConversationMessage.objects.filter(invitation=True, status="queued").count() == 1


def test_email_is_sent_and_recorded_in_the_conversation(
    client_of, owner, recruiter, application, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        client_of(recruiter).post(
            reverse("messaging:application-text-send", args=[application.public_id]),
            {"channel": "email", "subject": "Your interview", "body": "See you Monday."},
        )
    assert mail.outbox[-1].subject == "Your interview" and mail.outbox[-1].to == ["ada@example.com"]
    assert application.conversation.messages.get(channel="email").body.startswith("Your interview")


def test_unified_inbox_lists_conversations_newest_first_with_channel_filter(
    client_of, recruiter, owner, application, monkeypatch
):
    texting.email_candidate(actor=recruiter, application=application, subject="Hi", body="Hello")
    client = client_of(recruiter)
    rows = client.get(reverse("messaging:conversations")).context["page"].object_list
    assert [c.application for c in rows] == [application]
    assert (
        not client.get(reverse("messaging:conversations"), {"channel": "sms"})
        .context["page"]
        .object_list
    )


def test_whatsapp_outside_the_window_says_so_before_sending_and_keeps_the_text(
    client_of, owner, recruiter, application, monkeypatch
):
    monkeypatch.setattr(texting, "quiet_hours_check", lambda phone, now=None: None)
    seats.seat_assign(actor=owner, user=recruiter)
    TextContact.objects.filter(pk=texting.contact_for(application).pk).update(
        sms_consent=Consent.OPTED_IN
    )
    client = client_of(recruiter)
    page = reverse("messaging:application-texts", args=[application.public_id])
    html = client.get(page, {"channel": "whatsapp"}).content.decode()
    assert "only the approved invitation can go out now" in html
    assert re.search(r'value="whatsapp"[^>]*checked', html)  # the WhatsApp tab preselects it
    send = reverse("messaging:application-text-send", args=[application.public_id])
    response = client.post(send, {"channel": "whatsapp", "body": "Monday 10:00?"}, follow=True)
    html = response.content.decode()
    assert "your message is held" in html and "Monday 10:00?" in html
    assert "Held until the candidate answers" in html
    client.post(
        send, {"channel": "whatsapp", "body": "Not kept", "outside_window": "invitation_only"}
    )
    assert not ConversationMessage.objects.filter(body="Not kept").exists()
    assert (
        "still waiting for an answer"
        in client.post(
            send, {"channel": "whatsapp", "body": "Again", "outside_window": "invitation_only"}
        ).content.decode()
    )


# Cancelling a held WhatsApp text ----------------------------------------------------------------


@pytest.fixture
def held(owner, recruiter, application, monkeypatch):
    """A WhatsApp text of the recruiter's, held behind the invitation template."""
    monkeypatch.setattr(texting, "quiet_hours_check", lambda phone, now=None: None)
    seats.seat_assign(actor=owner, user=recruiter)
    return texting.text_send(
        actor=recruiter, application=application, channel="whatsapp", body="Monday 10:00?"
    )


def _cancel_url(text, **query):
    url = reverse("messaging:text-cancel", args=[text.public_id])
    return f"{url}?channel={query['channel']}" if query else url


def test_the_pane_offers_cancel_on_a_held_text_to_those_who_may_send(
    client_of, recruiter, hiring_manager, job, application, held
):
    page = reverse("messaging:application-texts", args=[application.public_id])
    assert _cancel_url(held) in client_of(recruiter).get(page).content.decode()
    job.hiring_team.add(hiring_manager)  # reads the texts, holds no seat
    assert _cancel_url(held) not in client_of(hiring_manager).get(page).content.decode()


def test_a_plain_post_cancels_and_comes_back_to_the_pane(client_of, recruiter, application, held):
    response = client_of(recruiter).post(_cancel_url(held, channel="whatsapp"), follow=True)
    assert response.redirect_chain[-1][0].endswith(
        f"/applications/{application.public_id}/texts/?channel=whatsapp"
    )
    html = response.content.decode()
    assert "Cancelled: the held text will not be sent." in html
    assert "Cancelled before it went out" in html and "Monday 10:00?" in html  # still shown
    assert _cancel_url(held) not in html  # nothing left to cancel
    held.refresh_from_db()
    assert held.status == ConversationMessage.Status.CANCELLED


def test_htmx_gets_the_list_of_texts_and_the_notice(client_of, recruiter, held):
    response = client_of(recruiter).post(_cancel_url(held), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="text-list"' in html and "Cancelled before it went out" in html
    assert re.search(r'id="text-notice" hx-swap-oob="innerHTML">.*will not be sent', html)


def test_too_late_to_cancel_is_said_and_changes_nothing(
    client_of, recruiter, held, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        texting_inbound.text_receive(
            sid="SMwaView", from_number=f"whatsapp:{GB}", to_number="whatsapp:+447400123999",
            body="Sure",
        )  # fmt: skip
    response = client_of(recruiter).post(_cancel_url(held), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Too late to cancel: the candidate answered and the text has gone out." in html
    held.refresh_from_db()
    assert held.status == ConversationMessage.Status.SENT


def test_cancel_needs_what_sending_needs(client_of, hiring_manager, job, held):
    """Outside the job's team: 404, as for the pane itself. On the team without a seat: 403."""
    client = client_of(hiring_manager)
    assert client.post(_cancel_url(held)).status_code == 404
    job.hiring_team.add(hiring_manager)
    assert client.post(_cancel_url(held)).status_code == 403
    assert client.get(_cancel_url(held)).status_code == 405
    held.refresh_from_db()
    assert held.status == ConversationMessage.Status.HELD


def test_only_a_text_to_the_candidate_can_be_named(client_of, recruiter, application, held):
    """The candidate's own texts and the consent events are not texts one may cancel."""
    inbound = texting_inbound.text_receive(
        sid="SMin", from_number=GB, to_number="+447400123999", body="Hello"
    )
    assert client_of(recruiter).post(_cancel_url(inbound)).status_code == 404


# The texting console (development, console provider) -----------------------------------------


@pytest.fixture
def console(settings, owner, recruiter, application, agency_a_user, monkeypatch):
    """Two candidates texted: Ada (the application's job) and Bo (another job)."""
    from tests.factories import AssignmentFactory, JobFactory

    settings.TEXTING_PROVIDER = "messaging.providers.ConsoleProvider"
    monkeypatch.setattr(texting, "quiet_hours_check", lambda phone, now=None: None)
    seats.seat_assign(actor=owner, user=recruiter)
    other = AssignmentFactory(job=JobFactory(title="Night Porter"), agency=application.agency)
    bo = submit(
        agency_a_user,
        other,
        first_name="Bo",
        email="bo@example.com",
        phone="+447400123457",
        text_consent=True,
    ).application
    for app in (application, bo):
        texting.text_invite(actor=recruiter, application=app)
    return reverse("messaging:texting-console"), bo


def test_the_console_shows_only_the_texts_one_may_see(
    client_of, console, recruiter, hiring_manager, job
):
    url, bo = console
    job.hiring_team.add(hiring_manager)

    def names(user):
        texts = client_of(user).get(url).context["texts"]
        return {text.conversation.application.candidate.first_name for text in texts}

    assert names(recruiter) == {"Ada", "Bo"}
    assert names(hiring_manager) == {"Ada"}


def test_the_console_replies_only_for_candidates_one_may_see(
    client_of, console, hiring_manager, job, application
):
    url, bo = console
    job.hiring_team.add(hiring_manager)
    client = client_of(hiring_manager)
    response = client.post(
        url, {"from_number": bo.candidate.phone, "channel": "sms", "body": "YES"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["from_number"] == [
        "No candidate you can see has this number."
    ]
    assert not ConversationMessage.objects.filter(direction="in").exists()
    response = client.post(url, {"from_number": "+44 7400 123456", "channel": "sms", "body": "YES"})
    assert response.status_code == 302
    reply = ConversationMessage.objects.get(direction="in")
    assert reply.conversation.application == application and reply.to_number == "+447400123999"


@pytest.mark.parametrize(
    "post",
    [
        {"delivery": "delivered"},
        {"delivery": "delivered", "message": "not-a-uuid"},
        {"delivery": "delivered", "message": "a\x00b"},
        {"delivery": "exploded", "message": "MESSAGE"},
        {"message": "MESSAGE", "delivery": ""},
        {"from_number": "call me", "channel": "sms", "body": "YES"},
        {"from_number": "+447400123456", "channel": "fax", "body": "YES"},
        {"from_number": "+447400123456", "channel": "sms"},
        {},
    ],
)
def test_the_console_refuses_bad_input_at_its_field_never_500(client_of, console, recruiter, post):
    message = ConversationMessage.objects.filter(direction="out").first()
    post = {
        key: str(message.public_id) if value == "MESSAGE" else value for key, value in post.items()
    }
    response = client_of(recruiter).post(console[0], post)
    assert response.status_code == 422 and "alert-error" in response.content.decode()
    assert not ConversationMessage.objects.filter(direction="in").exists()
    assert not ConversationMessage.objects.filter(status="delivered").exists()


def test_the_console_marks_a_visible_text_delivered_and_no_other(
    client_of, console, recruiter, hiring_manager, job
):
    url, bo = console
    job.hiring_team.add(hiring_manager)
    ConversationMessage.objects.filter(direction="out").update(status="sent")
    bos = ConversationMessage.objects.get(direction="out", conversation__application=bo)
    response = client_of(hiring_manager).post(
        url, {"delivery": "delivered", "message": bos.public_id}
    )
    assert response.status_code == 422
    bos.refresh_from_db()
    assert bos.status == "sent"
    response = client_of(recruiter).post(url, {"delivery": "delivered", "message": bos.public_id})
    assert response.status_code == 302
    bos.refresh_from_db()
    assert bos.status == "delivered"
