"""submission_create as the portal calls it: what is kept of what the agency typed, what is
assumed when a field is left out, and the words of its answers."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from candidates import duplicates, services
from candidates.models import Submission
from recruitment.models import Job, Role
from tests.factories import JobFactory, UserFactory


def test_fields_left_out_are_empty_and_consent_is_not_assumed(agency_a_user, assignment_a):
    by_email = duplicates.submission_create(
        actor=agency_a_user, assignment=assignment_a, first_name="Ada", last_name="Lovelace",
        email=" Ada@Example.com ",
    )  # fmt: skip
    by_phone = duplicates.submission_create(
        actor=agency_a_user, assignment=assignment_a, first_name="Grace", last_name="Hopper",
        phone="+447400123456",
    )  # fmt: skip
    for submission in (by_email, by_phone):
        submission.refresh_from_db()
        assert submission.outcome == Submission.Outcome.NEW and submission.note == ""
        assert submission.candidate.text_consent_at is None
    assert (by_email.email, by_email.phone) == ("ada@example.com", "")
    assert (by_email.candidate.email, by_email.candidate.phone) == ("ada@example.com", "")
    assert (by_phone.email, by_phone.phone) == ("", "+447400123456")
    assert (by_phone.candidate.email, by_phone.candidate.phone) == ("", "+447400123456")


def test_the_note_and_the_consent_given_are_kept(agency_a_user, assignment_a):
    submission = duplicates.submission_create(
        actor=agency_a_user, assignment=assignment_a, first_name="Ada", last_name="Lovelace",
        email="ada@example.com", note="Available in May", text_consent=True,
    )  # fmt: skip
    submission.refresh_from_db()
    assert submission.note == "Available in May"
    assert submission.candidate.text_consent_at is not None
    assert submission.reason == "New candidate: added as a Lead and counted in your submissions."


def test_neither_email_nor_phone_is_refused_at_the_email_field(agency_a_user, assignment_a):
    with pytest.raises(ValidationError) as refused:
        duplicates.submission_create(
            actor=agency_a_user, assignment=assignment_a, first_name="Ada", last_name="Lovelace"
        )
    assert refused.value.message_dict == {"email": ["Give an email address or a phone number."]}
    assert not Submission.objects.exists()


@pytest.mark.parametrize("closed_by", ["withdrawal", "job closed"])
def test_a_job_no_longer_open_to_the_agency_is_refused_at_the_job_field(
    agency_a_user, assignment_a, closed_by
):
    duplicates.submission_create(
        actor=agency_a_user, assignment=assignment_a, first_name="Ada", last_name="Lovelace",
        email="ada@example.com",
    )  # fmt: skip
    if closed_by == "withdrawal":
        assignment_a.withdrawn_at = timezone.now()
        assignment_a.save(update_fields=["withdrawn_at"])
    else:
        assignment_a.job.status = Job.Status.CLOSED
        assignment_a.job.save(update_fields=["status"])
    with pytest.raises(ValidationError) as refused:
        duplicates.submission_create(
            actor=agency_a_user, assignment=assignment_a, first_name="Grace", last_name="Hopper",
            email="grace@example.com",
        )  # fmt: skip
    assert refused.value.message_dict == {"job": ["This job is no longer open to your agency."]}
    assert Submission.objects.count() == 1


def test_the_people_told_about_a_jobs_candidates_are_its_coordinator_and_team_recruiters(owner):
    coordinator = UserFactory(role=Role.RECRUITER, email="coordinator@example.com")
    team_recruiter = UserFactory(role=Role.RECRUITER, email="team@example.com")
    away = UserFactory(role=Role.RECRUITER, email="away@example.com", is_active=False)
    manager = UserFactory(role=Role.HIRING_MANAGER, email="manager@example.com")
    UserFactory(role=Role.RECRUITER, email="elsewhere@example.com")  # on no team of this job
    job = JobFactory(coordinator=coordinator, hiring_team=[owner, team_recruiter, away, manager])
    assert set(services.job_recruiters(job)) == {coordinator, owner, team_recruiter}
