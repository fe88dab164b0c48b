"""Disabling and re-enabling a user, from the Owners' pages and from an agency admin's."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from recruitment.models import AuditEvent, Role
from tests.factories import AgencyUserFactory, UserFactory, submit


def _disable_url(side, user):
    return reverse(f"{side}:user-disable", kwargs={"public_id": user.public_id})


def _enable_url(side, user):
    return reverse(f"{side}:user-enable", kwargs={"public_id": user.public_id})


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("side", "manager"), [("agencies", "owner"), ("portal", "agency_a_admin")])
def test_disabling_cuts_an_open_session_at_its_next_request(request, side, manager, agency_a_user):
    victim = _signed_in(agency_a_user)
    assert victim.get(reverse("portal:home")).status_code == 200

    response = _signed_in(request.getfixturevalue(manager)).post(_disable_url(side, agency_a_user))

    assert response.url == reverse(
        f"{side}:user-detail", kwargs={"public_id": agency_a_user.public_id}
    )
    refused = victim.get(reverse("portal-candidates:mine"))
    assert refused.status_code == 302 and refused.url == reverse("account_login")
    assert "Your account has been disabled" in str(list(get_messages(refused.wsgi_request))[0])
    assert victim.get(reverse("portal:home")).url.startswith(reverse("account_login") + "?next=")
    event = AuditEvent.objects.get(action="user.disabled")
    assert event.object_id == str(agency_a_user.public_id)
    assert event.agency_id == agency_a_user.membership.agency_id


def test_records_stay_and_enabling_restores_access(client_of, owner, agency_a_user, assignment_a):
    submission = submit(agency_a_user, assignment_a)
    client = client_of(owner)
    client.post(_disable_url("agencies", agency_a_user))
    agency_a_user.refresh_from_db()
    assert not agency_a_user.is_active and submission.candidate.submitted_by == agency_a_user

    client.post(_enable_url("agencies", agency_a_user))
    assert _signed_in(agency_a_user).get(reverse("portal:home")).status_code == 200
    assert AuditEvent.objects.filter(action="user.enabled").count() == 1


def test_nobody_disables_themselves(client_of, agency_a_admin):
    response = client_of(agency_a_admin).post(_disable_url("portal", agency_a_admin), follow=True)
    agency_a_admin.refresh_from_db()
    assert agency_a_admin.is_active
    assert "You cannot disable your own account." in response.content.decode()


def test_owner_may_disable_another_owner(client_of, owner):
    other = UserFactory(role=Role.OWNER)
    client_of(owner).post(_disable_url("agencies", other))
    other.refresh_from_db()
    assert not other.is_active


@pytest.mark.parametrize("target", ["agency_b_user", "recruiter", "owner"])
def test_agency_admin_gets_404_for_users_outside_their_agency(
    client_of, request, agency_a_admin, target
):
    user = request.getfixturevalue(target)
    client = client_of(agency_a_admin)
    assert client.post(_disable_url("portal", user)).status_code == 404
    assert client.post(_enable_url("portal", user)).status_code == 404
    user.refresh_from_db()
    assert user.is_active
    colleague = AgencyUserFactory(agency=agency_a_admin.membership.agency)
    assert client.post(_disable_url("portal", colleague)).status_code == 302  # their own agency's
    colleague.refresh_from_db()
    assert not colleague.is_active


def test_agency_recruiter_may_not_disable_anyone(client_of, agency_a_user, agency_a_admin):
    client = client_of(agency_a_user)
    assert client.post(_disable_url("portal", agency_a_admin)).status_code == 404
    assert client.post(_disable_url("portal", agency_a_user)).status_code == 403
    agency_a_admin.refresh_from_db()
    assert agency_a_admin.is_active
    # the same request from the agency's admin disables the recruiter
    assert client_of(agency_a_admin).post(_disable_url("portal", agency_a_user)).status_code == 302
    agency_a_user.refresh_from_db()
    assert not agency_a_user.is_active


def test_employer_pages_are_for_owners(client_of, owner, recruiter, agency_a_admin, agency_a_user):
    assert client_of(recruiter).post(_disable_url("agencies", agency_a_user)).status_code == 403
    assert (
        client_of(agency_a_admin).post(_disable_url("agencies", agency_a_user)).status_code == 404
    )
    agency_a_user.refresh_from_db()
    assert agency_a_user.is_active
    assert client_of(owner).post(_disable_url("agencies", agency_a_user)).status_code == 302
    agency_a_user.refresh_from_db()
    assert not agency_a_user.is_active


def test_rejects_get(client_of, owner, agency_a_user):
    assert client_of(owner).get(_disable_url("agencies", agency_a_user)).status_code == 405


def test_anonymous_goes_to_login(client, agency_a_user):
    response = client.post(_disable_url("agencies", agency_a_user))
    assert response.url.startswith(reverse("account_login"))
