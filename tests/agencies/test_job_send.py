from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agencies.models import JobAssignment
from recruitment.models import Notification
from tests.factories import AgencyFactory, AssignmentFactory, JobFactory


@pytest.fixture
def url(job):
    return reverse("agencies:job-send", args=[job.public_id])


def test_assigns_with_terms_and_notifies_agency_users_after_commit(
    client_of,
    recruiter,
    job,
    agency_a,
    agency_a_admin,
    agency_a_user,
    agency_b_user,
    url,
    django_capture_on_commit_callbacks,
):
    data = {
        "agency": agency_a.pk,
        "instructions": "Salary 80-90k",
        "fee_percent": "18.5",
        "guarantee_days": "90",
        "max_submissions": "5",
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_of(recruiter).post(url, data)
        assert not mail.outbox  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert response.status_code == 302
    assignment = JobAssignment.objects.get()
    assert (assignment.agency, str(assignment.fee_percent), assignment.max_submissions) == (
        agency_a,
        "18.50",
        5,
    )
    assert sorted(m.to[0] for m in mail.outbox) == [agency_a_admin.email, agency_a_user.email]
    assert job.ref in mail.outbox[0].subject and "Salary 80-90k" in mail.outbox[0].body
    assert set(Notification.objects.values_list("user__email", flat=True)) == {
        agency_a_admin.email,
        agency_a_user.email,
    }


def test_previously_used_agencies_come_first(client_of, recruiter, job, url):
    AgencyFactory(name="Aardvark Recruiting")
    older, newer = AgencyFactory(name="Zebra Search"), AgencyFactory(name="Yak Talent")
    AssignmentFactory(
        agency=older,
        job=JobFactory(coordinator=recruiter),
        assigned_at=timezone.now() - timedelta(days=9),
    )
    AssignmentFactory(agency=newer, job=JobFactory(coordinator=recruiter))
    names = [agency.name for agency in client_of(recruiter).get(url).context["agencies"]]
    assert names == ["Yak Talent", "Zebra Search", "Aardvark Recruiting"]


def test_an_agency_cannot_get_the_same_job_twice(client_of, recruiter, assignment_a, agency_a, url):
    response = client_of(recruiter).post(url, {"agency": agency_a.pk})
    assert response.status_code == 200 and "agency" in response.context["form"].errors
    assert JobAssignment.objects.count() == 1


def test_bad_terms_are_marked_and_instructions_kept(client_of, recruiter, agency_a, url):
    response = client_of(recruiter).post(
        url,
        {
            "agency": agency_a.pk,
            "instructions": "Keep me",
            "fee_percent": "150",
            "max_submissions": "0",
        },
    )
    errors = response.context["form"].errors
    assert {"fee_percent", "max_submissions"} <= errors.keys()
    assert "Keep me" in response.content.decode() and not JobAssignment.objects.exists()


def test_disabled_agencies_are_not_offered(client_of, recruiter, url):
    AgencyFactory(name="Gone Agency", is_active=False)
    AgencyFactory(name="Active Agency")
    html = client_of(recruiter).get(url).content.decode()
    assert "Gone Agency" not in html and "Active Agency" in html


def test_job_can_be_sent_again_after_withdrawal(client_of, recruiter, assignment_a, agency_a, url):
    client = client_of(recruiter)
    client.post(reverse("agencies:assignment-withdraw", args=[assignment_a.public_id]))
    assert client.post(url, {"agency": agency_a.pk}).status_code == 302
    assert JobAssignment.objects.active().count() == 1


def test_hiring_manager_may_not_send(client_of, hiring_manager, recruiter):
    job = JobFactory(coordinator=recruiter, hiring_team=[hiring_manager])
    assert (
        client_of(hiring_manager)
        .get(reverse("agencies:job-send", args=[job.public_id]))
        .status_code
        == 403
    )


def _offers_to_assign(html):
    return 'type="submit">Assign job</button>' in html


def test_without_an_active_agency_the_page_says_why_and_how_to_add_one(
    client_of, owner, recruiter, url
):
    AgencyFactory(name="Gone Agency", is_active=False)
    html = client_of(owner).get(url).content.decode()
    assert "There is no active agency to send it to yet." in html and not _offers_to_assign(html)
    assert f'href="{reverse("agencies:agency-create")}"' in html
    html = client_of(recruiter).get(url).content.decode()  # recruiters do not invite agencies
    assert "There is no active agency to send it to yet." in html and not _offers_to_assign(html)
    assert f'href="{reverse("agencies:agency-create")}"' not in html
    assert "An Owner invites agencies" in html


def test_when_every_active_agency_has_the_job_the_page_says_so(
    client_of, owner, job, assignment_a, url
):
    AgencyFactory(name="Gone Agency", is_active=False)
    html = client_of(owner).get(url).content.decode()
    assert "Agency A already works on this job" in html and not _offers_to_assign(html)
    assert f'href="{reverse("recruitment:job-detail", args=[job.public_id])}#job-agencies"' in html
    assert f'href="{reverse("agencies:agency-create")}"' in html


def test_an_agency_that_can_receive_the_job_gets_the_form(client_of, owner, assignment_a, url):
    """The positive twin: one more active agency, and the page offers to assign."""
    AgencyFactory(name="Fresh Agency")
    html = client_of(owner).get(url).content.decode()
    assert _offers_to_assign(html) and "already works on this job" not in html
