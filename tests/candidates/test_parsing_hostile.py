"""Hostile uploads through the sandbox: each is refused quickly with a clear reason (the files:
tests/hostile_files.py, and a truncated sample resume)."""

import time

import pytest

from candidates.parsing import ParseError
from candidates.sandbox import parse_in_subprocess
from tests.hostile_files import HOSTILE_FILES, NORMAL_RESUME, is_expected_reason, slow_scan

TIME_LIMIT_SECONDS = 30


def assert_normal_resume_still_parses() -> None:
    parsed = parse_in_subprocess(NORMAL_RESUME, "jane_roe.pdf")
    assert (parsed.full_name, parsed.email) == ("Jane Roe", "jane.roe@example.com")
    assert parsed.phone.startswith("+1") and parsed.experience[0]["employer"] == "Acme Corp"


@pytest.mark.parametrize(
    ("build", "filename", "reason"),
    [case[1:] for case in HOSTILE_FILES],
    ids=[case[0] for case in HOSTILE_FILES],
)
def test_hostile_file_is_refused_quickly(build, filename, reason):
    data = build()
    started = time.monotonic()
    with pytest.raises(ParseError) as raised:
        parse_in_subprocess(data, filename)
    elapsed = time.monotonic() - started

    assert elapsed < TIME_LIMIT_SECONDS
    assert is_expected_reason(reason, raised.value.reason), raised.value.reason
    assert_normal_resume_still_parses()


def test_truncated_sample_resume_is_refused_quickly(sample_resumes):
    data = (sample_resumes / "rendercv_classic.pdf").read_bytes()
    started = time.monotonic()
    with pytest.raises(ParseError, match=r"^The file is damaged or truncated\.$"):
        parse_in_subprocess(data[: len(data) // 2], "resume.pdf")
    assert time.monotonic() - started < TIME_LIMIT_SECONDS
    assert_normal_resume_still_parses()


def test_a_slow_parse_is_stopped_by_the_wall_clock_timeout():
    with pytest.raises(ParseError, match=r"^Parsing took longer than 0\.2 seconds; "):
        parse_in_subprocess(slow_scan(), "scan.pdf", timeout=0.2)
    assert_normal_resume_still_parses()
