"""Every outcome of a submission, against the real database."""

from datetime import timedelta

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from candidates import phones
from candidates.models import Candidate, DuplicateRules, IdentityClaim, Stage, Submission
from recruitment.models import AuditEvent
from tests.factories import AgencyUserFactory, AssignmentFactory, submit

Outcome = Submission.Outcome


@pytest.fixture
def assignment_b(job, agency_b):
    return AssignmentFactory(job=job, agency=agency_b)


def test_first_submission_is_new_lead_owned_by_the_agency(agency_a_user, assignment_a):
    submission = submit(agency_a_user, assignment_a)
    candidate = submission.candidate
    assert submission.outcome == Outcome.NEW and submission.is_counted
    assert (candidate.agency, candidate.submitted_by, candidate.source) == (
        assignment_a.agency,
        agency_a_user,
        Candidate.Source.AGENCY_PORTAL,
    )
    assert submission.application.stage == Stage.LEAD
    assert candidate.ownership_ends_at - candidate.created_at == timedelta(days=183)
    assert AuditEvent.objects.filter(
        action="submission.new", object_id=str(submission.public_id)
    ).exists()


def test_same_agency_again_is_previously_submitted(agency_a_user, agency_a_admin, assignment_a):
    first = submit(agency_a_user, assignment_a)
    again = submit(agency_a_admin, assignment_a, first_name="Augusta Ada")
    assert again.outcome == Outcome.PREVIOUSLY_SUBMITTED and not again.is_counted
    assert again.candidate == first.candidate and again.application == first.application
    assert "already submitted" in again.reason


def test_other_agency_is_duplicate_and_never_learns_who(
    agency_a_user, agency_b_user, assignment_a, assignment_b
):
    first = submit(agency_a_user, assignment_a)
    duplicate = submit(agency_b_user, assignment_b)
    assert duplicate.outcome == Outcome.DUPLICATE and not duplicate.is_counted
    assert assignment_a.agency.name not in duplicate.reason and "agency" in duplicate.reason.lower()
    assert duplicate.application is None
    first.candidate.refresh_from_db()
    assert first.candidate.agency == assignment_a.agency  # the first owner keeps ownership


def test_direct_applicant_makes_agency_submission_a_duplicate(agency_b_user, assignment_b, job):
    direct = Candidate.objects.create(
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        source=Candidate.Source.DIRECT,
    )
    IdentityClaim.objects.create(kind="email", value="ada@example.com", candidate=direct)
    assert submit(agency_b_user, assignment_b).outcome == Outcome.DUPLICATE


@pytest.mark.parametrize(
    ("age", "outcome"),
    [
        (timedelta(days=182), Outcome.DUPLICATE),  # a day inside the 183-day window
        (timedelta(days=182, hours=23), Outcome.DUPLICATE),
        (timedelta(days=183, seconds=1), Outcome.NEW),
        (timedelta(days=184), Outcome.NEW),  # a day outside
    ],
)
def test_window_edge_a_day_inside_and_outside(
    agency_a_user, agency_b_user, assignment_a, assignment_b, age, outcome
):
    first = submit(agency_a_user, assignment_a)
    IdentityClaim.objects.filter(candidate=first.candidate).update(claimed_at=timezone.now() - age)
    assert submit(agency_b_user, assignment_b).outcome == outcome


def test_after_the_window_the_new_agency_owns_the_person(
    agency_a_user, agency_b_user, assignment_a, assignment_b
):
    first = submit(agency_a_user, assignment_a)
    IdentityClaim.objects.update(claimed_at=timezone.now() - timedelta(days=200))
    second = submit(agency_b_user, assignment_b)
    assert second.candidate != first.candidate and second.candidate.agency == assignment_b.agency
    assert set(IdentityClaim.objects.values_list("candidate", flat=True)) == {second.candidate.pk}


def test_window_is_configurable(agency_a_user, agency_b_user, assignment_a, assignment_b):
    DuplicateRules.objects.update_or_create(pk=1, defaults={"window_days": 30})
    submit(agency_a_user, assignment_a)
    IdentityClaim.objects.update(claimed_at=timezone.now() - timedelta(days=31))
    assert submit(agency_b_user, assignment_b).outcome == Outcome.NEW


def _formats(region="GB"):
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, [national, international, e164, international.replace(" ", "-"), "00" + e164[1:]]


@pytest.mark.parametrize("typed", _formats()[1])
def test_phone_typed_in_any_format_matches(
    agency_a_user, agency_b_user, assignment_a, assignment_b, typed
):
    e164, _ = _formats()
    submit(agency_a_user, assignment_a, email="", phone=phones.to_e164(_formats()[1][0], "GB"))
    second = submit(agency_b_user, assignment_b, email="", phone=phones.to_e164(typed, "GB"))
    assert second.phone == e164 and second.outcome == Outcome.DUPLICATE


def test_email_is_matched_case_insensitively(
    agency_a_user, agency_b_user, assignment_a, assignment_b
):
    submit(agency_a_user, assignment_a, email="Ada@Example.com")
    assert (
        submit(agency_b_user, assignment_b, email=" ada@EXAMPLE.com ").outcome == Outcome.DUPLICATE
    )


def test_match_on_phone_when_email_differs(
    agency_a_user, agency_b_user, assignment_a, assignment_b
):
    e164, _ = _formats()
    submit(agency_a_user, assignment_a, phone=e164)
    assert (
        submit(agency_b_user, assignment_b, email="other@example.com", phone=e164).outcome
        == Outcome.DUPLICATE
    )


def test_hired_person_is_blocked_and_nothing_is_created(
    agency_a_user, agency_b_user, assignment_a, assignment_b
):
    first = submit(agency_a_user, assignment_a)
    first.application.stage = Stage.HIRED
    first.application.save()
    blocked = submit(agency_b_user, assignment_b)
    assert blocked.outcome == Outcome.BLOCKED and blocked.application is None
    assert Candidate.objects.count() == 1


@pytest.mark.parametrize(
    ("stage", "rule"),
    [(Stage.HIRED, "block_when_hired"), (Stage.INTERVIEW, "block_when_in_process")],
)
def test_blocked_never_tells_another_agency_why(
    agency_a_user, agency_b_user, assignment_a, assignment_b, stage, rule
):
    DuplicateRules.objects.update_or_create(pk=1, defaults={rule: True})
    first = submit(agency_a_user, assignment_a)
    first.application.stage = stage
    first.application.save()
    theirs = submit(agency_b_user, assignment_b)
    assert theirs.outcome == Outcome.BLOCKED
    assert theirs.reason == "Not created: the duplicate rules refuse this person."
    # the agency's own candidate: it may be told that they are its own, and when it sent them
    own = submit(agency_a_user, assignment_a)
    assert own.outcome == Outcome.BLOCKED and "Your agency submitted them on" in own.reason
    for reason in (theirs.reason, own.reason):
        assert not any(word in reason.lower() for word in ("hired", "recent", "process"))


def test_in_process_blocks_only_when_the_owner_says_so(
    agency_a_user, agency_b_user, assignment_a, assignment_b
):
    first = submit(agency_a_user, assignment_a)
    first.application.stage = Stage.INTERVIEW
    first.application.save()
    assert submit(agency_b_user, assignment_b).outcome == Outcome.DUPLICATE
    DuplicateRules.objects.update_or_create(pk=1, defaults={"block_when_in_process": True})
    assert submit(agency_b_user, assignment_b).outcome == Outcome.BLOCKED


def test_rejection_releases_the_claim_only_when_the_rule_says_so(
    agency_a_user, agency_b_user, assignment_a, assignment_b
):
    first = submit(agency_a_user, assignment_a)
    first.application.stage, first.application.rejection_reason = Stage.REJECTED, "Not a fit"
    first.application.save()
    assert submit(agency_b_user, assignment_b).outcome == Outcome.DUPLICATE
    DuplicateRules.objects.update_or_create(pk=1, defaults={"release_on_rejection": True})
    assert submit(agency_b_user, assignment_b).outcome == Outcome.NEW


def test_same_job_scope_lets_another_agency_present_the_person_for_another_job(
    agency_a_user, agency_b_user, assignment_a, agency_b, recruiter
):
    from tests.factories import JobFactory

    DuplicateRules.objects.update_or_create(pk=1, defaults={"scope": DuplicateRules.Scope.SAME_JOB})
    submit(agency_a_user, assignment_a)
    other_job = AssignmentFactory(job=JobFactory(coordinator=recruiter), agency=agency_b)
    same_job = AssignmentFactory(job=assignment_a.job, agency=agency_b)
    assert submit(agency_b_user, other_job).outcome == Outcome.NEW
    assert submit(agency_b_user, same_job).outcome == Outcome.DUPLICATE


def test_submission_cap_is_enforced_with_a_clear_message(agency_a_user, assignment_a):
    assignment_a.max_submissions = 1
    assignment_a.save()
    submit(agency_a_user, assignment_a)
    with pytest.raises(ValidationError) as error:
        submit(agency_a_user, assignment_a, email="grace@example.com")
    assert "cap of 1" in error.value.message_dict["job"][0]


def test_the_cap_counts_only_what_the_outcome_counts(
    agency_a_user, agency_b_user, assignment_a, assignment_b
):
    """Previously submitted says "not counted", so it takes no place; nor do Duplicate and Blocked."""
    assignment_a.max_submissions = 2
    assignment_a.save()
    submit(agency_b_user, assignment_b, email="grace@example.com")
    assert submit(agency_a_user, assignment_a, email="grace@example.com").outcome == "duplicate"
    assert submit(agency_a_user, assignment_a).outcome == Outcome.NEW
    assert submit(agency_a_user, assignment_a).outcome == Outcome.PREVIOUSLY_SUBMITTED
    assert submit(agency_a_user, assignment_a, email="linus@example.com").outcome == Outcome.NEW
    with pytest.raises(ValidationError, match="cap of 2"):
        submit(agency_a_user, assignment_a, email="margaret@example.com")


def test_withdrawn_job_refuses_submissions(agency_a_user, assignment_a):
    assignment_a.withdrawn_at = timezone.now()
    assignment_a.save()
    with pytest.raises(ValidationError, match="no longer open"):
        submit(agency_a_user, assignment_a)


def test_withdrawn_job_keeps_agency_read_access_to_what_it_submitted(
    client_of, agency_a_user, assignment_a
):
    from django.urls import reverse

    submission = submit(agency_a_user, assignment_a)
    assignment_a.withdrawn_at = timezone.now()
    assignment_a.save()
    assert (
        client_of(agency_a_user)
        .get(reverse("portal-candidates:detail", args=[submission.public_id]))
        .status_code
        == 200
    )


def test_every_submission_keeps_its_outcome_and_reason(
    agency_a_user, agency_b_user, assignment_a, assignment_b
):
    submit(agency_a_user, assignment_a)
    submit(agency_b_user, assignment_b)
    assert all(s.reason for s in Submission.objects.all())
    assert sorted(Submission.objects.values_list("outcome", flat=True)) == ["duplicate", "new"]


def test_agency_recruiter_sees_only_own_candidates_admin_sees_pool(
    agency_a, assignment_a, agency_a_admin
):
    alice, bob = AgencyUserFactory(agency=agency_a), AgencyUserFactory(agency=agency_a)
    mine = submit(alice, assignment_a).candidate
    theirs = submit(bob, assignment_a, email="grace@example.com").candidate
    assert list(Candidate.objects.visible_to(alice)) == [mine]
    assert set(Candidate.objects.visible_to(agency_a_admin)) == {mine, theirs}
