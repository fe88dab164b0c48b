"""The analytics pages: /analytics/ (agencies), /analytics/jobs/ and the agency's /agency/analytics/."""

import csv
import io
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates import analytics
from recruitment.models import AuditEvent
from tests.candidates.sourcing import AGENCY_A, AGENCY_B, Q1
from tests.factories import AgencyFactory, AgencyUserFactory, AssignmentFactory, submit

AGENCIES, JOBS, PORTAL = (
    reverse("candidates:analytics"),
    reverse("candidates:analytics-jobs"),
    reverse("portal-candidates:analytics"),
)
IN_Q1 = {"period_from": Q1.first_day, "period_to": Q1.last_day}


@pytest.fixture(autouse=True)
def count_afresh(monkeypatch):
    """No caching here, so that a test may change the data between two requests."""
    monkeypatch.setattr(analytics, "CACHE_SECONDS", 0)


class _TableCells(HTMLParser):
    """The text of each row of the page's figures table, cell by cell."""

    def __init__(self):
        super().__init__()
        self.rows, self._in_table, self._cell = [], False, None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "table-figures" in (dict(attrs).get("class") or ""):
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif self._in_table and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(re.sub(r"\s+", " ", " ".join(self._cell)).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _table(response) -> list[list[str]]:
    parser = _TableCells()
    parser.feed(response.content.decode())
    return parser.rows


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def _as_text(figures: dict) -> list[str]:
    return [str(value) for value in figures.values()]


def test_agency_scorecards_table_and_its_csv(client_of, owner, sourcing):
    client = client_of(owner)
    table = _table(client.get(AGENCIES, IN_Q1))
    assert table[0][:2] == ["Rank", "Agency"] and table[0][2:] == analytics.HEADERS
    assert table[1] == ["1", "Agency B", *_as_text(AGENCY_B)]
    assert table[2] == ["2", "Agency A", *_as_text(AGENCY_A)]
    assert table[3][:3] == ["—", "Agency C", "0"]
    assert table[4][:4] == ["", "Total", "9", "5"]

    rows = _csv(client.get(AGENCIES, IN_Q1 | {"export": "csv"}))
    assert rows[0] == ["Agency", *analytics.HEADERS]
    assert rows[1:] == [row[1:] for row in table[1:]]  # the CSV is the table, without the ranks


def test_jobs_table_and_its_csv(client_of, owner, sourcing):
    job1, job2 = sourcing
    client = client_of(owner)
    table = _table(client.get(JOBS, IN_Q1))
    assert [row[0] for row in table[1:]] == [
        f"{job1.title} {job1.ref}",
        f"{job2.title} {job2.ref}",
        "Total",
    ]
    rows = _csv(client.get(JOBS, IN_Q1 | {"export": "csv"}))
    assert rows[0] == ["Job", "REF", *analytics.HEADERS]
    assert [[f"{row[0]} {row[1]}".strip(), *row[2:]] for row in rows[1:]] == table[1:]


def test_jobs_of_one_agency(client_of, owner, sourcing, agency_b):
    table = _table(client_of(owner).get(JOBS, IN_Q1 | {"agency": agency_b.public_id}))
    assert table[-1] == ["Total", *_as_text(AGENCY_B)]


def test_agency_admin_sees_only_their_agency(client_of, agency_a_admin, sourcing):
    response = client_of(agency_a_admin).get(PORTAL, IN_Q1)
    assert _table(response)[-1] == ["Total", *_as_text(AGENCY_A)]
    assert "Agency B" not in response.content.decode()
    rows = _csv(client_of(agency_a_admin).get(PORTAL, IN_Q1 | {"export": "csv"}))
    assert rows[-1] == ["Total", "", *_as_text(AGENCY_A)]


def test_an_agency_admin_cannot_pick_another_agency(client_of, agency_a_admin, sourcing, agency_b):
    response = client_of(agency_a_admin).get(PORTAL, IN_Q1 | {"agency": agency_b.public_id})
    assert _table(response)[-1] == ["Total", *_as_text(AGENCY_A)]


def test_every_export_is_recorded(client_of, owner, agency_a_admin, agency_a, sourcing):
    client_of(owner).get(AGENCIES, IN_Q1 | {"export": "csv"})
    client_of(agency_a_admin).get(PORTAL, IN_Q1 | {"export": "csv"})
    exports = AuditEvent.objects.filter(action="export.csv").order_by("id")
    assert [(e.actor, e.agency_id, e.summary) for e in exports] == [
        (owner, None, "Exported sourcing by agency for 2025-01-01 to 2025-03-31 as CSV"),
        (
            agency_a_admin,
            agency_a.pk,
            "Exported our sourcing by job for 2025-01-01 to 2025-03-31 as CSV",
        ),
    ]


def test_the_default_period_is_the_last_90_days(client_of, owner):
    response = client_of(owner).get(AGENCIES)
    today = timezone.localdate()
    assert response.context["period"] == analytics.Period(today - timedelta(days=89), today)


def test_an_inverted_period_is_reported_at_the_field_and_the_default_is_shown(client_of, owner):
    response = client_of(owner).get(
        AGENCIES, {"period_from": "2025-03-01", "period_to": "2025-02-01"}
    )
    assert response.context["form"].errors == {
        "period_to": ["The end date is before the start date."]
    }
    assert 'value="2025-03-01"' in response.content.decode()
    assert response.context["period"] == analytics.Period.last_days()


def test_htmx_returns_the_results_only(client_of, owner, sourcing):
    response = client_of(owner).get(AGENCIES, IN_Q1, headers={"HX-Request": "true"})
    assert b"<html" not in response.content and b'id="analytics"' in response.content


def test_charts_are_svg_drawn_on_the_server(client_of, owner, sourcing):
    page = client_of(owner).get(AGENCIES, IN_Q1).content.decode()
    # the funnel's longest bar is the 9 submissions; 6 presented are two thirds of it
    assert '<rect class="bar-submissions" x="0" y="0" width="100.00"' in page
    assert '<rect class="bar-presented" x="0" y="0" width="66.67"' in page


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [
        ("recruiter", AGENCIES, 200),
        ("hiring_manager", AGENCIES, 403),
        ("agency_a_admin", AGENCIES, 404),
        ("hiring_manager", JOBS, 403),
        ("agency_a_user", JOBS, 404),
        ("agency_a_admin", PORTAL, 200),
        ("agency_a_user", PORTAL, 403),
        ("owner", PORTAL, 404),
    ],
)
def test_who_gets_in(client_of, request, persona, url, status):
    assert client_of(request.getfixturevalue(persona)).get(url).status_code == status


def test_rejects_post(client_of, owner):
    assert client_of(owner).post(AGENCIES).status_code == 405


def test_anonymous_goes_to_login(client):
    assert client.get(PORTAL).url.startswith(reverse("account_login"))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"period_from": Q1.first_day}).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "persona"), [(AGENCIES, "owner"), (JOBS, "owner"), (PORTAL, "agency_a_admin")]
)
def test_query_count_does_not_grow_with_the_rows(
    client_of, request, sourcing, url, persona, agency_a
):
    client = client_of(request.getfixturevalue(persona))
    before = _queries(client, url)
    for n in range(4):
        agency = agency_a if n % 2 else AgencyFactory()
        assignment = AssignmentFactory(agency=agency)
        submit(AgencyUserFactory(agency=agency), assignment, email=f"more{n}@example.com")
    assert _queries(client, url) == before
