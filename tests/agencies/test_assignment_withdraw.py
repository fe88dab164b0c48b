"""Withdrawing a job from an agency: its users are told (email and in-app notice, with a link
to the job page, which stays readable), nobody else is, and the agency can no longer submit."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from agencies.models import JobAssignment
from recruitment.models import AuditEvent, Notification
from tests.factories import AgencyUserFactory, AssignmentFactory, submit


def _withdraw(client, assignment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("agencies:assignment-withdraw", args=[assignment.public_id]))


@pytest.fixture
def both_agencies(job, agency_a, agency_b, agency_a_admin, agency_a_user, agency_b_user):
    """Agency B works on the same job, so that only the agency decides who is told."""
    return AssignmentFactory(job=job, agency=agency_b)


def test_the_agencys_active_users_are_emailed_and_notified_with_a_link(
    client_of,
    recruiter,
    assignment_a,
    both_agencies,
    agency_a,
    agency_a_admin,
    agency_a_user,
    django_capture_on_commit_callbacks,
):
    gone = AgencyUserFactory(agency=agency_a, email="gone@a.example", is_active=False)
    response = _withdraw(client_of(recruiter), assignment_a, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    told = [agency_a_admin.email, agency_a_user.email]
    assert sorted(message.to[0] for message in mail.outbox) == told
    page = reverse("portal:assignment-detail", args=[assignment_a.public_id])
    email = mail.outbox[0]
    assert assignment_a.job.ref in email.subject and "withdrawn" in email.subject.lower()
    assert f"{settings.SITE_URL}{page}" in email.body
    assert "stay" in email.body  # what they submitted stays theirs to read
    notices = Notification.objects.filter(url=page)
    assert sorted(notices.values_list("user__email", flat=True)) == told
    assert notices.first().text.startswith("Job withdrawn: ")
    assert not Notification.objects.filter(user=gone).exists()
    assert gone.email not in [message.to[0] for message in mail.outbox]
    event = AuditEvent.objects.get(action="job.withdrawn")
    assert event.agency_id == agency_a.pk


def test_nobody_of_another_agency_is_told(
    client_of,
    recruiter,
    assignment_a,
    both_agencies,
    agency_b_user,
    django_capture_on_commit_callbacks,
):
    _withdraw(client_of(recruiter), assignment_a, django_capture_on_commit_callbacks)
    assert mail.outbox  # agency A's users were told ...
    assert agency_b_user.email not in [message.to[0] for message in mail.outbox]  # ... not B's
    assert not Notification.objects.filter(user=agency_b_user).exists()
    _withdraw(client_of(recruiter), both_agencies, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(user=agency_b_user).count() == 1  # B's own withdrawal


def test_withdrawing_twice_tells_them_once(
    client_of, recruiter, assignment_a, agency_a_admin, django_capture_on_commit_callbacks
):
    client = client_of(recruiter)
    _withdraw(client, assignment_a, django_capture_on_commit_callbacks)
    _withdraw(client, assignment_a, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1 and Notification.objects.count() == 1
    assert AuditEvent.objects.filter(action="job.withdrawn").count() == 1


def test_the_withdrawn_job_page_stays_readable_and_offers_no_submission(
    client_of, recruiter, assignment_a, agency_a_user, django_capture_on_commit_callbacks
):
    submit(agency_a_user, assignment_a)
    page = reverse("portal:assignment-detail", args=[assignment_a.public_id])
    agency = client_of(agency_a_user)
    assert "Submit a candidate" in agency.get(page).content.decode()  # before
    _withdraw(client_of(recruiter), assignment_a, django_capture_on_commit_callbacks)
    response = client_of(agency_a_user).get(page)
    html = response.content.decode()
    assert response.status_code == 200 and assignment_a.instructions in html
    assert "withdrawn" in html and "Submit a candidate" not in html
    mine = reverse("portal-candidates:mine") + f"?job={assignment_a.job.pk}"
    assert mine in html  # the way to what they submitted
    assert client_of(agency_a_user).get(mine).context["page"].object_list[0].first_name == "Ada"


def test_the_withdrawn_job_leaves_the_job_list_and_the_submission_form(
    client_of, recruiter, assignment_a, agency_a_user, django_capture_on_commit_callbacks
):
    agency = client_of(agency_a_user)
    form_jobs = agency.get(reverse("portal-candidates:create")).context["form"].fields["assignment"]
    assert list(form_jobs.queryset) == [assignment_a]  # the positive twin
    assert list(agency.get(reverse("portal:home")).context["page"]) == [assignment_a]
    _withdraw(client_of(recruiter), assignment_a, django_capture_on_commit_callbacks)
    agency = client_of(agency_a_user)
    assert not agency.get(reverse("portal:home")).context["page"].object_list
    form_jobs = agency.get(reverse("portal-candidates:create")).context["form"].fields["assignment"]
    assert not form_jobs.queryset.exists()
    response = agency.post(
        reverse("portal-candidates:create"),
        {
            "first_name": "Ada",
            "last_name": "L",
            "email": "ada@example.com",
            "assignment": assignment_a.pk,
        },
    )
    assert "assignment" in response.context["form"].errors
    assert not JobAssignment.objects.active().exists()


def test_another_agency_still_gets_404_for_the_withdrawn_job(
    client_of,
    recruiter,
    assignment_a,
    agency_b_user,
    both_agencies,
    django_capture_on_commit_callbacks,
):
    _withdraw(client_of(recruiter), assignment_a, django_capture_on_commit_callbacks)
    page = reverse("portal:assignment-detail", args=[assignment_a.public_id])
    assert client_of(agency_b_user).get(page).status_code == 404
    own = reverse("portal:assignment-detail", args=[both_agencies.public_id])
    assert client_of(agency_b_user).get(own).status_code == 200
