"""A resume kept across a form error lives until it is used or no token can bring it back."""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from candidates import kept_resumes, tasks
from recruitment.celery import app


def _attempt(client, assignment, **fields):
    data = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
    return client.post(
        reverse("portal-candidates:create"), {**data, "assignment": assignment.pk, **fields}
    )


def _pending():
    return (
        default_storage.listdir(kept_resumes.FOLDER)[1] if default_storage.exists("pending") else []
    )


def _resume():
    return SimpleUploadedFile(
        "ada.txt", b"Ada Lovelace\nada@example.com", content_type="text/plain"
    )


def test_a_failed_attempt_keeps_the_resume_and_the_next_one_uses_then_deletes_it(
    client_of, agency_a_user, assignment_a, django_capture_on_commit_callbacks
):
    client = client_of(agency_a_user)
    form = _attempt(client, assignment_a, phone="nonsense", resume=_resume()).context["form"]
    assert len(_pending()) == 1 and form.kept_resume_name == "ada.txt"
    with django_capture_on_commit_callbacks(execute=True):
        _attempt(client, assignment_a, kept_resume=form.data["kept_resume"])
    assert _pending() == []


def test_the_beat_deletes_kept_resumes_of_abandoned_forms_once_they_expire(
    client_of, agency_a_user, assignment_a, monkeypatch
):
    _attempt(client_of(agency_a_user), assignment_a, phone="nonsense", resume=_resume())
    tasks.pending_resumes_delete.delay()
    assert len(_pending()) == 1  # still redeemable: kept
    later = timezone.now() + kept_resumes.KEPT_FOR + timedelta(minutes=1)
    monkeypatch.setattr(kept_resumes.timezone, "now", lambda: later)
    tasks.pending_resumes_delete.delay()
    assert _pending() == []


def test_an_expired_token_brings_nothing_back(client_of, agency_a_user, assignment_a, monkeypatch):
    client = client_of(agency_a_user)
    token = (
        _attempt(client, assignment_a, phone="x", resume=_resume())
        .context["form"]
        .data["kept_resume"]
    )
    assert kept_resumes.redeem(user=agency_a_user, token=token).name == "ada.txt"
    monkeypatch.setattr(
        "django.core.signing.time.time",
        lambda: timezone.now().timestamp() + kept_resumes.KEPT_FOR.total_seconds() + 60,
    )
    assert kept_resumes.redeem(user=agency_a_user, token=token) is None


def test_the_deletion_runs_on_the_beat():
    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == tasks.pending_resumes_delete.name
    )
    assert entry["task"] in app.tasks and entry["schedule"] <= 3600
