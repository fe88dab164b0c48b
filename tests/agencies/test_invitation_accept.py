import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agencies import services
from agencies.models import Invitation
from recruitment.models import Role, User


@pytest.fixture
def invite(agency_a_admin, agency_a, django_capture_on_commit_callbacks):
    """Invite a colleague through the service and return the link from the email, as the invitee sees it."""

    def send(email="new@a.example"):
        with django_capture_on_commit_callbacks(execute=True):
            services.invitation_create(
                actor=agency_a_admin,
                email=email,
                role=Role.AGENCY_RECRUITER,
                agency=agency_a,
                first_name="Nia",
                last_name="Brooks",
            )
        return re.search(r"https?://\S+/invitations/accept/\S+/", mail.outbox[-1].body).group(0)

    return send


def _path(link):
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


ACCEPT = {
    "first_name": "Nia",
    "last_name": "Brooks",
    "password1": "a-long-passphrase",
    "password2": "a-long-passphrase",
}


def test_accepting_creates_the_agency_user_and_signs_in(client, invite, agency_a):
    link = invite()
    assert mail.outbox[-1].to == ["new@a.example"]
    response = client.post(_path(link), ACCEPT)
    assert response.status_code == 302
    user = User.objects.get(email="new@a.example")
    assert (user.role, user.membership.agency) == (Role.AGENCY_RECRUITER, agency_a)
    assert user.check_password("a-long-passphrase")
    assert client.get(reverse("portal:home")).status_code == 200


def test_link_works_only_once(client, invite):
    path = _path(invite())
    client.post(path, ACCEPT)
    client.logout()
    response = client.post(
        path, {**ACCEPT, "password1": "another-passphrase", "password2": "another-passphrase"}
    )
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert User.objects.get(email="new@a.example").check_password("a-long-passphrase")


def test_expired_link_gets_a_clear_page_and_changes_nothing(client, invite):
    path = _path(invite())
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    for response in (client.get(path), client.post(path, ACCEPT)):
        assert response.status_code == 410 and "expired" in response.content.decode()
    assert not User.objects.filter(email="new@a.example").exists()


def test_forged_link_gets_a_clear_page(client, invite):
    path = _path(invite())
    forged = path[:-6] + ("AAAAA/" if not path.endswith("AAAAA/") else "BBBBB/")
    response = client.post(forged, ACCEPT)
    assert response.status_code == 410 and "not valid" in response.content.decode()
    assert not User.objects.filter(email="new@a.example").exists()


def test_revoked_link_is_refused(client, invite, agency_a_admin):
    path = _path(invite())
    services.invitation_revoke(actor=agency_a_admin, invitation=Invitation.objects.get())
    assert "withdrawn" in client.get(path).content.decode()


def test_weak_password_is_refused_at_the_field_and_names_are_kept(client, invite):
    response = client.post(
        _path(invite()), {**ACCEPT, "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert 'value="Brooks"' in response.content.decode()
    assert not User.objects.filter(email="new@a.example").exists()


def test_only_a_hash_of_the_token_is_stored(invite):
    token = _path(invite()).rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash__contains=token).exists()


def test_invitation_expires_after_seven_days_by_default(invite):
    invite()
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)


def test_reinviting_revokes_the_earlier_link(client, invite):
    first = _path(invite())
    invite()
    assert client.get(first).status_code == 410


def test_inviting_a_user_the_inviter_can_see_is_refused(agency_a_admin, agency_a, agency_a_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.invitation_create(
            actor=agency_a_admin,
            email=agency_a_user.email.upper(),
            role=Role.AGENCY_RECRUITER,
            agency=agency_a,
        )
    assert error.value.message_dict == {"email": ["A user with this email address already exists."]}
    assert not Invitation.objects.exists()


def test_an_invitation_to_an_address_with_an_account_elsewhere_says_so_to_its_owner_only(
    client, invite, agency_b_user
):
    """Agency A's admin is not told that the address has an account (Agency B's); the person
    who holds the link, who owns the mailbox, is told to sign in instead."""
    path = _path(invite(email=agency_b_user.email))
    for response in (client.get(path), client.post(path, ACCEPT)):
        assert response.status_code == 410
        assert "An account with this email address already exists. Sign in instead." in (
            response.content.decode()
        )
    agency_b_user.refresh_from_db()
    assert agency_b_user.membership.agency.name == "Agency B"
    assert not agency_b_user.check_password(ACCEPT["password1"])
