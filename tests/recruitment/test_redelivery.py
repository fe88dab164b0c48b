"""How soon a dead worker's task runs again, and why a live worker's never does twice.

Kombu's Redis transport keeps each message a worker took (acks_late) until the task finishes; a
worker sweeps every unacked_restore_interval seconds for messages older than the visibility
timeout and queues them again. So a killed worker's task returns within visibility timeout +
sweep interval, and a live worker must never hold a message that long: it holds one for the
task's run (at most the time limit) plus any delay it waits for, which the app keeps short
(recruitment.celery.Task refuses longer ones; longer delays are due times swept by beat).
tests/drills/test_worker_killed.py measures the first on real processes."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from messaging import tasks as messaging_tasks
from recruitment import tasks

OPTIONS = settings.CELERY_BROKER_TRANSPORT_OPTIONS


def _sweep_every() -> int:
    return OPTIONS["unacked_restore_interval"] * OPTIONS["unacked_restore_throttle"]


def test_a_dead_workers_task_returns_within_three_minutes():
    assert OPTIONS["visibility_timeout"] + _sweep_every() < 180


def test_a_live_worker_never_holds_a_message_past_the_visibility_timeout():
    longest_hold = settings.BROKER_MAX_DELAY_SECONDS + settings.CELERY_TASK_TIME_LIMIT
    assert longest_hold < OPTIONS["visibility_timeout"]


@pytest.mark.parametrize(
    "delay",
    [
        lambda: {"countdown": settings.BROKER_MAX_DELAY_SECONDS + 1},
        lambda: {"eta": timezone.now() + timedelta(minutes=2)},
    ],
    ids=["countdown", "eta"],
)
def test_a_longer_delay_on_the_broker_is_refused(delay):
    with pytest.raises(ValueError, match="longer than a task may wait on the broker"):
        tasks.email_send.apply_async(kwargs={"to": "a@example.com"}, **delay())


def test_a_short_delay_is_allowed(mailoutbox):
    """The positive twin (eager here, so it runs at once)."""
    email = {"to": "a@example.com", "subject": "Hello", "body": "Hi"}
    tasks.email_send.apply_async(kwargs=email, countdown=settings.BROKER_MAX_DELAY_SECONDS)
    assert [m.subject for m in mailoutbox] == ["Hello"]


def test_a_texts_retries_fit_the_broker_and_last_about_five_minutes():
    delays = [messaging_tasks.text_retry_delay(n) for n in range(12)]
    assert max(delays) <= settings.BROKER_MAX_DELAY_SECONDS
    assert messaging_tasks.text_message_send.max_retries == len(delays)
    assert 280 <= sum(delays) <= 330
