"""Contradicting identifiers: the same email or phone with another name never merges two people
silently. The agency is asked to check or confirm; a confirmed one is held as a case that a
recruiter resolves (candidates.duplicates.identity_conflict_resolve)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from candidates import duplicates, services
from candidates.models import (
    Application,
    Candidate,
    DuplicateRules,
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
    assert held.reason.endswith(
        " Held: Northwind Talent checks whether this is the person already known with this phone"
        " number."
    )
    assert not Resume.objects.filter(candidate=ada).exists()
    assert Application.objects.filter(candidate=ada).count() == 1
    case = held.identity_conflict
    assert (case.status, case.candidate, case.kind, case.value) == ("open", ada, "phone", PHONE)
    assert (case.submitted_name, case.known_name) == ("Grace Hopper", "Ada Lovelace")
    assert case.resume_name == "grace.txt" and case.text_consent
    opened = AuditEvent.objects.get(action="identity_conflict.opened")
    assert (opened.actor, opened.object_id, opened.agency_id) == (
        agency_a_user,
        str(case.public_id),
        held.agency_id,
    )
    assert opened.data == {
        "submission": str(held.public_id),
        "candidate": str(ada.public_id),
        "phone": PHONE,
    }
    recorded = AuditEvent.objects.get(action="submission.previously_submitted")
    assert (recorded.actor, recorded.object_id, recorded.agency_id) == (
        agency_a_user,
        str(held.public_id),
        held.agency_id,
    )
    assert recorded.data == {"reason": held.reason, "candidate": str(ada.public_id)}
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


# What a decision leaves behind ---------------------------------------------------------------


def test_the_decision_is_audited_with_who_the_note_and_the_outcome(
    ada, agency_b_user, assignment_b, recruiter
):
    held = _held(agency_b_user, assignment_b)
    case = duplicates.identity_conflict_resolve(
        actor=recruiter, conflict=held.identity_conflict, same_person=False, note=" Two people "
    )
    held.refresh_from_db()
    event = AuditEvent.objects.get(action="identity_conflict.different_people")
    assert (event.actor, event.object_id, event.agency_id) == (
        recruiter,
        str(case.public_id),
        assignment_b.agency_id,
    )
    assert event.summary == "Grace Hopper / Ada Lovelace: different people"
    assert event.data == {
        "note": "Two people",
        "candidate": str(held.candidate.public_id),
        "outcome": Outcome.NEW,
    }


def test_a_decision_without_a_note_records_none(ada, agency_b_user, assignment_b, recruiter):
    held = _held(agency_b_user, assignment_b)
    case = duplicates.identity_conflict_resolve(
        actor=recruiter, conflict=held.identity_conflict, same_person=True
    )
    assert case.note == "" and AuditEvent.objects.get(action__endswith="same_person").data[
        "note"
    ] == ("")


def test_the_agency_user_is_told_and_led_to_the_submission(
    ada, agency_b_user, assignment_b, recruiter
):
    held = _held(agency_b_user, assignment_b)
    duplicates.identity_conflict_resolve(
        actor=recruiter, conflict=held.identity_conflict, same_person=False
    )
    told = Notification.objects.get(user=agency_b_user)
    assert told.text == "Northwind Talent reviewed your submission of Grace Hopper: New"
    assert told.url == f"/agency/submissions/{held.public_id}/"


def test_a_second_decision_is_refused_with_the_reason(ada, agency_b_user, assignment_b, recruiter):
    case = _held(agency_b_user, assignment_b).identity_conflict
    duplicates.identity_conflict_resolve(actor=recruiter, conflict=case, same_person=True)
    with pytest.raises(ValidationError) as refused:
        duplicates.identity_conflict_resolve(actor=recruiter, conflict=case, same_person=False)
    assert refused.value.messages == ["This case was already resolved."]


@pytest.mark.parametrize(
    ("agency_user", "assignment", "same_person"),
    [("agency_a_user", "assignment_a", True), ("agency_b_user", "assignment_b", False)],
)
def test_the_held_copy_of_the_resume_is_deleted_once_it_is_filed(
    ada,
    recruiter,
    django_capture_on_commit_callbacks,
    request,
    agency_user,
    assignment,
    same_person,
):
    user, assignment = request.getfixturevalue(agency_user), request.getfixturevalue(assignment)
    held = _held(user, assignment, resume=SimpleUploadedFile("g.txt", b"CV"))
    held_file = held.identity_conflict.resume.name
    assert default_storage.exists(held_file)  # kept while the case is open
    with django_capture_on_commit_callbacks(execute=True):
        duplicates.identity_conflict_resolve(
            actor=recruiter, conflict=held.identity_conflict, same_person=same_person
        )
    assert not default_storage.exists(held_file)
    filed = Resume.objects.get()  # a copy of its own, under whoever the person turned out to be
    assert filed.file.name != held_file and default_storage.exists(filed.file.name)


# Same person: the held consent to texts -------------------------------------------------------


def test_same_person_files_the_consent_to_texts_given_with_the_held_submission(
    ada, agency_a_user, assignment_a, recruiter
):
    assert ada.text_consent_at is None
    case = _held(agency_a_user, assignment_a, text_consent=True).identity_conflict
    duplicates.identity_conflict_resolve(actor=recruiter, conflict=case, same_person=True)
    ada.refresh_from_db()
    assert ada.text_consent_at is not None


def test_same_person_without_consent_given_leaves_them_without_consent(
    ada, agency_a_user, assignment_a, recruiter
):
    case = _held(agency_a_user, assignment_a, text_consent=False).identity_conflict
    duplicates.identity_conflict_resolve(actor=recruiter, conflict=case, same_person=True)
    ada.refresh_from_db()
    assert ada.text_consent_at is None


def test_same_person_keeps_the_date_of_the_consent_they_gave_first(
    ada, agency_a_user, assignment_a, recruiter
):
    first_consent = timezone.now() - timedelta(days=30)
    Candidate.objects.filter(pk=ada.pk).update(text_consent_at=first_consent)
    case = _held(agency_a_user, assignment_a, text_consent=True).identity_conflict
    duplicates.identity_conflict_resolve(actor=recruiter, conflict=case, same_person=True)
    ada.refresh_from_db()
    assert ada.text_consent_at == first_consent


# Different people: the separated person's record ------------------------------------------


def _separate(conflict, recruiter, **options):
    duplicates.identity_conflict_resolve(
        actor=recruiter, conflict=conflict, same_person=False, **options
    )
    return Submission.objects.get(pk=conflict.submission_id)


@pytest.mark.parametrize("consented", [True, False])
def test_different_people_the_separated_person_keeps_the_consent_given_for_them(
    ada, agency_b_user, assignment_b, recruiter, consented
):
    case = _held(agency_b_user, assignment_b, text_consent=consented).identity_conflict
    grace = _separate(case, recruiter).candidate
    assert (grace.text_consent_at is not None) is consented
    assert Candidate.objects.get(pk=ada.pk).text_consent_at is None


def test_different_people_the_separated_person_is_owned_for_the_whole_window_from_now(
    ada, agency_b_user, assignment_b, recruiter
):
    DuplicateRules.objects.update_or_create(pk=1, defaults={"window_days": 90})
    before = timezone.now()
    grace = _separate(_held(agency_b_user, assignment_b).identity_conflict, recruiter).candidate
    assert grace.created_at >= before
    assert grace.ownership_ends_at - grace.created_at == timedelta(days=90)


def _held_with_adas_email(user, assignment):
    return _grace(
        user,
        assignment,
        email="ada@example.com",
        phone="+447400999999",
        confirmed_identity="email:ada@example.com",
    )


def test_different_people_the_agency_reads_why_the_submission_became_new(
    ada, agency_b_user, assignment_b, recruiter
):
    by_phone = _separate(_held(agency_b_user, assignment_b).identity_conflict, recruiter)
    assert by_phone.reason == (
        "Reviewed by Northwind Talent: not the person already known with this phone number. "
        "Added as a Lead and counted in your submissions."
    )
    by_email = _held_with_adas_email(agency_b_user, assignment_b)
    by_email = _separate(by_email.identity_conflict, recruiter)
    assert "not the person already known with this email address." in by_email.reason


def test_different_people_the_separated_person_is_asked_to_confirm_like_any_new_one(
    ada, agency_b_user, assignment_b, recruiter, settings
):
    before = timezone.now()
    held = _separate(_held(agency_b_user, assignment_b).identity_conflict, recruiter)
    assert held.confirmation == Submission.Confirmation.PENDING
    assert before + settings.SUBMISSION_CONFIRMATION_TTL <= held.confirmation_expires_at
    assert held.confirmation_expires_at <= timezone.now() + settings.SUBMISSION_CONFIRMATION_TTL


def test_different_people_under_the_same_job_scope_claim_the_email_for_this_job_only(
    agency_a_admin, assignment_a, agency_b_user, assignment_b, recruiter, job
):
    DuplicateRules.objects.update_or_create(pk=1, defaults={"scope": DuplicateRules.Scope.SAME_JOB})
    submit(agency_a_admin, assignment_a, phone=PHONE)
    grace = _separate(_held(agency_b_user, assignment_b).identity_conflict, recruiter).candidate
    assert IdentityClaim.objects.get(value="grace@example.com").job_id == job.pk
    assert grace.email == "grace@example.com"


def test_different_people_an_email_whose_old_claim_expired_goes_to_the_separated_person(
    ada, agency_b_user, assignment_b, recruiter, agency_a_admin, assignment_a
):
    """An earlier record left a claim on Grace's email (a merge keeps the merged record's claims
    under the survivor, who shows another email); its window has passed."""
    earlier = submit(agency_a_admin, assignment_a, first_name="Linus", email="linus@example.com")
    IdentityClaim.objects.create(
        kind="email", value="grace@example.com", candidate=earlier.candidate,
        claimed_at=timezone.now() - timedelta(days=400),
    )  # fmt: skip
    grace = _separate(_held(agency_b_user, assignment_b).identity_conflict, recruiter).candidate
    assert grace.email == "grace@example.com"
    assert IdentityClaim.objects.get(value="grace@example.com").candidate == grace


def test_different_people_an_email_given_to_someone_else_meanwhile_is_left_out(
    ada, agency_b_user, assignment_b, recruiter, agency_a_admin, assignment_a
):
    case = _held(agency_b_user, assignment_b).identity_conflict
    linus = submit(agency_a_admin, assignment_a, first_name="Linus", email="linus@example.com")
    duplicates.candidate_update_contact(
        actor=recruiter, candidate=linus.candidate, email="grace@example.com", phone=""
    )
    grace = _separate(case, recruiter).candidate
    assert (grace.email, grace.phone) == ("", "")
    assert IdentityClaim.objects.get(value="grace@example.com").candidate == linus.candidate


def test_the_phone_still_held_is_refused_with_what_to_do(
    ada, agency_b_user, assignment_b, recruiter
):
    case = _held(agency_b_user, assignment_b).identity_conflict
    with pytest.raises(ValidationError) as refused:
        _separate(case, recruiter, give_identifier=True)
    assert refused.value.message_dict == {
        "give_identifier": [
            "The phone number still belongs to Ada Lovelace. Remove it from their profile "
            "(Edit contact info) first, or leave it with them."
        ]
    }
    by_email = _held_with_adas_email(agency_b_user, assignment_b).identity_conflict
    with pytest.raises(ValidationError) as refused:
        _separate(by_email, recruiter, give_identifier=True)
    assert refused.value.messages[0].startswith("The email address still belongs to Ada Lovelace.")
