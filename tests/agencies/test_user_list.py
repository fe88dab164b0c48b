"""The user list: every user for Owners (/users/), the agency's own for its admins (/agency/users/)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies import services
from recruitment.models import Role
from tests.factories import AgencyFactory, AgencyUserFactory, UserFactory


@pytest.fixture
def people(owner, recruiter, agency_a_admin, agency_a_user, agency_b_admin, agency_b_user):
    # No service changes a user's country (accepting an invitation copies the agency's).
    for user in (agency_b_admin, agency_b_user):
        user.country = "US"
        user.save(update_fields=["country"])
    services.user_disable(actor=agency_b_admin, user=agency_b_user)
    return owner


def _emails(response):
    return sorted(user.email for user in response.context["page"].object_list)


def test_owner_sees_the_employer_and_every_agency(client_of, people):
    response = client_of(people).get(reverse("agencies:user-list"))
    assert _emails(response) == [
        "admin@a.example", "admin@b.example", "owner@example.com", "recruiter@example.com",
        "user@a.example", "user@b.example",
    ]  # fmt: skip
    assert b"<html" in response.content


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"q": "A.EXAMPLE"}, ["admin@a.example", "user@a.example"]),
        ({"role": Role.AGENCY_ADMIN}, ["admin@a.example", "admin@b.example"]),
        ({"country": "US"}, ["admin@b.example", "user@b.example"]),
        ({"status": "disabled"}, ["user@b.example"]),
        ({"agency": "employer"}, ["owner@example.com", "recruiter@example.com"]),
    ],
)
def test_owner_filters(client_of, people, filters, expected):
    response = client_of(people).get(reverse("agencies:user-list"), filters)
    assert _emails(response) == expected


def test_owner_filters_by_agency(client_of, people, agency_b):
    response = client_of(people).get(reverse("agencies:user-list"), {"agency": agency_b.public_id})
    assert _emails(response) == ["admin@b.example", "user@b.example"]


def test_search_matches_first_and_last_name_together(client_of, people):
    UserFactory(first_name="Nia", last_name="Brooks", email="nb@example.com")
    UserFactory(first_name="Nia", last_name="Other", email="no@example.com")
    response = client_of(people).get(reverse("agencies:user-list"), {"q": "nia brooks"})
    assert _emails(response) == ["nb@example.com"]


def test_agency_admin_sees_only_their_agency(client_of, people, agency_a_admin):
    response = client_of(agency_a_admin).get(reverse("portal:user-list"))
    assert _emails(response) == ["admin@a.example", "user@a.example"]
    assert "agency" not in response.context["form"].fields  # admins filter by access level only
    page = response.content.decode()
    assert "admin@b.example" not in page and "owner@example.com" not in page


def test_agency_admin_cannot_filter_their_way_out(client_of, people, agency_a_admin, agency_b):
    response = client_of(agency_a_admin).get(
        reverse("portal:user-list"), {"agency": agency_b.public_id, "role": Role.OWNER}
    )
    assert _emails(response) == ["admin@a.example", "user@a.example"]


def test_owners_only_and_agency_admins_only(
    client_of, owner, recruiter, agency_a_admin, agency_a_user
):
    assert client_of(recruiter).get(reverse("agencies:user-list")).status_code == 403
    assert client_of(agency_a_admin).get(reverse("agencies:user-list")).status_code == 404
    assert client_of(agency_a_user).get(reverse("portal:user-list")).status_code == 403
    assert client_of(recruiter).get(reverse("portal:user-list")).status_code == 404
    assert client_of(owner).get(reverse("agencies:user-list")).status_code == 200
    assert client_of(agency_a_admin).get(reverse("portal:user-list")).status_code == 200


def test_htmx_returns_the_table_only(client_of, people):
    response = client_of(people).get(
        reverse("agencies:user-list"), {"q": "a.example"}, headers={"HX-Request": "true"}
    )
    assert b"<html" not in response.content and b'id="user-table"' in response.content


def test_rejects_post(client_of, owner):
    assert client_of(owner).post(reverse("agencies:user-list")).status_code == 405


def test_anonymous_goes_to_login(client):
    assert client.get(reverse("portal:user-list")).url.startswith(reverse("account_login"))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "admin"), [("agencies:user-list", "owner"), ("portal:user-list", "agency_a_admin")]
)
def test_query_count_does_not_grow_with_the_users(client_of, request, people, url, admin):
    client = client_of(request.getfixturevalue(admin))
    agency_a = request.getfixturevalue("agency_a")
    before = _queries(client, reverse(url))
    for n in range(5):
        AgencyUserFactory(agency=AgencyFactory(country="DE"))
        AgencyUserFactory(agency=agency_a, country="FR")
        UserFactory(role=Role.HIRING_MANAGER, country="ES" if n % 2 else "")
    assert _queries(client, reverse(url)) == before
