"""Owners and recruiters edit an active assignment's instructions and terms; the change is audited
(old and new values) and the agency's active users are told what changed, in-app and by email."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agencies import services
from recruitment.models import AuditEvent, Notification
from tests.factories import AgencyUserFactory, AssignmentFactory, JobFactory, submit


@pytest.fixture
def assignment(job, agency_a, agency_a_admin, agency_a_user):
    return AssignmentFactory(
        job=job,
        agency=agency_a,
        instructions="Salary 80-90k",
        fee_percent=Decimal("18"),
        guarantee_days=90,
        max_submissions=5,
    )


def _url(assignment):
    return reverse("agencies:assignment-edit", args=[assignment.public_id])


TERMS = {
    "instructions": "Salary 90-100k; German required",
    "fee_percent": "20",
    "guarantee_days": "90",
    "max_submissions": "8",
}


def test_a_recruiter_changes_the_terms_and_the_agency_is_told_what_changed(
    client_of,
    recruiter,
    assignment,
    agency_a,
    agency_a_admin,
    agency_a_user,
    agency_b_user,
    django_capture_on_commit_callbacks,
):
    gone = AgencyUserFactory(agency=agency_a, email="gone@a.example", is_active=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_of(recruiter).post(_url(assignment), TERMS)
        assert not mail.outbox  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert response.status_code == 302
    assert response.url == reverse("recruitment:job-detail", args=[assignment.job.public_id])
    assignment.refresh_from_db()
    assert (assignment.instructions, assignment.fee_percent, assignment.max_submissions) == (
        "Salary 90-100k; German required",
        Decimal("20"),
        8,
    )

    event = AuditEvent.objects.get(action="job.terms_changed")
    assert event.actor == recruiter and event.agency_id == agency_a.pk
    assert event.data == {
        "instructions": {"from": "Salary 80-90k", "to": "Salary 90-100k; German required"},
        "fee_percent": {"from": "18", "to": "20"},
        "max_submissions": {"from": "5", "to": "8"},
    }
    assert "fee 18% → 20%" in event.summary and "submission cap 5 → 8" in event.summary

    told = sorted([agency_a_admin.email, agency_a_user.email])
    assert sorted(message.to[0] for message in mail.outbox) == told
    email = mail.outbox[0]
    page = reverse("portal:assignment-detail", args=[assignment.public_id])
    assert assignment.job.ref in email.subject and f"{settings.SITE_URL}{page}" in email.body
    for text in ("Fee: 18% → 20%", "Submission cap: 5 → 8", "Salary 90-100k; German required"):
        assert text in email.body
    assert "Guarantee" not in email.body  # unchanged terms are not listed as changes
    notices = Notification.objects.filter(url=page)
    assert sorted(notices.values_list("user__email", flat=True)) == told
    assert "fee 18% → 20%" in notices.first().text
    assert not Notification.objects.filter(user__in=[gone, agency_b_user]).exists()


def test_the_agency_sees_the_new_terms_on_its_job_page(
    client_of, recruiter, assignment, agency_a_user
):
    page = reverse("portal:assignment-detail", args=[assignment.public_id])
    before = client_of(agency_a_user).get(page).content.decode()
    assert "Up to 5 submissions" in before and "Fee 18%" in before
    client_of(recruiter).post(_url(assignment), {**TERMS, "fee_percent": "", "guarantee_days": ""})
    html = client_of(agency_a_user).get(page).content.decode()
    assert "Up to 8 submissions" in html and "German required" in html
    assert "Fee 18%" not in html and "guarantee" not in html


def test_the_form_shows_the_current_terms(client_of, recruiter, assignment):
    response = client_of(recruiter).get(_url(assignment))
    html = response.content.decode()
    assert response.status_code == 200 and "Salary 80-90k" in html
    assert 'value="18' in html and 'value="90"' in html and 'value="5"' in html
    assert "Agency A" in html and assignment.job.title in html


def test_saving_without_a_change_tells_nobody(
    client_of, recruiter, assignment, django_capture_on_commit_callbacks
):
    same = {
        "instructions": "Salary 80-90k",
        "fee_percent": "18.00",
        "guarantee_days": "90",
        "max_submissions": "5",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(recruiter).post(_url(assignment), same, follow=True)
    assert "Nothing changed" in response.content.decode()
    assert not mail.outbox and not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="job.terms_changed").exists()


def test_bad_terms_are_marked_and_what_was_typed_is_kept(client_of, recruiter, assignment):
    response = client_of(recruiter).post(
        _url(assignment), {**TERMS, "fee_percent": "150", "max_submissions": "0"}
    )
    assert response.status_code == 200
    assert {"fee_percent", "max_submissions"} <= response.context["form"].errors.keys()
    assert "German required" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.fee_percent == Decimal("18") and assignment.max_submissions == 5


def test_a_withdrawn_assignment_cannot_be_edited(client_of, recruiter, assignment):
    services.assignment_withdraw(actor=recruiter, assignment=assignment)
    client = client_of(recruiter)
    response = client.get(_url(assignment), follow=True)
    assert "withdrawn" in response.content.decode() and "form" not in response.context
    client.post(_url(assignment), TERMS)
    assignment.refresh_from_db()
    assert assignment.max_submissions == 5
    with pytest.raises(ValidationError):
        services.assignment_update(actor=recruiter, assignment=assignment, **TERMS)


def test_the_panel_offers_editing_for_active_assignments_only(
    client_of, recruiter, assignment, job, agency_b
):
    withdrawn = AssignmentFactory(job=job, agency=agency_b)
    services.assignment_withdraw(actor=recruiter, assignment=withdrawn)
    html = client_of(recruiter).get(reverse("agencies:job-agencies", args=[job.public_id]))
    html = html.content.decode()
    assert _url(assignment) in html and _url(withdrawn) not in html


def test_hiring_managers_and_agencies_may_not_edit(
    client_of, hiring_manager, recruiter, agency_a, agency_a_admin
):
    job = JobFactory(coordinator=recruiter, hiring_team=[hiring_manager])
    assignment = AssignmentFactory(job=job, agency=agency_a, max_submissions=5)
    assert client_of(hiring_manager).post(_url(assignment), TERMS).status_code == 403
    assert client_of(agency_a_admin).post(_url(assignment), TERMS).status_code == 404
    assert client_of(recruiter).post(_url(assignment), TERMS).status_code == 302  # positive twin
    with pytest.raises(PermissionDenied):
        services.assignment_update(actor=hiring_manager, assignment=assignment, **TERMS)


def test_anonymous_goes_to_login(client, assignment):
    assert client.get(_url(assignment)).url.startswith(reverse("account_login"))


def test_rejects_other_methods(client_of, recruiter, assignment):
    assert client_of(recruiter).delete(_url(assignment)).status_code == 405


def test_a_cap_below_what_was_already_submitted_stops_further_submissions(
    client_of, recruiter, assignment, agency_a_user
):
    """Allowed on purpose: a recruiter who has enough candidates closes the job to more without
    withdrawing it; what was submitted stays."""
    submit(agency_a_user, assignment, first_name="Ada", email="ada@example.com")
    submit(agency_a_user, assignment, first_name="Grace", email="grace@example.com")
    response = client_of(recruiter).post(_url(assignment), {**TERMS, "max_submissions": "1"})
    assert response.status_code == 302
    with pytest.raises(ValidationError, match="cap of 1"):
        submit(agency_a_user, assignment, first_name="Linus", email="linus@example.com")
    assert assignment.job.submissions.count() == 2
