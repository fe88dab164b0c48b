"""Whatever the query string holds, a page answers, never with a 500: a search for text with a NUL
character (PostgreSQL refuses it in text) finds nothing, and an id that is not a UUID is ignored.
`make scan` found both as 500s on the agency portal."""

import pytest
from django.urls import reverse

NUL = "a\x00b"

SEARCH_PAGES = [
    ("owner", "recruitment:job-list"),
    ("owner", "agencies:agency-list"),
    ("owner", "agencies:user-list"),
    ("owner", "agencies:audit-log"),
    ("owner", "candidates:people"),
    ("owner", "messaging:inbox"),
    ("owner", "messaging:conversations"),
    ("agency_a_admin", "portal:home"),
    ("agency_a_admin", "portal:user-list"),
    ("agency_a_admin", "portal-candidates:mine"),
    ("agency_a_admin", "portal-candidates:pool"),
    ("agency_a_admin", "messaging:agency-inbox"),
]


@pytest.mark.parametrize(("who", "name"), SEARCH_PAGES)
def test_search_with_a_nul_character_finds_nothing(request, client_of, assignment_a, who, name):
    response = client_of(request.getfixturevalue(who)).get(reverse(name), {"q": NUL})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("who", "name", "parameter"),
    [
        ("agency_a_admin", "portal-candidates:create", "job"),
        ("agency_a_admin", "messaging:private-new", "with"),
    ],
)
def test_an_id_that_is_not_a_uuid_is_ignored(
    request, client_of, assignment_a, who, name, parameter
):
    response = client_of(request.getfixturevalue(who)).get(reverse(name), {parameter: "x'--"})
    assert response.status_code == 200


def test_job_send_ignores_an_agency_that_is_not_a_uuid(client_of, owner, job):
    url = reverse("agencies:job-send", args=[job.public_id])
    assert client_of(owner).get(url, {"agency": "x'--"}).status_code == 200
