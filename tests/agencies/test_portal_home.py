import pytest
from django.urls import reverse

from tests.factories import AssignmentFactory, JobFactory


@pytest.fixture
def url():
    return reverse("portal:home")


def test_lists_open_assigned_jobs_of_own_agency_only(
    client_of, agency_a, agency_b, agency_a_user, recruiter, url, django_assert_num_queries
):
    mine = [
        AssignmentFactory(agency=agency_a, job=JobFactory(coordinator=recruiter)) for _ in range(3)
    ]
    AssignmentFactory(agency=agency_b, job=JobFactory(coordinator=recruiter, title="Theirs"))
    AssignmentFactory(agency=agency_a, job=JobFactory(coordinator=recruiter, status="closed"))
    client = client_of(agency_a_user)
    # session, user+agency, unread notices, unread threads, count, page of assignments with jobs
    with django_assert_num_queries(6):
        response = client.get(url)
    assert list(response.context["page"]) == mine[::-1]


def test_search_covers_title_ref_and_instructions(
    client_of, agency_a, agency_a_user, recruiter, url
):
    hit = AssignmentFactory(
        agency=agency_a,
        job=JobFactory(coordinator=recruiter, title="Payroll Lead"),
        instructions="Must speak Dutch",
    )
    AssignmentFactory(
        agency=agency_a, job=JobFactory(coordinator=recruiter, title="Engineer"), instructions=""
    )
    client = client_of(agency_a_user)
    for q in ("payroll", "dutch", hit.job.ref):
        assert list(client.get(url, {"q": q}).context["page"]) == [hit]


def test_job_page_shows_ad_ref_classification_and_instructions(
    client_of, assignment_a, agency_a_user
):
    html = (
        client_of(agency_a_user)
        .get(reverse("portal:assignment-detail", args=[assignment_a.public_id]))
        .content.decode()
    )
    job = assignment_a.job
    for text in (
        job.ref,
        job.description,
        job.get_category_display(),
        job.get_function_display(),
        job.get_experience_level_display(),
        job.get_employment_type_display(),
        assignment_a.instructions,
    ):
        assert text in html


def test_recruiter_gets_404(client_of, recruiter, agency_a_user, url):
    assert client_of(recruiter).get(url).status_code == 404
    assert client_of(agency_a_user).get(url).status_code == 200
