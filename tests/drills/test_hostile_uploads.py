"""Drill: hostile resumes submitted through the agency portal and parsed by a real Celery worker.
Each ends with its reason on the profile within 30 s, an executable named .pdf is refused at the
form, and the same worker then parses a normal resume: none of them stalls or kills it."""

import time

import pytest

from candidates.models import Resume, Submission
from devtools.parser_eval import resume_samples_dir
from tests.drills.stack import wait_for
from tests.hostile_files import HOSTILE_FILES, NORMAL_RESUME, elf_executable, is_expected_reason

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True)]

TIME_LIMIT_SECONDS = 30


def _truncated_sample() -> bytes:
    data = (resume_samples_dir() / "rendercv_classic.pdf").read_bytes()
    return data[: len(data) // 2]


# (what, upload name, its bytes, part of the reason on the profile)
PARSED = [
    (name, filename, build, reason)
    for name, build, filename, reason in HOSTILE_FILES
    if name not in {"elf.pdf", "mz.pdf"}  # refused at the form, below
] + [("truncated sample", "resume.pdf", _truncated_sample, "The file is damaged or truncated.")]


def test_hostile_resumes_fail_with_a_reason_and_the_worker_keeps_working(
    start_stack, agency_user, assignment_a
):
    stack = start_stack()
    stack.start_web()
    worker = stack.start_worker()
    session = stack.sign_in(agency_user.email)

    for number, (name, filename, build, reason) in enumerate(PARSED):
        email = f"hostile{number}@example.com"
        stack.submit_candidate(
            session, assignment=assignment_a, email=email, resume=(filename, build())
        )
        submitted = time.monotonic()
        failed = wait_for(
            lambda email=email: Resume.objects.filter(
                candidate__email=email, status=Resume.Status.FAILED
            ).first(),
            f"{name} to fail", timeout=TIME_LIMIT_SECONDS, logs=stack.logs,
        )  # fmt: skip
        assert time.monotonic() - submitted < TIME_LIMIT_SECONDS
        assert is_expected_reason(reason, failed.failure_reason), (name, failed.failure_reason)

    page = stack.submit_candidate(
        session,
        assignment=assignment_a,
        email="elf@example.com",
        resume=("cv.pdf", elf_executable()),
    )
    assert "This file is named .pdf but its contents are a program." in page.text
    assert not Submission.objects.filter(email="elf@example.com").exists()

    stack.submit_candidate(
        session, assignment=assignment_a, email="jane.roe@example.com",
        resume=("jane-roe.pdf", NORMAL_RESUME),
    )  # fmt: skip
    parsed = wait_for(
        lambda: Resume.objects.filter(
            candidate__email="jane.roe@example.com", status=Resume.Status.PARSED
        ).first(),
        "the normal resume to parse", timeout=TIME_LIMIT_SECONDS, logs=stack.logs,
    )  # fmt: skip
    assert (parsed.parsed_name, parsed.attempts) == ("Jane Roe", 1)
    assert worker.popen.poll() is None  # the same worker, still running
    assert not Resume.objects.exclude(status__in=[Resume.Status.FAILED, Resume.Status.PARSED])
