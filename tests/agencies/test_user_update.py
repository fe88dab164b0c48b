"""agencies.services.user_update and grantable_roles: who may rename whom and give which access level."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies import services
from recruitment.models import AuditEvent, Role, User
from tests.factories import AgencyUserFactory, UserFactory


def _update(actor, user, **changes):
    fields = {"first_name": user.first_name, "last_name": user.last_name, "role": user.role}
    return services.user_update(actor=actor, user=user, **(fields | changes))


def test_owner_may_give_employer_roles_to_employer_users_only(owner, recruiter):
    assert services.grantable_roles(actor=owner, user=recruiter) == [
        Role.OWNER,
        Role.RECRUITER,
        Role.HIRING_MANAGER,
    ]


def test_owner_may_give_agency_roles_to_agency_users_only(owner, agency_a_user):
    assert services.grantable_roles(actor=owner, user=agency_a_user) == [
        Role.AGENCY_ADMIN,
        Role.AGENCY_RECRUITER,
    ]


def test_agency_admin_may_switch_own_agency_users_between_agency_roles(
    agency_a_admin, agency_a_user
):
    assert services.grantable_roles(actor=agency_a_admin, user=agency_a_user) == [
        Role.AGENCY_ADMIN,
        Role.AGENCY_RECRUITER,
    ]
    user = _update(agency_a_admin, agency_a_user, role=Role.AGENCY_ADMIN)
    assert user.role == Role.AGENCY_ADMIN
    event = AuditEvent.objects.get(action="user.role_changed")
    assert event.actor == agency_a_admin and event.agency_id == agency_a_user.membership.agency_id
    assert event.data["from"] == "Agency recruiter" and event.data["to"] == "Agency admin"


@pytest.mark.parametrize("role", [Role.OWNER, Role.RECRUITER, Role.HIRING_MANAGER])
def test_agency_admin_cannot_raise_anyone_to_an_employer_role(agency_a_admin, agency_a_user, role):
    with pytest.raises(ValidationError) as refused:
        _update(agency_a_admin, agency_a_user, role=role)
    assert refused.value.message_dict == {"role": ["You cannot give this access level."]}
    agency_a_user.refresh_from_db()
    assert agency_a_user.role == Role.AGENCY_RECRUITER
    assert not AuditEvent.objects.filter(action="user.role_changed").exists()
    # what the admin may give, the same way: an agency role
    assert _update(agency_a_admin, agency_a_user, role=Role.AGENCY_ADMIN).role == Role.AGENCY_ADMIN
    assert AuditEvent.objects.filter(action="user.role_changed").count() == 1


@pytest.mark.parametrize("target", ["agency_b_user", "recruiter", "owner"])
def test_agency_admin_cannot_touch_other_agencies_or_the_employer(request, agency_a_admin, target):
    user = request.getfixturevalue(target)
    assert services.grantable_roles(actor=agency_a_admin, user=user) == []
    with pytest.raises(PermissionDenied):
        _update(agency_a_admin, user, first_name="Renamed")
    with pytest.raises(PermissionDenied):
        services.user_disable(actor=agency_a_admin, user=user)
    colleague = AgencyUserFactory(agency=agency_a_admin.membership.agency)
    assert services.grantable_roles(actor=agency_a_admin, user=colleague)  # their own agency's
    assert _update(agency_a_admin, colleague, first_name="Renamed").first_name == "Renamed"


def test_owner_cannot_move_a_user_across_sides(owner, recruiter, agency_a_user):
    with pytest.raises(ValidationError):
        _update(owner, agency_a_user, role=Role.OWNER)
    with pytest.raises(ValidationError):
        _update(owner, recruiter, role=Role.AGENCY_ADMIN)


def test_nobody_changes_their_own_access_level(owner, agency_a_admin):
    UserFactory(role=Role.OWNER)  # so that the last-Owner rule is not what refuses
    for actor in (owner, agency_a_admin):
        assert services.grantable_roles(actor=actor, user=actor) == []
    with pytest.raises(ValidationError):
        _update(owner, owner, role=Role.RECRUITER)
    with pytest.raises(ValidationError):
        _update(agency_a_admin, agency_a_admin, role=Role.AGENCY_RECRUITER)


def test_anyone_who_manages_a_user_may_rename_them_and_it_is_audited(agency_a_admin, agency_a_user):
    user = _update(agency_a_admin, agency_a_user, first_name=" Nia ", last_name="Brooks")
    assert (user.first_name, user.last_name) == ("Nia", "Brooks")
    event = AuditEvent.objects.get(action="user.renamed")
    assert event.object_id == str(agency_a_user.public_id) and event.data["to"] == "Nia Brooks"


def test_saving_unchanged_values_records_nothing(owner, recruiter):
    _update(owner, recruiter)
    assert not AuditEvent.objects.filter(action__startswith="user.").exists()
    _update(owner, recruiter, last_name="Changed")
    assert AuditEvent.objects.filter(action="user.renamed").count() == 1


def test_an_owner_may_demote_another_owner(owner):
    other = UserFactory(role=Role.OWNER)
    assert _update(owner, other, role=Role.RECRUITER).role == Role.RECRUITER


def test_the_last_active_owner_cannot_be_demoted_even_in_a_race(owner):
    """Two Owners demoting each other at once: the second, still an Owner in its own memory, loses."""
    other = UserFactory(role=Role.OWNER)
    other_before_the_change = User.objects.get(pk=other.pk)
    _update(owner, other, role=Role.RECRUITER)
    with pytest.raises(ValidationError, match="last active Owner"):
        _update(other_before_the_change, owner, role=Role.RECRUITER)
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_the_last_active_owner_cannot_be_disabled_even_in_a_race(owner):
    other = UserFactory(role=Role.OWNER)
    other_before_the_change = User.objects.get(pk=other.pk)
    services.user_disable(actor=owner, user=other)
    with pytest.raises(ValidationError, match="last active Owner"):
        services.user_disable(actor=other_before_the_change, user=owner)
    owner.refresh_from_db()
    assert owner.is_active


def test_a_demoted_owner_loses_the_right_to_manage(owner):
    other = UserFactory(role=Role.OWNER)
    _update(other, owner, role=Role.RECRUITER)
    owner.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _update(owner, other, role=Role.RECRUITER)


def test_an_agency_admin_of_agency_b_manages_agency_b_only(agency_b_admin, agency_a_user):
    colleague = AgencyUserFactory(agency=agency_b_admin.membership.agency)
    assert services.may_manage(actor=agency_b_admin, user=colleague)
    assert not services.may_manage(actor=agency_b_admin, user=agency_a_user)
