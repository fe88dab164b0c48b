"""Field accuracy of the resume parser on the labelled sample resumes in ../shared/resumes.

The samples are not copied into the project. Without them the tests fail with a clear message,
unless RESUME_SAMPLES_DIR=skip. How the free-text labels are read (and the judgement applied to
"invalid"/"fictional" phones) is documented in devtools.parser_eval.judge_e164.
"""

import os
from pathlib import Path
from typing import Any

import phonenumbers
import pytest

from candidates.parsing import parse_resume
from devtools.parser_eval import (
    SAMPLES_ENV_VAR,
    evaluate,
    load_expectations,
    resume_samples_dir,
)

# Printed in the References section of simple_resume_cv.pdf, after the candidate's own contacts.
SIMPLE_RESUME_REFEREE_EMAILS = {"jonathanpublic@example.com", "alicebobcarol@example.com"}
SIMPLE_RESUME_REFEREE_PHONES = {"+1 (555) 222-2222", "+1 (555) 333-3333"}


@pytest.fixture(scope="module")
def samples_dir() -> Path:
    if os.environ.get(SAMPLES_ENV_VAR) == "skip":
        pytest.skip(f"{SAMPLES_ENV_VAR}=skip")
    path = resume_samples_dir()
    if not path.is_dir():
        pytest.fail(
            f"Sample resumes not found at {path}; set {SAMPLES_ENV_VAR} to their folder "
            f"(or to 'skip').",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="module")
def evaluation(samples_dir: Path) -> dict[str, Any]:
    return evaluate(samples_dir)


def failures(evaluation: dict[str, Any], field: str) -> list[str]:
    return [
        f"{row['file']}: got {row.get(field, row['error'])!r}"
        for row in evaluation["rows"]
        if not row.get("checks", {}).get(field, True)
    ]


def test_every_sample_is_labelled(evaluation):
    assert evaluation["unlabelled"] == [] and evaluation["missing"] == []
    assert evaluation["counts"]["name"] >= 20


def valid_e164(printed: str) -> str:
    try:
        number = phonenumbers.parse(printed, "US")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_label_judgements_agree_with_phonenumbers(samples_dir):
    """The judged E.164 of each file is its first printed phone's, exactly when that is valid."""
    for file, expectation in load_expectations(samples_dir).items():
        primary = expectation.phones_as_printed[0] if expectation.phones_as_printed else ""
        assert expectation.e164 == valid_e164(primary), file


@pytest.mark.parametrize(("field", "minimum"), [("email", 0.98), ("phone", 0.95), ("name", 0.90)])
def test_field_accuracy(evaluation, field, minimum):
    accuracy = evaluation["accuracy"][field]
    assert accuracy >= minimum, "\n".join(failures(evaluation, field))


def test_rendercv_experience_matches_the_yaml_input(evaluation):
    assert evaluation["counts"]["experience"] == 9
    assert evaluation["accuracy"]["experience"] == 1, "\n".join(failures(evaluation, "experience"))


def test_no_referee_contact_is_returned_for_simple_resume_cv(samples_dir):
    path = samples_dir / "simple_resume_cv.pdf"
    parsed = parse_resume(path.read_bytes(), path.name)
    assert parsed.email == "johndoe@example.com"
    assert parsed.email not in SIMPLE_RESUME_REFEREE_EMAILS
    assert parsed.phone_as_printed not in SIMPLE_RESUME_REFEREE_PHONES
    assert parsed.phone_as_printed == "+1 (555) 101-1001"


def test_parse_time_stays_reasonable(evaluation):
    # Generous bounds: they catch a runaway regression, not normal noise (pdfminer is ~0.1 s/page).
    assert evaluation["seconds"]["p50"] < 2
    assert evaluation["seconds"]["max"] < 10
