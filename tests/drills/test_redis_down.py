"""Drill: Redis stops while an agency submits a candidate. The submission succeeds, its background
work waits in PostgreSQL, and runs exactly once when Redis is back."""

from pathlib import Path

import pytest

from candidates.models import Resume, Submission
from recruitment.models import PendingTask
from tests.drills.stack import wait_for
from tests.factories import AgencyFactory, AgencyUserFactory, AssignmentFactory, submit

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True)]
RESUME = Path(__file__).resolve().parents[2].parent / "shared" / "resumes" / "rendercv_classic.pdf"


def test_submission_while_redis_is_down_runs_its_work_once_redis_returns(
    start_stack, redis_server, agency_user, assignment_a
):
    # Someone of the same name, from another agency: the duplicate scan has something to report.
    other = AssignmentFactory(job=assignment_a.job, agency=AgencyFactory(name="Other agency"))
    submit(AgencyUserFactory(agency=other.agency), other, first_name="Jane", last_name="Roe",
           email="jane.roe@other.example")  # fmt: skip
    stack = start_stack()
    stack.start_web()
    stack.start_worker()

    redis_server.stop()
    session = stack.sign_in(agency_user.email)  # rate limits fail open: no Redis needed
    page = stack.submit_candidate(
        session, assignment=assignment_a, email="jane.roe@example.com",
        resume=("jane-roe.pdf", RESUME.read_bytes()),
    )  # fmt: skip

    assert "Outcome: New" in page.text
    submission = Submission.objects.get(email="jane.roe@example.com")
    assert submission.outcome == Submission.Outcome.NEW
    resume = Resume.objects.get(candidate=submission.candidate)
    assert resume.status == Resume.Status.QUEUED
    assert sorted(PendingTask.objects.values_list("name", flat=True)) == [
        "candidates.tasks.resume_parse",
        "candidates.tasks.submission_scan_duplicates",
        "recruitment.tasks.email_send",
    ]

    redis_server.start()  # the worker reconnects and asks for the kept tasks
    parsed = wait_for(
        lambda: Resume.objects.filter(pk=resume.pk, status=Resume.Status.PARSED).first(),
        "the resume to be parsed", timeout=45, logs=stack.logs,
    )  # fmt: skip
    wait_for(lambda: len(stack.mail_subjects()) >= 2, "two emails", logs=stack.logs)
    wait_for(redis_server.broker_is_idle, "the queue to drain", logs=stack.logs)

    assert (parsed.attempts, parsed.parsed_name) == (1, "John Doe")
    assert not PendingTask.objects.exists()
    subjects = stack.mail_subjects()
    assert len(subjects) == 2, subjects
    assert sum(s.startswith("Did you ask Agency A") for s in subjects) == 1  # the confirmation
    assert sum(s.startswith("Possible duplicate: Jane Roe") for s in subjects) == 1  # one scan
