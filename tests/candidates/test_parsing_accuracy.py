"""Field accuracy of the resume parser on the labelled sample resumes in ../shared/resumes.

The samples are not copied into the project; without them the tests skip, saying where they looked
(the sample_resumes fixture). How the free-text labels are read (and the judgement applied to
"invalid"/"fictional" phones) is documented in devtools.parser_eval.judge_e164.
"""

from pathlib import Path
from typing import Any

import phonenumbers
import pytest

from candidates.parsing import parse_resume
from devtools.parser_eval import (
    evaluate,
    load_expectations,
)

# Printed in the References section of simple_resume_cv.pdf, after the candidate's own contacts.
SIMPLE_RESUME_REFEREE_EMAILS = {"jonathanpublic@example.com", "alicebobcarol@example.com"}
SIMPLE_RESUME_REFEREE_PHONES = {"+1 (555) 222-2222", "+1 (555) 333-3333"}


@pytest.fixture(scope="module")
def evaluation(sample_resumes: Path) -> dict[str, Any]:
    return evaluate(sample_resumes)


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


def test_label_judgements_agree_with_phonenumbers(sample_resumes):
    """The judged E.164 of each file is its first printed phone's, exactly when that is valid."""
    for file, expectation in load_expectations(sample_resumes).items():
        primary = expectation.phones_as_printed[0] if expectation.phones_as_printed else ""
        assert expectation.e164 == valid_e164(primary), file


@pytest.mark.parametrize(("field", "minimum"), [("email", 0.98), ("phone", 0.95), ("name", 0.90)])
def test_field_accuracy(evaluation, field, minimum):
    accuracy = evaluation["accuracy"][field]
    assert accuracy >= minimum, "\n".join(failures(evaluation, field))


def test_rendercv_experience_matches_the_yaml_input(evaluation):
    assert evaluation["counts"]["experience"] == 9
    assert evaluation["accuracy"]["experience"] == 1, "\n".join(failures(evaluation, "experience"))


def test_no_referee_contact_is_returned_for_simple_resume_cv(sample_resumes):
    path = sample_resumes / "simple_resume_cv.pdf"
    parsed = parse_resume(path.read_bytes(), path.name)
    assert parsed.email == "johndoe@example.com"
    assert parsed.email not in SIMPLE_RESUME_REFEREE_EMAILS
    assert parsed.phone_as_printed not in SIMPLE_RESUME_REFEREE_PHONES
    assert parsed.phone_as_printed == "+1 (555) 101-1001"


def test_parse_time_stays_reasonable(evaluation):
    # Generous bounds: they catch a runaway regression, not normal noise (pdfminer is ~0.1 s/page).
    assert evaluation["seconds"]["p50"] < 2
    assert evaluation["seconds"]["max"] < 10
