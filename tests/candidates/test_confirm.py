import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from candidates.models import Submission
from recruitment.models import Notification
from tests.factories import submit


@pytest.fixture
def link(agency_a_user, assignment_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(agency_a_user, assignment_a)
    message = next(m for m in mail.outbox if m.to == ["ada@example.com"])
    assert "Agency A" in message.subject and "Agency A" in message.body
    return re.search(r"https?://[^/]+(/confirm/\S+/)", message.body).group(1)


def test_candidate_confirms_with_one_click_and_no_login(client, link, recruiter, client_of):
    assert "Did you authorise them" in client.get(link).content.decode()
    client.post(link, {"answer": "yes"})
    submission = Submission.objects.get()
    assert submission.confirmation == "confirmed" and submission.confirmation_answered_at
    html = (
        client_of(recruiter)
        .get(reverse("candidates:candidate-detail", args=[submission.candidate.public_id]))
        .content.decode()
    )
    assert "Candidate confirmed" in html and "Confirmed" in html


def test_decline_notifies_the_recruiter(
    client, link, recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link, {"answer": "no"})
    assert Submission.objects.get().confirmation == "declined"
    assert Notification.objects.filter(user=recruiter, text__contains="did not authorise").exists()
    assert any(m.to == [recruiter.email] and "declined" in m.subject.lower() for m in mail.outbox)


def test_first_answer_counts(client, link):
    client.post(link, {"answer": "yes"})
    client.post(link, {"answer": "no"})
    assert Submission.objects.get().confirmation == "confirmed"


def test_forged_link_changes_nothing(client, link):
    response = client.post(link[:-3] + "xx/", {"answer": "no"})
    assert response.status_code == 410 and "not valid" in response.content.decode()
    assert Submission.objects.get().confirmation == "pending"


def test_expired_link_is_refused_and_shows_no_answer(client, link, settings):
    from datetime import timedelta

    settings.SUBMISSION_CONFIRMATION_TTL = timedelta(seconds=-1)
    assert client.post(link, {"answer": "yes"}).status_code == 410
    submission = Submission.objects.get()
    Submission.objects.update(confirmation_expires_at=timezone.now())
    submission.refresh_from_db()
    assert submission.confirmation_display == "No answer"


def test_no_confirmation_is_asked_without_an_email(agency_a_user, assignment_a):
    submission = submit(agency_a_user, assignment_a, email="", phone="+447400123456")
    assert submission.confirmation == "not_asked"


def test_a_new_submission_with_an_email_asks_for_a_confirmation_that_expires(
    agency_a_user, assignment_a, settings
):
    before = timezone.now()
    submission = submit(agency_a_user, assignment_a)
    assert submission.confirmation == Submission.Confirmation.PENDING
    expires = submission.confirmation_expires_at
    assert before + settings.SUBMISSION_CONFIRMATION_TTL <= expires
    assert expires <= timezone.now() + settings.SUBMISSION_CONFIRMATION_TTL
