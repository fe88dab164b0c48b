from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from candidates import selectors, services
from candidates.models import Application, Stage
from recruitment.models import AuditEvent
from tests.factories import AssignmentFactory, JobFactory, submit


@pytest.fixture
def url():
    return reverse("candidates:people")


@pytest.fixture
def people(agency_a_user, agency_b_user, assignment_a, job, recruiter):
    other_job = AssignmentFactory(
        job=JobFactory(coordinator=recruiter, title="Designer"), agency=assignment_a.agency
    )
    return [
        submit(
            agency_a_user,
            assignment_a,
            first_name="Ada",
            last_name="Lovelace",
            email="ada@example.com",
        ),
        submit(
            agency_a_user,
            other_job,
            first_name="Grace",
            last_name="Hopper",
            email="grace@example.com",
            phone="+447400123456",
        ),
        submit(
            agency_b_user,
            AssignmentFactory(job=job, agency=agency_b_user.membership.agency),
            first_name="Linus",
            last_name="Torvalds",
            email="linus@example.com",
        ),
    ]


@pytest.fixture(params=["by ids", "on the join", "by ids, estimate far out"])
def person_lookup(request, monkeypatch):
    """The two ways people search finds people (selectors._person_match), and the fallback from the
    first to the second when PostgreSQL's estimate was far too low."""
    few = {"by ids": 10**9, "on the join": 0, "by ids, estimate far out": 0}[request.param]
    monkeypatch.setattr(selectors, "FEW_PEOPLE", few)
    if request.param == "by ids, estimate far out":
        monkeypatch.setattr(selectors, "planner_estimate", lambda queryset: 0)
    return request.param


def _names(response):
    return [row.candidate.first_name for row in response.context["page"].object_list]


def test_filters_by_name_email_phone_job_agency_and_stage(
    client_of, recruiter, people, url, job, agency_b, person_lookup
):
    client = client_of(recruiter)
    assert _names(client.get(url, {"q": "hop"})) == ["Grace"]
    assert _names(client.get(url, {"q": "ada love"})) == ["Ada"]
    assert sorted(_names(client.get(url, {"q": "ace"}))) == ["Ada", "Grace"]
    assert _names(client.get(url, {"q": "nobody"})) == []
    assert _names(client.get(url, {"email": "LINUS@example.com"})) == ["Linus"]
    assert sorted(_names(client.get(url, {"email": "a"}))) == ["Ada"]
    for typed in ("07400 123456", "+44 7400 123456", "(0)7400-123-456", "123456"):
        assert _names(client.get(url, {"phone": typed})) == ["Grace"], typed
    assert _names(client.get(url, {"phone": "07400 123457"})) == []
    assert sorted(_names(client.get(url, {"job": job.pk}))) == ["Ada", "Linus"]
    assert _names(client.get(url, {"agency": agency_b.pk})) == ["Linus"]
    assert _names(client.get(url, {"stage": "lead", "q": "ada"})) == ["Ada"]


def test_filters_by_submission_date(client_of, recruiter, people, url):
    Application.objects.filter(candidate__first_name="Ada").update(
        created_at=timezone.now() - timedelta(days=40)
    )
    client = client_of(recruiter)
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    month_ago = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert sorted(_names(client.get(url, {"submitted_from": week_ago}))) == ["Grace", "Linus"]
    assert _names(client.get(url, {"submitted_to": month_ago})) == ["Ada"]
    # a bad date is reported and left out; the other filters still apply
    response = client.get(url, {"submitted_from": "not a date", "q": "hop"})
    assert "Enter a valid date." in response.content.decode() and _names(response) == ["Grace"]


def test_a_reversed_date_range_is_reported_at_its_end_and_the_rest_still_applies(
    client_of, recruiter, people, url
):
    Application.objects.filter(candidate__first_name="Ada").update(
        created_at=timezone.now() - timedelta(days=40)
    )
    client = client_of(recruiter)
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    month_ago = (timezone.localdate() - timedelta(days=30)).isoformat()
    response = client.get(url, {"submitted_from": week_ago, "submitted_to": month_ago})
    assert response.context["form"].errors == {
        "submitted_to": ["The end date is before the start date."]
    }
    assert "The end date is before the start date." in response.content.decode()
    assert sorted(_names(response)) == ["Grace", "Linus"]  # the start still applies, not nothing
    response = client.get(url, {"submitted_from": week_ago, "submitted_to": month_ago, "q": "hop"})
    assert _names(response) == ["Grace"]
    response = client.get(url, {"submitted_from": month_ago, "submitted_to": week_ago})
    assert not response.context["form"].errors and sorted(_names(response)) == []


def test_pages_of_25_newest_first(client_of, recruiter, agency_a_user, assignment_a, url):
    for n in range(26):
        submit(agency_a_user, assignment_a, first_name=f"P{n:02d}", email=f"p{n}@example.com")
    client = client_of(recruiter)
    first, second = client.get(url).context["page"], client.get(url, {"page": 2}).context["page"]
    assert [row.candidate.first_name for row in first][:2] == ["P25", "P24"] and first.has_more
    assert [row.candidate.first_name for row in second] == ["P00"] and not second.has_more


def test_query_count_does_not_grow_with_rows(
    client_of, recruiter, people, url, django_assert_num_queries
):
    client = client_of(recruiter)
    # session, user, unread notices, unread threads, rows (with candidate, job, agency joined),
    # the rows' unread dots (profiles merged into them, their threads); the fragment renders no
    # filter <select>s
    with django_assert_num_queries(7):
        client.get(url, headers={"HX-Request": "true"})
    # and by a name few people share: PostgreSQL's estimate of them, then their ids
    with django_assert_num_queries(9):
        client.get(url, {"q": "Lovelace"}, headers={"HX-Request": "true"})


def test_hiring_manager_sees_only_people_of_their_jobs(client_of, hiring_manager, people, url, job):
    job.hiring_team.add(hiring_manager)
    assert sorted(_names(client_of(hiring_manager).get(url))) == ["Ada", "Linus"]


def test_duplicate_email_links_to_prefiltered_search(
    client_of,
    recruiter,
    agency_a_user,
    agency_b_user,
    assignment_a,
    job,
    url,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(
            agency_a_user,
            assignment_a,
            first_name="Ada",
            last_name="Lovelace",
            email="ada@example.com",
        )
    with django_capture_on_commit_callbacks(execute=True):
        duplicate = submit(
            agency_b_user,
            AssignmentFactory(job=job, agency=agency_b_user.membership.agency),
            first_name="Ada",
            last_name="Lovelace",
            email="ada@example.com",
        )
    emails = [m for m in mail.outbox if "Possible duplicate" in m.subject]
    assert len(emails) == 1 and emails[0].to == [recruiter.email]
    assert "Agency B" in emails[0].body and "ada@example.com" in emails[0].body
    link = f"{url}?duplicates_of={duplicate.public_id}"
    assert link in emails[0].body
    assert _names(client_of(recruiter).get(link)) == ["Ada"]


def test_name_match_without_shared_contact_is_reported(
    agency_a_user, agency_b_user, assignment_a, job, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(
            agency_a_user,
            assignment_a,
            first_name="Ada",
            last_name="Lovelace",
            email="ada@example.com",
        )
    with django_capture_on_commit_callbacks(execute=True):
        new = submit(
            agency_b_user,
            AssignmentFactory(job=job, agency=agency_b_user.membership.agency),
            first_name="Adda",
            last_name="Lovelace",
            email="ada.l@example.org",
        )
    assert new.outcome == "new"
    assert [m.subject for m in mail.outbox if "Possible duplicate" in m.subject] == [
        "Possible duplicate: Adda Lovelace (Senior Backend Engineer)"
    ]


def test_no_email_when_nobody_matches(
    agency_a_user, assignment_a, agency_b_user, job, django_capture_on_commit_callbacks
):
    assignment_b = AssignmentFactory(job=job, agency=agency_b_user.membership.agency)
    with django_capture_on_commit_callbacks(execute=True):
        submit(
            agency_a_user,
            assignment_a,
            first_name="Unique",
            last_name="Person",
            email="unique@example.com",
        )
    assert not [m for m in mail.outbox if "Possible duplicate" in m.subject]
    with django_capture_on_commit_callbacks(execute=True):  # the same name from elsewhere
        submit(agency_b_user, assignment_b, first_name="Unique", last_name="Person")
    assert len([m for m in mail.outbox if "Possible duplicate" in m.subject]) == 1


def test_no_email_when_an_agency_presents_its_own_candidate_again(
    agency_a_user, assignment_a, recruiter, agency_b_user, django_capture_on_commit_callbacks
):
    other_job = AssignmentFactory(job=JobFactory(coordinator=recruiter), agency=assignment_a.agency)
    for assignment in (assignment_a, other_job):
        with django_capture_on_commit_callbacks(execute=True):
            submission = submit(agency_a_user, assignment)
    assert submission.outcome == "previously_submitted"
    assert not [m for m in mail.outbox if "Possible duplicate" in m.subject]
    other_agency = AssignmentFactory(job=assignment_a.job, agency=agency_b_user.membership.agency)
    with django_capture_on_commit_callbacks(execute=True):  # another agency presents them
        assert submit(agency_b_user, other_agency).outcome == "duplicate"
    assert len([m for m in mail.outbox if "Possible duplicate" in m.subject]) == 1


def test_bulk_stage_change_with_audit(client_of, recruiter, people, url):
    rows = [people[0].application.public_id, people[1].application.public_id]
    response = client_of(recruiter).post(
        reverse("candidates:applications-bulk-stage"),
        {"applications": rows, "stage": "in_review", "next": url},
    )
    assert response.status_code == 302
    assert set(Application.objects.filter(public_id__in=rows).values_list("stage", flat=True)) == {
        Stage.IN_REVIEW
    }
    assert AuditEvent.objects.filter(action="application.stage_changed").count() == 2


def test_bulk_rejection_needs_a_reason(client_of, recruiter, people):
    response = client_of(recruiter).post(
        reverse("candidates:applications-bulk-stage"),
        {"applications": [people[0].application.public_id], "stage": "rejected"},
        follow=True,
    )
    assert "Give a reason for the rejection." in response.content.decode()
    assert Application.objects.get(pk=people[0].application.pk).stage == Stage.LEAD


def test_bulk_stage_without_a_stage_moves_nobody(client_of, recruiter, people, url):
    """The bulk bar offers no default stage: an empty choice is refused, never read as Lead."""
    application = people[0].application
    services.application_set_stage(actor=recruiter, application=application, stage=Stage.INTERVIEW)
    response = client_of(recruiter).post(
        reverse("candidates:applications-bulk-stage"),
        {"applications": [application.public_id], "stage": "", "next": url},
        follow=True,
    )
    assert "Choose a stage." in response.content.decode()
    assert Application.objects.get(pk=application.pk).stage == Stage.INTERVIEW


def test_people_bulk_bar_has_no_preselected_stage(client_of, recruiter, people, url):
    page = client_of(recruiter).get(url).content.decode()
    assert '<select id="bulk-stage" name="stage" required' in page
    assert '<option value="">Choose a stage…</option>' in page


def test_agency_user_gets_404(client_of, agency_a_user, recruiter, url):
    assert client_of(agency_a_user).get(url).status_code == 404
    assert client_of(recruiter).get(url).status_code == 200


def test_hiring_manager_cannot_bulk_change(client_of, hiring_manager, people):
    response = client_of(hiring_manager).post(
        reverse("candidates:applications-bulk-stage"),
        {"applications": [people[0].application.public_id], "stage": "hired"},
    )
    assert response.status_code == 403
