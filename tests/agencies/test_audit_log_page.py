"""The Owners' audit log page (/audit/): filters, CSV export, and nobody else gets in."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import services as agency_services
from recruitment import services
from recruitment.models import AuditEvent

URL = reverse("agencies:audit-log")


@pytest.fixture
def events(owner, recruiter, agency_a, agency_a_user, agency_b_user):
    """Events recorded by the services, oldest first."""
    agency_services.user_disable(actor=owner, user=agency_a_user)
    agency_services.user_enable(actor=owner, user=agency_a_user)
    agency_services.agency_disable(actor=owner, agency=agency_b_user.membership.agency)
    services.audit_record(actor=recruiter, action="job.created", summary="Created job Welder")


def _actions(response):
    return [event.action for event in response.context["page"].object_list]


def test_owner_sees_every_event_newest_first(client_of, owner, events):
    response = client_of(owner).get(URL)
    assert _actions(response) == ["job.created", "agency.disabled", "user.enabled", "user.disabled"]
    assert "Agency B" in response.content.decode()  # the agency's name, next to its event


def test_the_action_filter_offers_each_recorded_action_once(client_of, owner, events):
    form = client_of(owner).get(URL).context["form"]
    assert form.fields["action"].choices == [
        ("", "Any action"),
        ("agency.disabled", "Agency disabled"),
        ("job.created", "Job created"),
        ("user.disabled", "User disabled"),
        ("user.enabled", "User enabled"),
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"action": "user.disabled"}, ["user.disabled"]),
        ({"actor": "recruiter@"}, ["job.created"]),
        ({"q": "welder"}, ["job.created"]),
        ({"q": "re-enabled"}, ["user.enabled"]),
    ],
)
def test_filters(client_of, owner, events, filters, expected):
    assert _actions(client_of(owner).get(URL, filters)) == expected


def test_filter_by_agency(client_of, owner, events, agency_a):
    response = client_of(owner).get(URL, {"agency": agency_a.public_id})
    assert _actions(response) == ["user.enabled", "user.disabled"]


def test_filter_by_date_range(client_of, owner, events):
    today = timezone.localdate()
    assert len(_actions(client_of(owner).get(URL, {"date_from": today, "date_to": today}))) == 4
    tomorrow = today + timedelta(days=1)
    assert _actions(client_of(owner).get(URL, {"date_from": tomorrow})) == []


def test_an_inverted_date_range_is_reported_and_the_rest_still_applies(client_of, owner, events):
    today = timezone.localdate()
    response = client_of(owner).get(
        URL, {"action": "user.enabled", "date_from": today, "date_to": today - timedelta(days=1)}
    )
    assert "The end date is before the start date." in response.content.decode()
    assert _actions(response) == ["user.enabled"]


def test_csv_export_matches_the_filters_and_is_itself_recorded(client_of, owner, events):
    response = client_of(owner).get(URL, {"actor": "owner@", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["When", "Action", "Actor", "Agency", "Summary", "Object type", "Object id"]
    assert [row[1] for row in rows[1:]] == ["agency.disabled", "user.enabled", "user.disabled"]
    assert rows[1][3] == "Agency B" and rows[3][5] == "recruitment.User"
    assert datetime.fromisoformat(rows[1][0])
    export = AuditEvent.objects.get(action="export.csv")
    assert export.actor == owner and export.summary == "Exported the audit log as CSV"


def test_htmx_returns_the_table_only(client_of, owner, events):
    response = client_of(owner).get(URL, {"q": "welder"}, headers={"HX-Request": "true"})
    assert b"<html" not in response.content and b'id="audit-table"' in response.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [("recruiter", 403), ("hiring_manager", 403), ("agency_a_admin", 404), ("agency_b_user", 404)],
)
def test_owners_only(client_of, request, persona, status):
    assert client_of(request.getfixturevalue(persona)).get(URL).status_code == status


def test_rejects_post(client_of, owner):
    assert client_of(owner).post(URL).status_code == 405


def test_anonymous_goes_to_login(client):
    assert client.get(URL).url.startswith(reverse("account_login"))
