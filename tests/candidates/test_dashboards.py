import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates import selectors
from candidates.models import Stage, Submission
from tests.factories import AgencyUserFactory, AssignmentFactory, JobFactory, submit


@pytest.fixture
def team(agency_a, assignment_a, agency_a_admin, job, agency_b):
    """Two recruiters of agency A and one of agency B, each with submissions."""
    alice, bob = AgencyUserFactory(agency=agency_a), AgencyUserFactory(agency=agency_a)
    submit(alice, assignment_a, first_name="Ada", email="ada@example.com")
    submit(alice, assignment_a, first_name="Ada", email="ada@example.com")  # previously submitted
    grace = submit(
        bob, assignment_a, first_name="Grace", last_name="Hopper", email="grace@example.com"
    )
    outsider, assignment_b = (
        AgencyUserFactory(agency=agency_b),
        AssignmentFactory(job=job, agency=agency_b),
    )
    submit(outsider, assignment_b, email="ada@example.com")  # duplicate
    submit(outsider, assignment_b, first_name="Linus", email="linus@example.com")
    return alice, bob, grace


def test_my_candidates_lists_only_own_submissions_with_metrics(
    client_of, team, django_assert_num_queries
):
    alice, _bob, _grace = team
    client = client_of(alice)
    # session, user+agency, unread notices, unread threads, page rows, their unread dots (merged
    # profiles, threads), metrics, the job filter
    with django_assert_num_queries(9):
        response = client.get(reverse("portal-candidates:mine"))
    names = [s.first_name for s in response.context["page"].object_list]
    assert names == ["Ada", "Ada"]
    assert response.context["metrics"] == {
        "added": 1,
        "previously_submitted": 1,
        "duplicate": 0,
        "blocked": 0,
    }


def test_agency_pool_shows_the_whole_agency_and_never_another(client_of, team, agency_a_admin):
    response = client_of(agency_a_admin).get(reverse("portal-candidates:pool"))
    assert sorted(s.first_name for s in response.context["page"].object_list) == [
        "Ada",
        "Ada",
        "Grace",
    ]
    assert "Linus" not in response.content.decode()


def test_agency_recruiter_cannot_open_the_pool(client_of, team):
    assert client_of(team[0]).get(reverse("portal-candidates:pool")).status_code == 403


def test_search_by_name_email_and_phone(client_of, team, agency_a_admin, assignment_a):
    client = client_of(agency_a_admin)
    submit(agency_a_admin, assignment_a, first_name="Tim", email="", phone="+447400123456")
    for q, expected in [
        ("grace", ["Grace"]),
        ("GRACE@example", ["Grace"]),
        ("7400123456", ["Tim"]),
        ("07400 123456", ["Tim"]),
        ("+44 7400 123456", ["Tim"]),
        ("nobody", []),
    ]:
        rows = client.get(reverse("portal-candidates:pool"), {"q": q}).context["page"].object_list
        assert [s.first_name for s in rows] == expected


def test_job_filter(client_of, team, agency_a_admin, agency_a, recruiter):
    other_job = AssignmentFactory(job=JobFactory(coordinator=recruiter), agency=agency_a)
    submit(agency_a_admin, other_job, first_name="Tim", email="tim@example.com")
    client = client_of(agency_a_admin)
    rows = client.get(reverse("portal-candidates:pool"), {"job": other_job.job.pk}).context["page"]
    assert [s.first_name for s in rows] == ["Tim"]
    rows = client.get(reverse("portal-candidates:pool"), {"job": team[2].job.pk}).context["page"]
    assert sorted(s.first_name for s in rows) == ["Ada", "Ada", "Grace"]


def test_status_and_period_filters(client_of, team, agency_a_admin):
    _alice, _bob, grace = team
    grace.application.stage, grace.application.rejection_reason = Stage.REJECTED, "Salary"
    grace.application.save()
    Submission.objects.filter(first_name="Ada").update(
        created_at=timezone.now() - timedelta(days=40)
    )
    client = client_of(agency_a_admin)
    assert [
        s.first_name
        for s in client.get(reverse("portal-candidates:pool"), {"status": "rejected"}).context[
            "page"
        ]
    ] == ["Grace"]
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    response = client.get(reverse("portal-candidates:pool"), {"period_from": since})
    assert [s.first_name for s in response.context["page"]] == ["Grace"]
    assert response.context["metrics"]["added"] == 1


def test_a_reversed_period_is_reported_at_its_end_and_the_rest_still_applies(
    client_of, team, agency_a_admin
):
    Submission.objects.filter(first_name="Ada").update(
        created_at=timezone.now() - timedelta(days=40)
    )
    client = client_of(agency_a_admin)
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    month_ago = (timezone.localdate() - timedelta(days=30)).isoformat()
    response = client.get(
        reverse("portal-candidates:pool"), {"period_from": week_ago, "period_to": month_ago}
    )
    assert response.context["form"].errors == {
        "period_to": ["The end date is before the start date."]
    }
    assert "The end date is before the start date." in response.content.decode()
    assert [s.first_name for s in response.context["page"]] == ["Grace"]  # from the start on
    response = client.get(
        reverse("portal-candidates:pool"),
        {"period_from": week_ago, "period_to": month_ago, "q": "ada"},
    )
    assert list(response.context["page"]) == []  # the search still applies
    response = client.get(
        reverse("portal-candidates:pool"), {"period_from": month_ago, "period_to": week_ago}
    )
    assert not response.context["form"].errors and list(response.context["page"]) == []


@pytest.mark.parametrize(
    "few_rows", [10**9, -1], ids=["search checked row by row", "search through the index"]
)
def test_the_figures_follow_the_search_status_job_and_period(
    client_of, team, agency_a_admin, agency_b, job, recruiter, few_rows, monkeypatch
):
    monkeypatch.setattr(selectors, "FEW_PERIOD_ROWS", few_rows)
    _alice, bob, grace = team
    outsider, assignment_b = (
        AgencyUserFactory(agency=agency_b),
        job.assignments.get(agency=agency_b),
    )
    hired = submit(outsider, assignment_b, first_name="Mary", last_name="Shelley", email="m@x.org")
    hired.application.stage = Stage.HIRED
    hired.application.save()
    assignment_a = job.assignments.get(agency=grace.agency)
    submit(bob, assignment_a, first_name="Linus", email="linus@example.com")  # duplicate
    submit(bob, assignment_a, first_name="Mary", last_name="Shelley", email="m@x.org")  # blocked
    other_job = AssignmentFactory(job=JobFactory(coordinator=recruiter), agency=grace.agency)
    submit(agency_a_admin, other_job, first_name="Tim", email="tim@example.com")
    submit(bob, assignment_a, first_name="Tom", email="", phone="+447400123456")
    grace.application.stage, grace.application.rejection_reason = Stage.REJECTED, "Salary"
    grace.application.save()
    client = client_of(agency_a_admin)

    def figures(**filters):
        metrics = client.get(reverse("portal-candidates:pool"), filters).context["metrics"]
        return tuple(
            metrics[key] for key in ("added", "previously_submitted", "duplicate", "blocked")
        )

    assert figures() == (4, 1, 1, 1)
    assert figures(q="ada") == (1, 1, 0, 0)
    assert figures(q="m@x.org") == (0, 0, 0, 1)
    assert figures(q="HOPPER") == (1, 0, 0, 0)
    assert figures(q="07400 123456") == (1, 0, 0, 0)  # Tom, by phone
    assert figures(status="duplicate") == (0, 0, 1, 0)
    assert figures(status="rejected") == (1, 0, 0, 0)
    assert figures(status="active") == (3, 1, 0, 0)
    assert figures(job=other_job.job.pk) == (1, 0, 0, 0)
    assert figures(job=job.pk, q="ada") == (1, 1, 0, 0)
    Submission.objects.filter(first_name="Ada").update(
        created_at=timezone.now() - timedelta(days=40)
    )
    assert figures() == (3, 0, 1, 1)  # the last 30 days unless dates are chosen
    since = (timezone.localdate() - timedelta(days=60)).isoformat()
    assert figures(period_from=since, q="ada") == (1, 1, 0, 0)
    page = client.get(reverse("portal-candidates:pool"), {"q": "ada"}).content.decode()
    assert "matching the filters" in page


def test_csv_export_of_the_filtered_list(client_of, team, agency_a_admin):
    response = client_of(agency_a_admin).get(
        reverse("portal-candidates:pool"), {"export": "csv", "q": "grace"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Submitted at", "First name", "Last name"] and len(rows) == 2
    assert rows[1][1:3] == ["Grace", "Hopper"] and rows[1][7] == "New" and rows[1][8] == "Active"


def test_csv_neutralises_formulas(client_of, agency_a_admin, assignment_a):
    submit(agency_a_admin, assignment_a, first_name="=HYPERLINK(1)", email="x@example.com")
    rows = list(
        csv.reader(
            io.StringIO(
                client_of(agency_a_admin)
                .get(reverse("portal-candidates:pool"), {"export": "csv"})
                .content.decode()
            )
        )
    )
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_htmx_returns_the_results_fragment(client_of, team):
    html = (
        client_of(team[0])
        .get(reverse("portal-candidates:mine"), headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "<html" not in html and 'id="dashboard-results"' in html
