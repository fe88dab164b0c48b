"""The Django admin changes users and agencies only through agencies.services, with the same
checks as the app, and records every change in the audit log."""

import pytest
from django.urls import reverse

from agencies import services
from agencies.models import Membership
from recruitment.models import AuditEvent, Role, User
from tests.factories import AgencyFactory, UserFactory


def _change_user(client, user, **changes):
    fields = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "country": "",
        "is_active": "on",
    }
    data = {name: value for name, value in (fields | changes).items() if value is not None}
    return client.post(reverse("admin:recruitment_user_change", args=[user.pk]), data)


def _change_agency(client, agency, **changes):
    fields = {
        "name": agency.name,
        "country": str(agency.country),
        "website": agency.website,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    data = {name: value for name, value in (fields | changes).items() if value is not None}
    return client.post(reverse("admin:agencies_agency_change", args=[agency.pk]), data)


# Roles -------------------------------------------------------------------------------------


def test_agency_user_cannot_be_raised_to_owner(client_of, owner, agency_a_user):
    response = _change_user(client_of(owner), agency_a_user, role=Role.OWNER)
    assert response.status_code == 200 and "errornote" in response.content.decode()
    agency_a_user.refresh_from_db()
    assert agency_a_user.role == Role.AGENCY_RECRUITER
    assert not AuditEvent.objects.filter(action__in=["user.role_changed", "admin.changed"]).exists()


def test_agency_user_may_be_made_agency_admin(client_of, owner, agency_a_user):
    response = _change_user(client_of(owner), agency_a_user, role=Role.AGENCY_ADMIN)
    assert response.status_code == 302
    agency_a_user.refresh_from_db()
    assert agency_a_user.role == Role.AGENCY_ADMIN
    event = AuditEvent.objects.get(action="user.role_changed")
    assert event.actor == owner and event.agency_id == agency_a_user.membership.agency_id


def test_renaming_works_and_is_audited_with_who_and_what(client_of, owner, agency_a_user):
    before = agency_a_user.first_name
    response = _change_user(client_of(owner), agency_a_user, first_name="Grace")
    assert response.status_code == 302
    agency_a_user.refresh_from_db()
    assert agency_a_user.first_name == "Grace"
    assert AuditEvent.objects.get(action="user.renamed").actor == owner
    event = AuditEvent.objects.get(action="admin.changed")
    assert event.actor == owner and event.object_id == str(agency_a_user.public_id)
    assert event.agency_id == agency_a_user.membership.agency_id
    assert event.data["fields"] == {"first_name": {"from": before, "to": "Grace"}}


def test_the_last_owner_cannot_demote_themselves(client_of, owner):
    response = _change_user(client_of(owner), owner, role=Role.RECRUITER)
    assert response.status_code == 200 and "errornote" in response.content.decode()
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_another_owner_may_be_demoted(client_of, owner):
    other = UserFactory(role=Role.OWNER)
    response = _change_user(client_of(owner), other, role=Role.RECRUITER)
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.role == Role.RECRUITER
    assert AuditEvent.objects.filter(action="user.role_changed", actor=owner).exists()


def test_role_choices_are_the_grantable_ones(client_of, owner, agency_a_user):
    html = client_of(owner).get(reverse("admin:recruitment_user_change", args=[agency_a_user.pk]))
    html = html.content.decode()
    assert 'value="agency_admin"' in html and 'value="owner"' not in html


def test_email_and_password_are_not_editable_nor_shown(client_of, owner, recruiter):
    client = client_of(owner)
    _change_user(client, recruiter, email="thief@example.com", first_name="Renamed")
    recruiter.refresh_from_db()
    assert recruiter.email == "recruiter@example.com" and recruiter.first_name == "Renamed"
    html = client.get(reverse("admin:recruitment_user_change", args=[recruiter.pk]))
    assert recruiter.password not in html.content.decode()


def test_password_hashes_cannot_be_probed_by_filtering(client_of, owner, recruiter):
    changelist = reverse("admin:recruitment_user_changelist")
    client = client_of(owner)
    assert client.get(changelist, {"password__startswith": "md5$"}).status_code == 400
    assert client.get(changelist, {"role": Role.RECRUITER}).status_code == 200


# Disabling ---------------------------------------------------------------------------------


def test_disabling_goes_through_the_service(client_of, owner, recruiter):
    response = _change_user(client_of(owner), recruiter, is_active=None)
    assert response.status_code == 302
    recruiter.refresh_from_db()
    assert not recruiter.is_active
    assert AuditEvent.objects.filter(action="user.disabled", actor=owner).exists()


def test_owner_cannot_disable_themselves(client_of, owner):
    other = UserFactory(role=Role.OWNER)
    response = _change_user(client_of(owner), owner, is_active=None)
    assert response.status_code == 200
    assert "You cannot disable your own account" in response.content.decode()
    assert User.objects.get(pk=owner.pk).is_active and other.is_active


def test_users_are_neither_added_nor_deleted_in_the_admin(client_of, owner, recruiter):
    client = client_of(owner)
    assert client.get(reverse("admin:recruitment_user_add")).status_code == 403
    delete = reverse("admin:recruitment_user_delete", args=[recruiter.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=recruiter.pk).exists()


# Agencies ----------------------------------------------------------------------------------


def test_agency_rename_is_audited(client_of, owner, agency_a):
    response = _change_agency(client_of(owner), agency_a, name="Apex Talent")
    assert response.status_code == 302
    agency_a.refresh_from_db()
    assert agency_a.name == "Apex Talent"
    event = AuditEvent.objects.get(action="admin.changed")
    assert event.actor == owner and event.agency_id == agency_a.pk
    assert event.data["fields"] == {"name": {"from": "Agency A", "to": "Apex Talent"}}


def test_agency_disable_goes_through_the_service(client_of, owner, agency_a, agency_a_user):
    response = _change_agency(client_of(owner), agency_a, is_active=None)
    assert response.status_code == 302
    agency_a.refresh_from_db()
    assert not agency_a.is_active
    assert AuditEvent.objects.get(action="agency.disabled").data == {"users": 1}


def test_agency_name_taken_is_refused_at_the_field(client_of, owner, agency_a):
    AgencyFactory(name="Brightpath")
    response = _change_agency(client_of(owner), agency_a, name="brightpath")
    assert response.status_code == 200 and "errornote" in response.content.decode()
    agency_a.refresh_from_db()
    assert agency_a.name == "Agency A"


def test_a_user_cannot_be_moved_to_another_agency(client_of, owner, agency_a_user, agency_b):
    membership = agency_a_user.membership
    client = client_of(owner)
    response = client.post(
        reverse("admin:agencies_membership_change", args=[membership.pk]),
        {
            "user": agency_a_user.pk,
            "agency": agency_b.pk,
            "created_at_0": "2026-01-05",
            "created_at_1": "10:00:00",
        },
    )
    assert response.status_code == 403
    assert Membership.objects.get(pk=membership.pk).agency_id == agency_a_user.membership.agency_id
    page = client.get(reverse("admin:agencies_membership_change", args=[membership.pk]))
    assert page.status_code == 200


# Invitations and assignments: their admin actions call the services ----------------------------


@pytest.fixture
def invitation(owner, agency_a):
    return services.invitation_create(
        actor=owner, email="new@a.example", role=Role.AGENCY_RECRUITER, agency=agency_a
    )


def test_invitations_are_revoked_through_the_service(client_of, owner, invitation):
    response = client_of(owner).post(
        reverse("admin:agencies_invitation_changelist"),
        {"action": "revoke", "_selected_action": [invitation.pk]},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    assert AuditEvent.objects.filter(action="invitation.revoked", actor=owner).exists()


def test_assignments_are_withdrawn_through_the_service(client_of, owner, assignment_a):
    response = client_of(owner).post(
        reverse("admin:agencies_jobassignment_changelist"),
        {"action": "withdraw", "_selected_action": [assignment_a.pk]},
    )
    assert response.status_code == 302
    assignment_a.refresh_from_db()
    assert assignment_a.withdrawn_by == owner
    assert AuditEvent.objects.filter(action="job.withdrawn", actor=owner).exists()
