"""Unread dots beside candidates wherever they are listed, and on both candidate pages'
Communication panel: only for agency threads the viewer sees, and one query a page, not a row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messaging.services import threads as services
from tests.factories import AgencyUserFactory, submit

DOT = 'class="dot unread-dot"'


@pytest.fixture
def people(agency_a_user, assignment_a):
    """Three candidates of agency A's user; Ada's thread has a message they have not read."""
    ada, bob, cy = (
        submit(agency_a_user, assignment_a, first_name=name, email=f"{name}@example.com")
        for name in ("Ada", "Bob", "Cy")
    )
    return ada, bob, cy


def _row_of(html, name):
    """The table row that names this person."""
    start = html.index(f">{name} ")
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_people_search_marks_the_candidates_with_unread_messages(
    client_of, recruiter, agency_a_user, people
):
    ada, bob, _cy = people
    services.candidate_thread_start(actor=agency_a_user, candidate=ada.candidate, body="News?")
    services.candidate_thread_start(actor=recruiter, candidate=bob.candidate, body="Read by me")
    html = client_of(recruiter).get(reverse("candidates:people")).content.decode()
    assert DOT in _row_of(html, "Ada") and DOT not in _row_of(html, "Bob")
    assert DOT not in _row_of(html, "Cy")


def test_the_job_pages_candidates_panel_marks_them(
    client_of, recruiter, agency_a_user, people, job
):
    ada, bob, _cy = people
    services.candidate_thread_start(actor=agency_a_user, candidate=ada.candidate, body="News?")
    url = reverse("candidates:job-people", args=[job.public_id])
    html = client_of(recruiter).get(url, headers={"HX-Request": "true"}).content.decode()
    assert DOT in _row_of(html, "Ada") and DOT not in _row_of(html, "Bob")


def test_my_candidates_and_the_agency_pool_mark_them_for_those_who_see_the_thread(
    client_of, recruiter, agency_a, agency_a_user, agency_a_admin, people, assignment_a
):
    ada, bob, _cy = people
    colleague = AgencyUserFactory(agency=agency_a)
    dee = submit(colleague, assignment_a, first_name="Dee", email="dee@example.com")
    for submission in (ada, dee):
        services.candidate_thread_start(
            actor=recruiter, candidate=submission.candidate, body="Interview on Monday?"
        )
    services.private_thread_start(actor=recruiter, partner=agency_a_user, body="Not a candidate's")
    mine = client_of(agency_a_user).get(reverse("portal-candidates:mine")).content.decode()
    assert DOT in _row_of(mine, "Ada") and DOT not in _row_of(mine, "Bob")
    assert "Dee" not in mine  # the colleague's candidate, and its thread, are not theirs
    pool = client_of(agency_a_admin).get(reverse("portal-candidates:pool")).content.decode()
    assert DOT in _row_of(pool, "Ada") and DOT in _row_of(pool, "Dee")
    assert DOT not in _row_of(pool, "Bob")


def test_a_duplicate_submission_never_shows_another_agencys_thread(
    client_of, recruiter, agency_a_user, agency_b_user, people, job
):
    from tests.factories import AssignmentFactory

    ada, _bob, _cy = people
    services.candidate_thread_start(actor=recruiter, candidate=ada.candidate, body="For A only")
    assignment_b = AssignmentFactory(job=job, agency=agency_b_user.membership.agency)
    duplicate = submit(agency_b_user, assignment_b, first_name="Ada", email="Ada@example.com")
    assert duplicate.outcome == "duplicate"
    html = client_of(agency_b_user).get(reverse("portal-candidates:mine")).content.decode()
    assert "Ada" in html and DOT not in html
    own = client_of(agency_a_user).get(reverse("portal-candidates:mine")).content.decode()
    assert DOT in _row_of(own, "Ada")


def test_both_candidate_pages_communication_panels_show_the_dot_until_read(
    client_of, recruiter, agency_a_user, people
):
    ada, _bob, _cy = people
    services.candidate_thread_start(actor=agency_a_user, candidate=ada.candidate, body="News?")
    url = reverse("messaging:candidate-thread", args=[ada.candidate.public_id])
    client = client_of(recruiter)
    first = client.get(url, headers={"HX-Request": "true"})
    assert DOT in first.content.decode()
    assert "unread-changed" in first.headers["HX-Trigger"]  # the navigation count follows
    assert DOT not in client.get(url, headers={"HX-Request": "true"}).content.decode()
    services.message_post(actor=recruiter, thread=ada.candidate.threads.get(), body="Yes!")
    agency_page = client_of(agency_a_user).get(url, headers={"HX-Request": "true"})
    assert DOT in agency_page.content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("recruiter", "candidates:people"),
        ("agency_a_user", "portal-candidates:mine"),
        ("agency_a_admin", "portal-candidates:pool"),
    ],
)
def test_the_dots_cost_one_query_a_page_not_a_row(
    client_of, request, recruiter, agency_a_user, assignment_a, people, persona, url_name
):
    client = client_of(request.getfixturevalue(persona))
    url = reverse(url_name)
    author = agency_a_user if persona == "recruiter" else recruiter  # the other side writes
    for submission in people:
        services.candidate_thread_start(actor=author, candidate=submission.candidate, body="Hi")
    three = _queries(client, url)
    for name in ("Dan", "Eve", "Fay"):
        submission = submit(agency_a_user, assignment_a, first_name=name, email=f"{name}@x.example")
        services.candidate_thread_start(actor=author, candidate=submission.candidate, body="Hi")
    html = client.get(url).content.decode()
    assert html.count(DOT) == 6
    assert _queries(client, url) == three


def test_the_job_panel_costs_one_query_not_a_row(
    client_of, recruiter, agency_a_user, assignment_a, people, job
):
    client = client_of(recruiter)
    url = reverse("candidates:job-people", args=[job.public_id])
    for submission in people:
        services.candidate_thread_start(
            actor=agency_a_user, candidate=submission.candidate, body="Hi"
        )
    three = _queries(client, url)
    for name in ("Dan", "Eve", "Fay"):
        submission = submit(agency_a_user, assignment_a, first_name=name, email=f"{name}@x.example")
        services.candidate_thread_start(
            actor=agency_a_user, candidate=submission.candidate, body="Hi"
        )
    assert client.get(url).content.decode().count(DOT) == 6
    assert _queries(client, url) == three


def test_a_merged_profiles_thread_marks_the_profile_it_was_merged_into(
    client_of, recruiter, agency_a_user, agency_b_user, people, job
):
    from datetime import timedelta

    from django.utils import timezone

    from candidates import services as candidate_services
    from candidates.models import IdentityClaim
    from tests.factories import AssignmentFactory

    ada, _bob, _cy = people
    IdentityClaim.objects.update(claimed_at=timezone.now() - timedelta(days=400))
    assignment_b = AssignmentFactory(job=job, agency=agency_b_user.membership.agency)
    other = submit(agency_b_user, assignment_b, first_name="Ada", email="Ada@example.com").candidate
    thread = services.candidate_thread_start(actor=recruiter, candidate=other, body="To B").thread
    candidate_services.candidate_merge(actor=recruiter, into=ada.candidate, merged=other)
    html = client_of(recruiter).get(reverse("candidates:people")).content.decode()
    assert DOT not in html
    services.message_post(actor=agency_b_user, thread=thread, body="From B")
    html = client_of(recruiter).get(reverse("candidates:people")).content.decode()
    assert html.count(DOT) == 2  # Ada's two applications, both of the surviving profile
    assert DOT not in _row_of(html, "Bob")
