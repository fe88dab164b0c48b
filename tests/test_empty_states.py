"""An empty list tells the truth, in every list of both portals: filtered to nothing, it says that
nothing matches the filters and offers to clear them; with nothing there at all, it says so
("No … yet"). Each case is asserted both ways, and with a row there and no filter, neither shows."""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from messaging.services import texting
from messaging.services import threads as messaging_services
from recruitment import services as core
from tests.factories import submit

pytestmark = pytest.mark.django_db

NOBODY = "Nobodyhere"


def _submitted(request):
    return submit(request.getfixturevalue("agency_a_user"), request.getfixturevalue("assignment_a"))


def _thread(request):
    messaging_services.candidate_thread_start(
        actor=request.getfixturevalue("agency_a_user"),
        candidate=_submitted(request).candidate,
        body="Hello",
    )


def _emailed(request):
    texting.email_candidate(
        actor=request.getfixturevalue("recruiter"),
        application=_submitted(request).application,
        subject="Interview",
        body="See you Monday.",
    )


def _audited(request):
    core.audit_record(
        actor=request.getfixturevalue("owner"), action="job.created", summary="Created a job"
    )


@dataclass
class Case:
    url: str  # the list's URL name
    viewer: str  # the fixture of the person looking
    query: dict  # filters that match nothing
    filtered: str  # what the list says then
    empty: str  # what it says when there is nothing at all
    fill: Callable  # makes one row the viewer sees
    clear: str = "Clear filters"


CASES = {
    "jobs": Case("recruitment:job-list", "recruiter", {"q": NOBODY}, "No jobs match these filters",
                 "No jobs yet", lambda request: request.getfixturevalue("job")),
    "people": Case("candidates:people", "recruiter", {"q": NOBODY},
                   "No candidates match these filters", "No candidates yet", _submitted),
    "my-candidates": Case("portal-candidates:mine", "agency_a_user", {"q": NOBODY},
                          "No candidates match these filters", "No candidates here yet", _submitted),
    "agency-pool": Case("portal-candidates:pool", "agency_a_admin", {"q": NOBODY},
                        "No candidates match these filters", "No candidates here yet", _submitted),
    "inbox": Case("messaging:inbox", "recruiter", {"q": NOBODY},
                  "No conversations match these filters", "No conversations yet", _thread),
    "agency-inbox": Case("messaging:agency-inbox", "agency_a_user", {"q": NOBODY},
                         "No conversations match these filters", "No conversations yet", _thread),
    "conversations": Case("messaging:conversations", "recruiter", {"channel": "sms"},
                          "No conversations match these filters", "No conversations yet", _emailed),
    "agencies": Case("agencies:agency-list", "recruiter", {"q": NOBODY},
                     f"No agencies match “{NOBODY}”", "No agencies yet",
                     lambda request: request.getfixturevalue("agency_a"), "Clear the search"),
    "audit-log": Case("agencies:audit-log", "owner", {"q": NOBODY},
                      "No events match these filters", "Nothing recorded yet", _audited),
    "agency-jobs": Case("portal:home", "agency_a_user", {"q": NOBODY}, f"No jobs match “{NOBODY}”",
                        "No jobs yet", lambda request: request.getfixturevalue("assignment_a"),
                        "Clear the search"),
}  # fmt: skip


def _page(client, url, query=None, **headers):
    response = client.get(url, query or {}, **headers)
    assert response.status_code == 200
    return response.content.decode()


def _clear_link(html, url, label):
    return re.search(rf'<a [^>]*href="{re.escape(url)}"[^>]*>{label}</a>', html)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_list_with_nothing_in_it_says_so(client_of, request, name):
    case = CASES[name]
    url = reverse(case.url)
    html = _page(client_of(request.getfixturevalue(case.viewer)), url)
    assert case.empty in html
    assert case.filtered not in html and not _clear_link(html, url, case.clear)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_list_filtered_to_nothing_says_no_match_and_offers_to_clear(client_of, request, name):
    case = CASES[name]
    case.fill(request)
    client, url = client_of(request.getfixturevalue(case.viewer)), reverse(case.url)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):  # the page, and the list htmx swaps in
        html = _page(client, url, case.query, **headers)
        assert case.filtered in html and case.empty not in html
        assert _clear_link(html, url, case.clear)
    html = _page(client, url)  # the row, without the filter: no empty state at all
    assert case.filtered not in html and case.empty not in html


@pytest.mark.parametrize(
    ("url", "viewer"), [("agencies:user-list", "owner"), ("portal:user-list", "agency_a_admin")]
)
def test_users_filtered_to_nothing_say_no_match(client_of, request, url, viewer):
    """A list of users is never empty unfiltered: the viewer is in it."""
    client, url = client_of(request.getfixturevalue(viewer)), reverse(url)
    html = _page(client, url, {"q": NOBODY})
    assert "No users match these filters" in html and _clear_link(html, url, "Clear filters")
    html = _page(client, url)
    assert "No users match these filters" not in html and "No users" not in html
