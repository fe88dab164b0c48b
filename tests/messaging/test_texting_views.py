import pytest
from django.urls import reverse

from messaging import texting
from messaging.models import Consent, Seat, TextContact
from tests.factories import submit

GB = "+447400123456"


@pytest.fixture
def application(agency_a_user, assignment_a, owner):
    texting.sender_number_add(actor=owner, number="+447400123999")
    return submit(agency_a_user, assignment_a, phone=GB, text_consent=True).application


def test_without_a_seat_one_reads_but_cannot_send(client_of, recruiter, owner, application):
    client = client_of(recruiter)
    page = reverse("messaging:application-texts", args=[application.public_id])
    html = client.get(page).content.decode()
    assert "needs a texting seat" in html and "Send invite" not in html
    texting.seat_assign(actor=owner, user=recruiter)
    assert "Send invite" in client.get(page).content.decode()  # with a seat, one may
    texting.seat_revoke(actor=owner, user=recruiter)
    response = client.post(
        reverse("messaging:application-text-send", args=[application.public_id]),
        {"channel": "sms", "body": "Hi"},
    )
    assert response.status_code == 403


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


def test_quiet_hours_ask_to_confirm_or_schedule(
    client_of, owner, recruiter, application, monkeypatch
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    texting.seat_assign(actor=owner, user=recruiter)
    TextContact.objects.filter(pk=texting.contact_for(application).pk).update(
        sms_consent=Consent.OPTED_IN
    )
    monkeypatch.setattr(
        timezone, "now", lambda: datetime(2026, 1, 15, 23, 0, tzinfo=ZoneInfo("UTC"))
    )
    url = reverse("messaging:application-text-send", args=[application.public_id])
    html = client_of(recruiter).post(url, {"channel": "sms", "body": "Late news"}).content.decode()
    assert "It is 23:00" in html and "Schedule for" in html and "Late news" in html
    client_of(recruiter).post(url, {"channel": "sms", "body": "Late news", "night": "morning"})
    assert application.conversation.messages.get(body="Late news").status == "scheduled"


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
