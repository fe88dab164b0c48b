"""Drill: a Celery worker dies with SIGKILL in the middle of parsing a resume. The parse runs once
more and ends PARSED; cut off twice, it ends FAILED with a reason. Nothing else runs twice.

How the message comes back (kombu's Redis transport, with acks_late): a delivered message stays in
the `unacked` hash until the task finishes. When a pool child dies, the worker's main process
rejects the message with requeue=True (reject_on_worker_lost) and it is back in the queue at once.
When the whole worker dies, nothing returns it until another worker's sweep (every 10 s) finds it
older than the visibility timeout (120 s): the production settings, measured here.
"""

import os
import signal
import time

import pytest

from candidates.models import Resume
from tests.drills.long_resume import long_resume_pdf
from tests.drills.stack import parent_pid, wait_for

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def long_resume():
    return ("jane-roe.pdf", long_resume_pdf())


@pytest.fixture
def submitted(start_stack, agency_user, assignment_a, long_resume):
    """A stack with the web and one worker, just after Jane Roe was submitted with the long resume."""
    stack = start_stack()
    stack.start_web()
    worker = stack.start_worker()
    session = stack.sign_in(agency_user.email)
    stack.submit_candidate(
        session, assignment=assignment_a, email="jane.roe@example.com", resume=long_resume
    )
    return stack, worker


def test_a_parse_cut_off_by_a_killed_worker_runs_once_more(submitted, redis_server):
    stack, worker = submitted
    resume = Resume.objects.get()

    _wait_for_parser(worker, stack)
    assert Resume.objects.get().status == Resume.Status.PARSING
    worker.kill()
    killed_at = time.time()
    delivered_at = _unacked_parse_delivered_at(redis_server)
    stack.start_worker()  # the one that carries on (a supervisor's restart, or a second worker)

    wait_for(
        lambda: Resume.objects.filter(pk=resume.pk, attempts=2).exists(),
        "the parse to be delivered again", timeout=180, logs=stack.logs,
    )  # fmt: skip
    redelivered_at = time.time()
    print(
        f"\nredelivery: {redelivered_at - killed_at:.0f} s after the kill,"
        f" {redelivered_at - delivered_at:.0f} s after the dead worker took the task"
    )
    assert redelivered_at - killed_at < 180
    parsed = wait_for(
        lambda: Resume.objects.filter(pk=resume.pk, status=Resume.Status.PARSED).first(),
        "the second parse", timeout=60, logs=stack.logs,
    )  # fmt: skip
    assert (parsed.attempts, parsed.parsed_name, parsed.parsed_email) == (
        2, "Jane Roe", "jane.roe@example.com",
    )  # fmt: skip
    wait_for(redis_server.broker_is_idle, "the queue to drain", logs=stack.logs)
    assert stack.mail_subjects() == [
        "Did you ask Agency A to present you to Northwind Talent?"
    ]  # the confirmation, once


def test_a_parse_cut_off_twice_fails_with_a_reason(submitted, redis_server):
    stack, worker = submitted

    killed = set()
    for attempt in (1, 2):
        parser = _wait_for_parser(worker, stack, other_than=killed)
        assert Resume.objects.get().attempts == attempt
        pool_child = parent_pid(parser)
        assert pool_child != worker.pid
        killed.add(parser)
        os.kill(pool_child, signal.SIGKILL)  # the main process stays and requeues the message

    failed = wait_for(
        lambda: Resume.objects.filter(status=Resume.Status.FAILED).first(),
        "the third delivery to give up", logs=stack.logs,
    )  # fmt: skip
    assert failed.attempts == 2 and "interrupted twice" in failed.failure_reason
    assert worker.popen.poll() is None  # the worker itself never stopped
    wait_for(redis_server.broker_is_idle, "the queue to drain", logs=stack.logs)


def _wait_for_parser(worker, stack, other_than=frozenset()) -> int:
    """The pid of the sandbox child parsing a resume under this worker: it is mid-parse."""

    def parser():
        return next(
            (pid for pid, command in worker.descendants().items()
             if "candidates.sandbox" in command and pid not in other_than),
            None,
        )  # fmt: skip

    return wait_for(parser, "a parse to start", logs=stack.logs)


def _unacked_parse_delivered_at(redis_server) -> float:
    """When the killed worker took the parse's message, which Redis still holds as unacked."""
    client = redis_server.client()
    (delivered_at,) = [
        score
        for tag, score in client.zrange("unacked_index", 0, -1, withscores=True)
        if b"resume_parse" in (client.hget("unacked", tag) or b"")
    ]
    return delivered_at
