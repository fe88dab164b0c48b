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
    assert rows[0] == [
        "When",
        "Action",
        "Actor",
        "Agency",
        "Summary",
        "Object type",
        "Object id",
        "Kept text",
    ]
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


@pytest.fixture
def deletions(recruiter, agency_a, agency_a_user, job, assignment_a):
    """A message deleted in each kind of thread; the recruiter wrote them all."""
    from messaging.services import threads as messaging
    from tests.factories import submit

    candidate = submit(agency_a_user, assignment_a).candidate
    threads = {
        "candidate": messaging.candidate_thread_start(
            actor=recruiter, candidate=candidate, body="Candidate thread: offer is 95k"
        ),
        "general": messaging.general_thread_start(
            actor=recruiter, agency=agency_a, subject="Fees", body="General thread: fee is 20%"
        ),
        "private": messaging.private_thread_start(
            actor=recruiter, partner=agency_a_user, body="Private thread: between us"
        ),
    }
    for message in threads.values():
        messaging.message_delete(actor=recruiter, message=message)
    return threads


def test_a_deleted_messages_text_shows_for_candidate_and_general_threads(
    client_of, owner, deletions
):
    html = client_of(owner).get(URL, {"action": "message.deleted"}).content.decode()
    assert "Candidate thread: offer is 95k" in html
    assert "General thread: fee is 20%" in html


def test_a_private_threads_deleted_text_is_kept_but_not_shown(client_of, owner, deletions):
    event = AuditEvent.objects.get(action="message.deleted", data__private_thread=True)
    assert event.data["body"] == "Private thread: between us"  # kept, for the record
    response = client_of(owner).get(URL, {"action": "message.deleted"})
    html = response.content.decode()
    assert "between us" not in html
    assert html.count("Text kept, not shown: private thread") == 1
    assert len(response.context["page"].object_list) == 3
    export = client_of(owner).get(URL, {"action": "message.deleted", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    kept = sorted(row[-1] for row in rows[1:])
    assert kept == [
        "Candidate thread: offer is 95k",
        "General thread: fee is 20%",
        "Text kept, not shown: private thread",
    ]


def test_starting_a_private_or_general_thread_shows_in_the_audit_log(
    client_of, owner, recruiter, agency_a, agency_a_user
):
    from messaging.services import threads as messaging

    messaging.private_thread_start(actor=recruiter, partner=agency_a_user, body="Secret terms")
    messaging.private_thread_start(actor=recruiter, partner=agency_a_user, body="Second message")
    messaging.general_thread_start(
        actor=recruiter, agency=agency_a, subject="Q3 plans", body="Hello"
    )
    response = client_of(owner).get(URL)
    assert _actions(response) == ["thread.general_created", "thread.private_created"]
    private = AuditEvent.objects.get(action="thread.private_created")
    assert private.agency_id == agency_a.pk and private.actor == recruiter
    assert "Secret terms" not in str(private.data) and "body" not in private.data
    html = response.content.decode()
    assert f"Started a private thread between {recruiter} and {agency_a_user}" in html
    assert "Started a general thread with Agency A: Q3 plans" in html
    assert "Secret terms" not in html


def test_paging_and_export_links_keep_the_filters(client_of, owner, recruiter):
    for number in range(51):
        services.audit_record(
            actor=recruiter, action="job.created", summary=f"Created job {number}"
        )
    response = client_of(owner).get(
        URL, {"action": "job.created", "actor": "recruiter@", "page": "1"}
    )
    html = response.content.decode()
    assert 'href="?action=job.created&amp;actor=recruiter%40&amp;page=2"' in html  # Next
    assert (
        'href="?action=job.created&amp;actor=recruiter%40&amp;export=csv"' in html
    )  # not the page
    second = client_of(owner).get(
        URL, {"action": "job.created", "actor": "recruiter@", "page": "2"}
    )
    assert 'href="?action=job.created&amp;actor=recruiter%40&amp;page=1"' in second.content.decode()
