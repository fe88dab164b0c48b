"""Tasks the broker refuses are kept in PostgreSQL, then sent once, when the broker is back.
tests/drills/test_redis_down.py runs the same against a real Redis that is stopped."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from redis.exceptions import ResponseError

from candidates.models import Submission
from messaging import tasks as messaging_tasks
from recruitment import services, tasks
from recruitment.celery import app as celery_app
from recruitment.models import PendingTask

REFUSED = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def broker_down(monkeypatch):
    """Tasks are published rather than run in-process, and the broker refuses every message."""

    def refuse(*args, **kwargs):
        raise REFUSED

    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(celery_app, "send_task", refuse)


@pytest.fixture
def broker_takes(monkeypatch):
    """Records what is sent; refuse_after=n makes the broker refuse from the n+1th message on."""
    sent = []

    def install(refuse_after=None, pause=0.0):
        def take(name, args=None, kwargs=None, **options):
            if refuse_after is not None and len(sent) >= refuse_after:
                raise REFUSED
            time.sleep(pause)  # lets two flushers overlap
            sent.append((name, kwargs, options.get("eta")))

        monkeypatch.setattr(celery_app, "send_task", take)
        return sent

    return install


def test_a_submission_succeeds_and_its_tasks_are_kept_while_the_broker_is_down(
    broker_down, client_of, agency_a_user, assignment_a, django_capture_on_commit_callbacks
):
    data = {
        "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "phone": "",
        "assignment": assignment_a.pk, "resume": SimpleUploadedFile("cv.txt", b"Ada Lovelace"),
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(agency_a_user).post(reverse("portal-candidates:create"), data)

    assert response.status_code == 302
    submission = Submission.objects.get(email="ada@example.com")
    kept = {task.name: task for task in PendingTask.objects.all()}
    assert sorted(kept) == [
        "candidates.tasks.resume_parse",
        "candidates.tasks.submission_scan_duplicates",
        "recruitment.tasks.email_send",
    ]
    assert kept["candidates.tasks.submission_scan_duplicates"].kwargs == {
        "submission_id": submission.pk
    }
    assert "Connection refused" in kept["recruitment.tasks.email_send"].error


def test_a_delayed_task_keeps_its_time(broker_down, db):
    before = timezone.now()
    messaging_tasks.thread_notify.apply_async(kwargs={"thread_id": 7}, countdown=30)
    kept = PendingTask.objects.get()
    assert kept.kwargs == {"thread_id": 7}
    assert before + timedelta(seconds=30) <= kept.eta <= timezone.now() + timedelta(seconds=30)


def test_a_workers_retry_or_a_beat_tick_fails_as_before(broker_down, db):
    with pytest.raises(OperationalError):
        email = {"to": "a@example.com", "subject": "Hello", "body": "Hi"}
        tasks.email_send.apply_async(kwargs=email, task_id="x", retries=1)
    with pytest.raises(OperationalError):
        tasks.pending_tasks_publish.apply_async(headers={"celery_beat_task": True})
    assert not PendingTask.objects.exists()


def test_kept_tasks_are_sent_oldest_first_and_deleted(broker_takes, db):
    due = timezone.now() + timedelta(minutes=2)
    PendingTask.objects.create(name="recruitment.tasks.email_send", kwargs={"to": "a@example.com"})
    PendingTask.objects.create(
        name="messaging.tasks.thread_notify", kwargs={"thread_id": 7}, eta=due
    )
    sent = broker_takes()

    assert services.pending_tasks_publish() == 2
    assert sent == [
        ("recruitment.tasks.email_send", {"to": "a@example.com"}, None),
        ("messaging.tasks.thread_notify", {"thread_id": 7}, due),
    ]
    assert not PendingTask.objects.exists()


def test_sending_stops_at_the_first_refusal_and_keeps_the_rest(broker_takes, db):
    for n in range(3):
        PendingTask.objects.create(name="recruitment.tasks.email_send", kwargs={"n": n})
    broker_takes(refuse_after=1)

    assert services.pending_tasks_publish() == 1
    assert [task.kwargs for task in PendingTask.objects.all()] == [{"n": 1}, {"n": 2}]


def test_two_senders_at_once_send_each_task_once(broker_takes, transactional_db):
    PendingTask.objects.bulk_create(
        PendingTask(name="recruitment.tasks.email_send", kwargs={"n": n}) for n in range(40)
    )
    sent = broker_takes(pause=0.005)

    def sender():
        try:
            services.pending_tasks_publish(batch_size=5)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(kwargs["n"] for _name, kwargs, _eta in sent) == list(range(40))
    assert not PendingTask.objects.exists()


def test_a_redis_refusal_is_kept_too(monkeypatch, db):
    """Redis's own refusals (a full disk under appendonly, maxmemory) reach us unwrapped by kombu."""

    def misconf(*args, **kwargs):
        raise ResponseError("MISCONF Redis is configured to save RDB snapshots, but it's unable")

    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(celery_app, "send_task", misconf)
    tasks.email_send.delay(to="a@example.com", subject="Hello", body="Hi")
    assert PendingTask.objects.get().name == "recruitment.tasks.email_send"
