"""The identity claims that decide a duplicate: which claim a take-over changes, the window's
exact last moment, what 'in process' means to the duplicate rules, and what the cap counts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from candidates.models import DuplicateRules, IdentityClaim, Stage, Submission
from tests.factories import AssignmentFactory, JobFactory, submit

Outcome = Submission.Outcome
ADA = {"email": "ada@example.com", "phone": "+447400123456"}


@pytest.fixture
def assignment_b(job, agency_b):
    return AssignmentFactory(job=job, agency=agency_b)


def _claims():
    return {(claim.kind, claim.value): claim.candidate_id for claim in IdentityClaim.objects.all()}


def test_taking_over_an_expired_email_claim_moves_only_that_claim(
    agency_a_user, agency_b_user, assignment_a, assignment_b
):
    ada = submit(agency_a_user, assignment_a, **ADA).candidate
    grace = submit(agency_a_user, assignment_a, first_name="Grace", email="grace@example.com")
    IdentityClaim.objects.filter(candidate=ada).update(claimed_at=timezone.now() - timedelta(200))
    again = submit(agency_b_user, assignment_b, email=ADA["email"])  # the email alone, this time
    assert again.outcome == Outcome.NEW and again.candidate != ada
    assert _claims() == {
        ("email", "ada@example.com"): again.candidate.pk,  # taken over
        ("phone", "+447400123456"): ada.pk,  # not presented again: still the first profile's
        ("email", "grace@example.com"): grace.candidate.pk,  # someone else's: untouched
    }


def test_a_claim_is_taken_over_at_the_windows_exact_end_not_a_moment_before(
    agency_a_user, agency_b_user, assignment_a, assignment_b, monkeypatch
):
    first = submit(agency_a_user, assignment_a)
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    window = DuplicateRules.current().window
    claims = IdentityClaim.objects.filter(candidate=first.candidate)
    claims.update(claimed_at=now - window + timedelta(microseconds=1))
    assert submit(agency_b_user, assignment_b).outcome == Outcome.DUPLICATE
    claims.update(claimed_at=now - window)
    assert submit(agency_b_user, assignment_b).outcome == Outcome.NEW


@pytest.mark.parametrize(
    "stage, outcome",
    [
        (Stage.LEAD, Outcome.DUPLICATE),
        (Stage.NEW, Outcome.DUPLICATE),
        (Stage.IN_REVIEW, Outcome.BLOCKED),
        (Stage.INTERVIEW, Outcome.BLOCKED),
        (Stage.OFFERED, Outcome.BLOCKED),
        (Stage.REJECTED, Outcome.DUPLICATE),
    ],
)
def test_block_when_in_process_blocks_review_interview_and_offer_only(
    agency_a_user, agency_b_user, assignment_a, assignment_b, stage, outcome
):
    DuplicateRules.objects.update_or_create(pk=1, defaults={"block_when_in_process": True})
    first = submit(agency_a_user, assignment_a)
    first.application.stage, first.application.rejection_reason = stage, "Not a fit"
    first.application.save(update_fields=["stage", "rejection_reason"])
    assert submit(agency_b_user, assignment_b).outcome == outcome


def test_the_cap_counts_the_agencys_submissions_for_this_job_only(
    agency_a_user, agency_b_user, assignment_a, assignment_b, recruiter
):
    assignment_a.max_submissions = 1
    assignment_a.save(update_fields=["max_submissions"])
    other_job = AssignmentFactory(job=JobFactory(coordinator=recruiter), agency=assignment_a.agency)
    submit(agency_a_user, other_job, first_name="Grace", email="grace@example.com")
    submit(agency_b_user, assignment_b, first_name="Linus", email="linus@example.com")
    assert submit(agency_a_user, assignment_a).outcome == Outcome.NEW  # the one place left
    with pytest.raises(ValidationError, match="cap of 1"):
        submit(agency_a_user, assignment_a, first_name="Alan", email="alan@example.com")


def test_a_duplicate_submission_does_not_use_a_place_of_the_cap(
    agency_a_user, agency_b_user, assignment_a, assignment_b
):
    submit(agency_b_user, assignment_b)  # agency B presents Ada first
    assignment_a.max_submissions = 1
    assignment_a.save(update_fields=["max_submissions"])
    assert submit(agency_a_user, assignment_a).outcome == Outcome.DUPLICATE
    grace = submit(agency_a_user, assignment_a, first_name="Grace", email="grace@example.com")
    assert grace.outcome == Outcome.NEW


def test_a_new_candidate_keeps_what_the_agency_entered(agency_a_user, assignment_a):
    candidate = submit(agency_a_user, assignment_a, first_name=" Ada ", **ADA).candidate
    candidate.refresh_from_db()
    assert (candidate.first_name, candidate.last_name, candidate.email, candidate.phone) == (
        "Ada",
        "Lovelace",
        "ada@example.com",
        "+447400123456",
    )
    assert (candidate.agency, candidate.submitted_by) == (assignment_a.agency, agency_a_user)
