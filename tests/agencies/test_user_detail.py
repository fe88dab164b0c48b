"""A user's page: edit the name and the access level within what the viewer may grant."""

import pytest
from django.urls import reverse

from recruitment.models import AuditEvent, Role
from tests.factories import AgencyUserFactory, UserFactory


def _url(side, user):
    return reverse(f"{side}:user-detail", kwargs={"public_id": user.public_id})


def _post(client, side, user, **changes):
    data = {"first_name": user.first_name, "last_name": user.last_name, "role": user.role}
    return client.post(_url(side, user), data | changes)


def test_owner_renames_and_changes_the_access_level(client_of, owner, recruiter):
    client = client_of(owner)
    assert client.get(_url("agencies", recruiter)).status_code == 200
    response = _post(client, "agencies", recruiter, first_name="Rita", role=Role.HIRING_MANAGER)
    assert response.status_code == 302 and response.url == _url("agencies", recruiter)
    recruiter.refresh_from_db()
    assert (recruiter.first_name, recruiter.role) == ("Rita", Role.HIRING_MANAGER)
    assert {e.action for e in AuditEvent.objects.all()} == {"user.renamed", "user.role_changed"}


def test_owner_may_make_another_employer_user_an_owner(client_of, owner, recruiter):
    _post(client_of(owner), "agencies", recruiter, role=Role.OWNER)
    recruiter.refresh_from_db()
    assert recruiter.role == Role.OWNER


def test_agency_admin_promotes_a_colleague(client_of, agency_a_admin, agency_a_user):
    response = _post(client_of(agency_a_admin), "portal", agency_a_user, role=Role.AGENCY_ADMIN)
    assert response.status_code == 302
    agency_a_user.refresh_from_db()
    assert agency_a_user.role == Role.AGENCY_ADMIN


@pytest.mark.parametrize("role", [Role.OWNER, Role.RECRUITER, "superuser"])
def test_form_refuses_a_role_the_admin_may_not_give_and_keeps_what_was_typed(
    client_of, agency_a_admin, agency_a_user, role
):
    response = _post(
        client_of(agency_a_admin), "portal", agency_a_user, first_name="Nia", role=role
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"role": ["You cannot give this access level."]}
    assert 'value="Nia"' in response.content.decode()
    agency_a_user.refresh_from_db()
    assert agency_a_user.role == Role.AGENCY_RECRUITER and agency_a_user.first_name != "Nia"


def test_the_access_levels_offered_are_only_those_the_viewer_may_give(
    client_of, owner, agency_a_admin, agency_a_user
):
    admin_choices = client_of(agency_a_admin).get(_url("portal", agency_a_user)).context["form"]
    assert [value for value, _label in admin_choices.fields["role"].choices] == [
        Role.AGENCY_ADMIN,
        Role.AGENCY_RECRUITER,
    ]


def test_own_page_has_no_access_level_field(client_of, agency_a_admin):
    response = client_of(agency_a_admin).get(_url("portal", agency_a_admin))
    assert "role" not in response.context["form"].fields
    assert "You cannot change your own access level" in response.content.decode()
    _post(client_of(agency_a_admin), "portal", agency_a_admin, role=Role.AGENCY_RECRUITER)
    agency_a_admin.refresh_from_db()
    assert agency_a_admin.role == Role.AGENCY_ADMIN


def test_blank_name_is_refused_at_the_field(client_of, owner, recruiter):
    response = _post(client_of(owner), "agencies", recruiter, first_name="  ", last_name="Kept")
    assert "first_name" in response.context["form"].errors
    assert 'value="Kept"' in response.content.decode()


@pytest.mark.parametrize("target", ["agency_b_user", "agency_b_admin", "recruiter", "owner"])
def test_agency_admin_gets_404_outside_their_agency(client_of, request, agency_a_admin, target):
    user = request.getfixturevalue(target)
    client = client_of(agency_a_admin)
    assert client.get(_url("portal", user)).status_code == 404
    assert _post(client, "portal", user, first_name="Mallory").status_code == 404
    user.refresh_from_db()
    assert user.first_name != "Mallory"
    colleague = AgencyUserFactory(agency=agency_a_admin.membership.agency)
    assert client.get(_url("portal", colleague)).status_code == 200  # their own agency's


def test_agency_recruiter_gets_404_for_others_and_403_for_themselves(
    client_of, agency_a_user, agency_a_admin
):
    client = client_of(agency_a_user)
    assert client.get(_url("portal", agency_a_admin)).status_code == 404
    assert client.get(_url("portal", agency_a_user)).status_code == 403


def test_employer_page_is_for_owners(client_of, owner, recruiter, agency_a_admin, agency_a_user):
    assert client_of(recruiter).get(_url("agencies", agency_a_user)).status_code == 403
    assert client_of(agency_a_admin).get(_url("agencies", agency_a_user)).status_code == 404
    assert client_of(owner).get(_url("agencies", agency_a_user)).status_code == 200


def test_a_disabled_agency_is_explained(client_of, owner, agency_a, agency_a_user):
    agency_a.is_active = False
    agency_a.save(update_fields=["is_active"])
    page = client_of(owner).get(_url("agencies", agency_a_user)).content.decode()
    assert "Agency disabled" in page and "none of its users can sign in" in page


def test_rejects_put(client_of, owner):
    assert client_of(owner).put(_url("agencies", UserFactory())).status_code == 405


def test_anonymous_goes_to_login(client, agency_a_user):
    assert client.get(_url("portal", agency_a_user)).url.startswith(reverse("account_login"))
