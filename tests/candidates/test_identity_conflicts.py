"""Contradicting identifiers: the same email or phone with another name never merges two people
silently. The agency is asked to check or confirm; a confirmed one is held as a case that a
recruiter resolves (candidates.duplicates.identity_conflict_resolve)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates import duplicates, services
from candidates.models import (
    Application,
    Candidate,
    IdentityClaim,
    IdentityConflict,
    Resume,
    Stage,
    Submission,
)
from recruitment.models import AuditEvent, Notification
from tests.factories import AssignmentFactory, submit

Outcome = Submission.Outcome
PHONE = "+447400123456"


@pytest.fixture
def assignment_b(job, agency_b):
    return AssignmentFactory(job=job, agency=agency_b)


@pytest.fixture
def ada(agency_a_admin, assignment_a):
    """Agency A's candidate, known by her email and phone."""
    return submit(agency_a_admin, assignment_a, phone=PHONE).candidate


def _grace(user, assignment, **fields):
    """Someone else, typed with Ada's phone."""
    return submit(
        user,
        assignment,
        **(
            {
                "first_name": "Grace",
                "last_name": "Hopper",
                "phone": PHONE,
                "email": "grace@example.com",
            }
            | fields
        ),
    )


def test_another_name_on_a_known_phone_is_refused_at_the_phone_field(
    ada, agency_b_user, assignment_b
):
    with pytest.raises(duplicates.IdentityContradiction) as asked:
        _grace(agency_b_user, assignment_b)
    message = asked.value.message_dict["phone"][0]
    assert "already known to" in message and "confirm" in message
    assert "Ada" not in message and "Agency A" not in message  # never who, for another agency
    assert asked.value.confirmation == f"phone:{PHONE}"
    assert Submission.objects.count() == 1 and Candidate.objects.count() == 1


def test_the_known_person_is_named_when_they_are_the_agencys_own(ada, agency_a_admin, assignment_a):
    with pytest.raises(duplicates.IdentityContradiction) as asked:
        _grace(agency_a_admin, assignment_a)
    assert "Ada Lovelace" in asked.value.message_dict["phone"][0]


def test_a_known_email_with_another_name_and_no_phone_is_refused_at_the_email_field(
    ada, agency_b_user, assignment_b
):
    with pytest.raises(duplicates.IdentityContradiction) as asked:
        _grace(agency_b_user, assignment_b, email="ada@example.com", phone="")
    assert list(asked.value.message_dict) == ["email"]


@pytest.mark.parametrize(
    "fields",
    [
        {
            "first_name": "ADA",
            "last_name": "lovelace",
            "phone": PHONE,
        },  # the same name, typed differently
        {"first_name": "Ada Augusta", "phone": PHONE},  # a middle name
        {"first_name": "Ada", "phone": "+447400999999"},  # the same name and email, a new phone
        {"first_name": "Augusta", "phone": PHONE},  # another name, but both identifiers are hers
    ],
)
def test_no_contradiction_when_the_name_or_the_other_identifier_agrees(
    ada, agency_b_user, assignment_b, fields
):
    assert submit(agency_b_user, assignment_b, **fields).outcome == Outcome.DUPLICATE


def test_confirmation_counts_only_for_the_value_confirmed(ada, agency_b_user, assignment_b):
    with pytest.raises(duplicates.IdentityContradiction):
        _grace(agency_b_user, assignment_b, confirmed_identity="phone:+447400999999")


def test_confirmed_contradiction_is_decided_as_today_and_held_as_a_case(
    ada, agency_a_user, agency_a_admin, assignment_a, recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        held = _grace(
            agency_a_user,
            assignment_a,
            confirmed_identity=f"phone:{PHONE}",
            resume=SimpleUploadedFile("grace.txt", b"Grace Hopper"),
            text_consent=True,
        )
    assert held.outcome == Outcome.PREVIOUSLY_SUBMITTED and not held.is_counted
    assert held.candidate == ada and held.application is None  # nothing filed under Ada
    assert "checks whether" in held.reason
    assert not Resume.objects.filter(candidate=ada).exists()
    assert Application.objects.filter(candidate=ada).count() == 1
    case = held.identity_conflict
    assert (case.status, case.candidate, case.kind, case.value) == ("open", ada, "phone", PHONE)
    assert (case.submitted_name, case.known_name) == ("Grace Hopper", "Ada Lovelace")
    assert case.resume_name == "grace.txt" and case.text_consent
    assert AuditEvent.objects.filter(action="identity_conflict.opened").exists()
    assert Notification.objects.filter(user=recruiter, url__contains=str(case.public_id)).exists()


def test_confirmed_contradiction_with_another_agencys_person_is_a_duplicate(
    ada, agency_b_user, assignment_b
):
    held = _grace(agency_b_user, assignment_b, confirmed_identity=f"phone:{PHONE}")
    assert held.outcome == Outcome.DUPLICATE and "Agency A" not in held.reason
    assert held.identity_conflict.status == IdentityConflict.Status.OPEN


def _held(user, assignment, **fields):
    return _grace(user, assignment, confirmed_identity=f"phone:{PHONE}", **fields)


def test_same_person_files_the_held_submission_under_the_known_candidate(
    ada, agency_a_user, assignment_a, recruiter
):
    held = _held(agency_a_user, assignment_a, resume=SimpleUploadedFile("g.txt", b"CV"))
    case = duplicates.identity_conflict_resolve(
        actor=recruiter, conflict=held.identity_conflict, same_person=True, note="Her new name"
    )
    held.refresh_from_db()
    assert (case.status, case.resolved_by, case.note) == ("same_person", recruiter, "Her new name")
    assert held.application.candidate == ada and held.outcome == Outcome.PREVIOUSLY_SUBMITTED
    assert "checks whether" not in held.reason
    assert Resume.objects.get().candidate == ada
    assert AuditEvent.objects.filter(action="identity_conflict.same_person").exists()
    assert Notification.objects.filter(user=agency_a_user).exists()


def test_different_people_gives_the_new_person_their_own_record_without_the_phone(
    ada, agency_b_user, assignment_b, recruiter
):
    held = _held(agency_b_user, assignment_b, resume=SimpleUploadedFile("g.txt", b"CV"))
    duplicates.identity_conflict_resolve(
        actor=recruiter, conflict=held.identity_conflict, same_person=False
    )
    held.refresh_from_db()
    grace = held.candidate
    assert grace != ada and grace.full_name == "Grace Hopper"
    assert (grace.agency, grace.submitted_by) == (assignment_b.agency, agency_b_user)
    assert (grace.email, grace.phone) == ("grace@example.com", "")
    assert held.outcome == Outcome.NEW and held.is_counted
    assert held.application.candidate == grace and held.application.stage == Stage.LEAD
    assert Resume.objects.get().candidate == grace
    claims = dict(IdentityClaim.objects.values_list("value", "candidate"))
    assert claims == {"ada@example.com": ada.pk, PHONE: ada.pk, "grace@example.com": grace.pk}
    assert AuditEvent.objects.filter(action="identity_conflict.different_people").exists()


def test_the_phone_goes_to_the_new_person_only_once_the_known_one_gave_it_up(
    ada, agency_b_user, assignment_b, recruiter
):
    case = _held(agency_b_user, assignment_b).identity_conflict
    with pytest.raises(ValidationError) as refused:
        duplicates.identity_conflict_resolve(
            actor=recruiter, conflict=case, same_person=False, give_identifier=True
        )
    assert "Ada Lovelace" in refused.value.message_dict["give_identifier"][0]
    duplicates.candidate_update_contact(actor=recruiter, candidate=ada, email=ada.email, phone="")
    duplicates.identity_conflict_resolve(
        actor=recruiter, conflict=case, same_person=False, give_identifier=True
    )
    grace = Submission.objects.get(pk=case.submission_id).candidate
    assert grace.phone == PHONE and IdentityClaim.objects.get(value=PHONE).candidate == grace


def test_a_case_is_resolved_once(ada, agency_b_user, assignment_b, recruiter):
    case = _held(agency_b_user, assignment_b).identity_conflict
    duplicates.identity_conflict_resolve(actor=recruiter, conflict=case, same_person=True)
    with pytest.raises(ValidationError, match="already resolved"):
        duplicates.identity_conflict_resolve(actor=recruiter, conflict=case, same_person=False)


def test_cases_are_for_job_managers_only(
    ada, agency_b_user, agency_b_admin, assignment_b, recruiter, owner, hiring_manager, job
):
    case = _held(agency_b_user, assignment_b).identity_conflict
    job.hiring_team.add(hiring_manager)
    assert list(IdentityConflict.objects.visible_to(recruiter)) == [case]
    assert list(IdentityConflict.objects.visible_to(owner)) == [case]
    for outsider in (hiring_manager, agency_b_user, agency_b_admin):
        assert not IdentityConflict.objects.visible_to(outsider).exists()


def test_a_merge_takes_the_known_persons_cases_along(
    ada, agency_b_user, assignment_b, recruiter, agency_a_admin, assignment_a
):
    case = _held(agency_b_user, assignment_b).identity_conflict
    IdentityClaim.objects.update(claimed_at=ada.created_at.replace(year=2000))
    twin = submit(agency_a_admin, assignment_a).candidate
    services.candidate_merge(actor=recruiter, into=twin, merged=ada)
    case.refresh_from_db()
    assert case.candidate == twin
