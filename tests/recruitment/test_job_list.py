import pytest
from django.urls import reverse

from tests.factories import AssignmentFactory, JobFactory


@pytest.fixture
def url():
    return reverse("recruitment:job-list")


def test_lists_jobs_with_agency_counts(client_of, recruiter, url, django_assert_num_queries):
    jobs = JobFactory.create_batch(3, coordinator=recruiter)
    AssignmentFactory(job=jobs[0])
    AssignmentFactory(job=jobs[0])
    client = client_of(recruiter)
    # session, user, unread notices, unread threads, count, page of jobs
    with django_assert_num_queries(6):
        response = client.get(url)
    assert [job.agency_count for job in response.context["page"]] == [0, 0, 2]


def test_search_and_filters(client_of, recruiter, url):
    JobFactory(title="Payroll Specialist", coordinator=recruiter, function="accounting")
    JobFactory(title="Backend Engineer", coordinator=recruiter, status="closed")
    client = client_of(recruiter)
    assert [j.title for j in client.get(url, {"q": "payroll"}).context["page"]] == [
        "Payroll Specialist"
    ]
    assert [j.title for j in client.get(url, {"status": "closed"}).context["page"]] == [
        "Backend Engineer"
    ]
    assert [j.title for j in client.get(url, {"function": "accounting"}).context["page"]] == [
        "Payroll Specialist"
    ]
    ref = client.get(url, {"q": "payroll"}).context["page"][0].ref
    assert [j.title for j in client.get(url, {"q": ref.lower()}).context["page"]] == [
        "Payroll Specialist"
    ]


def test_hiring_manager_sees_only_their_jobs(client_of, recruiter, hiring_manager, url):
    JobFactory(title="Theirs", coordinator=recruiter, hiring_team=[hiring_manager])
    JobFactory(title="Not theirs", coordinator=recruiter)
    assert [j.title for j in client_of(hiring_manager).get(url).context["page"]] == ["Theirs"]


def test_hiring_manager_gets_404_for_other_jobs(client_of, recruiter, hiring_manager):
    job = JobFactory(coordinator=recruiter)
    theirs = JobFactory(coordinator=recruiter, hiring_team=[hiring_manager])
    client = client_of(hiring_manager)
    assert client.get(reverse("recruitment:job-detail", args=[job.public_id])).status_code == 404
    assert client.get(reverse("recruitment:job-detail", args=[theirs.public_id])).status_code == 200


def test_htmx_returns_fragment_only(client_of, recruiter, url):
    JobFactory(title="Backend Engineer", coordinator=recruiter)
    response = client_of(recruiter).get(url, {"q": "backend"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="job-table"' in html and "Backend Engineer" in html


def test_plain_request_renders_full_page(client_of, recruiter, url):
    assert "<html" in client_of(recruiter).get(url).content.decode()


def test_agency_user_gets_404(client_of, agency_a_user, recruiter, url):
    assert client_of(agency_a_user).get(url).status_code == 404
    assert client_of(recruiter).get(url).status_code == 200


def test_only_those_who_send_jobs_are_told_how(client_of, recruiter, hiring_manager, url):
    job = JobFactory(coordinator=recruiter, hiring_team=[hiring_manager])
    recruiter_page = client_of(recruiter).get(url).content.decode()
    manager_page = client_of(hiring_manager).get(url).content.decode()
    assert job.title in recruiter_page and job.title in manager_page
    assert "Send a job to an agency from its row." in recruiter_page
    assert "Send a job to an agency" not in manager_page
