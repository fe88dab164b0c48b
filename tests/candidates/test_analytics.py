"""candidates.analytics against the figures worked out by hand for the data set of
tests/candidates/sourcing.py (the `sourcing` fixture)."""

from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import JobAssignment
from candidates import analytics
from tests.candidates.sourcing import AGENCY_A, AGENCY_B, NOTHING, Q1, at
from tests.factories import AgencyFactory, AgencyUserFactory, AssignmentFactory, submit


@pytest.fixture(autouse=True)
def count_afresh(monkeypatch):
    """No caching here, so that a test may change the data between two calls."""
    monkeypatch.setattr(analytics, "CACHE_SECONDS", 0)


def _figures(line: analytics.Figures) -> dict:
    return {header: show(line) for header, show in analytics.COLUMNS}


def test_per_agency_ranked_as_scorecards(sourcing, owner):
    lines = analytics.by_agency(user=owner, period=Q1).lines
    assert [(line.rank, line.label) for line in lines] == [
        (1, "Agency B"),  # hires every person it presents
        (2, "Agency A"),
        (None, "Agency C"),  # presented nobody: unranked, last
    ]
    assert [_figures(line) for line in lines] == [AGENCY_B, AGENCY_A, NOTHING]


def test_totals_add_up_and_average_over_all_hires(sourcing, owner):
    total = analytics.by_agency(user=owner, period=Q1).total
    assert _figures(total) == {
        "Submissions": 9, "New": 5, "Previously submitted": 2, "Duplicate": 1, "Blocked": 1,
        "Presented": 6, "Interviews": 5, "Offers": 4, "Hires": 3, "Rejections": 1,
        "Submission → interview": "83%", "Submission → hire": "50%", "Jobs sent": 3,
        "Days to first submission": "2.0",  # (2 + 3 + 1) / 3
        "Days to hire": "30.0",  # (30 + 20 + 40) / 3
    }  # fmt: skip


def test_per_job(sourcing, owner):
    job1, job2 = sourcing
    lines = analytics.by_job(user=owner, period=Q1).lines
    assert [(line.label, line.ref, line.public_id) for line in lines] == [
        (job1.title, job1.ref, job1.public_id),
        (job2.title, job2.ref, job2.public_id),
    ]
    assert [_figures(line) for line in lines] == [
        {
            "Submissions": 7, "New": 4, "Previously submitted": 1, "Duplicate": 1, "Blocked": 1,
            "Presented": 4, "Interviews": 3, "Offers": 2, "Hires": 2, "Rejections": 1,
            "Submission → interview": "75%", "Submission → hire": "50%", "Jobs sent": 2,
            "Days to first submission": "1.5", "Days to hire": "35.0",
        },
        {
            "Submissions": 2, "New": 1, "Previously submitted": 1, "Duplicate": 0, "Blocked": 0,
            "Presented": 2, "Interviews": 2, "Offers": 2, "Hires": 1, "Rejections": 0,
            "Submission → interview": "100%", "Submission → hire": "50%", "Jobs sent": 1,
            "Days to first submission": "3.0", "Days to hire": "20.0",
        },
    ]  # fmt: skip


def test_per_job_of_one_agency(sourcing, owner, agency_b):
    lines = analytics.by_job(user=owner, period=Q1, agency_public_id=agency_b.public_id).lines
    assert [_figures(line) for line in lines] == [AGENCY_B]


def test_agency_admin_sees_only_their_agency(sourcing, agency_a_admin, agency_b_admin):
    assert _figures(analytics.by_job(user=agency_a_admin, period=Q1).total) == AGENCY_A
    assert [line.label for line in analytics.by_agency(user=agency_a_admin, period=Q1).lines] == [
        "Agency A"
    ]
    assert _figures(analytics.by_job(user=agency_b_admin, period=Q1).total) == AGENCY_B


def test_an_agency_admin_cannot_ask_for_another_agency(
    sourcing, agency_a_admin, agency_a, agency_b
):
    assert (
        analytics.by_job(user=agency_a_admin, period=Q1, agency_public_id=agency_b.public_id).lines
        == []
    )
    own = analytics.by_job(user=agency_a_admin, period=Q1, agency_public_id=agency_a.public_id)
    assert own.lines  # their own agency's figures, asked the same way


@pytest.mark.parametrize("persona", ["agency_a_user", "hiring_manager"])
def test_others_see_no_numbers(sourcing, request, persona, recruiter):
    user = request.getfixturevalue(persona)
    assert analytics.by_agency(user=user, period=Q1).lines == []
    assert analytics.by_job(user=user, period=Q1).lines == []
    assert analytics.by_agency(user=recruiter, period=Q1).lines  # the same figures exist


def test_the_period_bounds_are_whole_days(sourcing, owner):
    one_day = analytics.Period(date(2025, 1, 12), date(2025, 1, 12))
    lines = analytics.by_agency(user=owner, period=one_day).lines
    assert {line.label: line.submissions for line in lines} == {
        "Agency A": 1, "Agency B": 0, "Agency C": 0
    }  # fmt: skip


def test_time_to_first_submission_counts_only_submissions_after_the_sending(
    sourcing, owner, job, agency_a
):
    """A job sent again (after a withdrawal) starts a new clock."""
    JobAssignment.objects.filter(agency=agency_a, job=job).update(withdrawn_at=at(1, 30))
    AssignmentFactory(job=job, agency=agency_a)
    JobAssignment.objects.filter(agency=agency_a, job=job, withdrawn_at=None).update(
        assigned_at=at(2, 3)
    )
    line = next(
        line
        for line in analytics.by_agency(user=owner, period=Q1).lines
        if line.label == "Agency A"
    )
    # job 1 sent Jan 10 (2 days), job 2 Feb 1 (3 days), job 1 again Feb 3: first next is Cy on Feb 5 (2 days)
    assert line.jobs_sent == 3 and line.time_to_first_submission == timedelta(days=7) / 3


def test_queries_do_not_grow_with_agencies_jobs_or_submissions(sourcing, owner):
    until_today = analytics.Period(Q1.first_day, timezone.localdate())

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            analytics.by_agency(user=owner, period=until_today)
            analytics.by_job(user=owner, period=until_today)
        return len(queries)

    # per table: the agencies in scope, submissions, applications, sendings (+ the jobs' names)
    assert count() == 9
    for n in range(3):
        agency = AgencyFactory()
        submit(AgencyUserFactory(agency=agency), AssignmentFactory(agency=agency),
               email=f"more{n}@example.com")  # fmt: skip
    assert count() == 9


def test_counts_are_kept_for_a_few_minutes(sourcing, owner, monkeypatch):
    monkeypatch.setattr(analytics, "CACHE_SECONDS", 300)
    period = analytics.Period(date(2025, 1, 1), date(2025, 3, 30))  # a cache entry of its own
    first = analytics.by_agency(user=owner, period=period)
    with CaptureQueriesContext(connection) as queries:
        again = analytics.by_agency(user=owner, period=period)
    assert len(queries) == 1  # the agencies in scope; their counts come from the cache
    assert again.as_of == first.as_of
    assert [line.cells for line in again.lines] == [line.cells for line in first.lines]


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_figures_are_counted_on_the_reporting_database(sourcing, owner, settings):
    settings.REPORTING_DATABASE = "replica"
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        lines = analytics.by_agency(user=owner, period=Q1).lines
        analytics.by_job(user=owner, period=Q1)
    assert [_figures(line) for line in lines] == [AGENCY_B, AGENCY_A, NOTHING]
    # the three aggregates per table and the jobs' names; only the visible agencies on the primary
    assert len(on_replica) == 7
    assert all("agencies_agency" in query["sql"] for query in on_primary)
