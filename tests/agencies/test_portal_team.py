import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from agencies.models import Invitation
from recruitment.models import AuditEvent


@pytest.fixture
def url():
    return reverse("portal:team")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def test_admin_invites_a_colleague_by_email(
    client_of, agency_a_admin, agency_a, url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(agency_a_admin).post(
            url,
            {
                "first_name": "Nia",
                "last_name": "Brooks",
                "email": "Nia@A.example",
                "role": "agency_recruiter",
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.agency, invitation.role) == (
        "nia@a.example",
        agency_a,
        "agency_recruiter",
    )
    assert mail.outbox[0].to == ["nia@a.example"] and "/invitations/accept/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="invitation.sent", agency_id=agency_a.pk).exists()


def test_lists_only_own_agency_users(client_of, agency_a_admin, agency_a_user, agency_b_user, url):
    members = list(client_of(agency_a_admin).get(url).context["members"])
    assert members == sorted(
        [agency_a_admin, agency_a_user], key=lambda u: (u.first_name, u.last_name)
    )


def test_agency_recruiter_may_not_invite(client_of, agency_a_user, agency_a_admin, url):
    assert client_of(agency_a_user).get(url).status_code == 403
    assert client_of(agency_a_admin).get(url).status_code == 200


def test_employer_user_gets_404(client_of, recruiter, agency_a_admin, url):
    assert client_of(recruiter).get(url).status_code == 404
    assert client_of(agency_a_admin).get(url).status_code == 200


def test_bad_email_keeps_the_names(client_of, agency_a_admin, url):
    response = client_of(agency_a_admin).post(
        url,
        {"first_name": "Nia", "last_name": "Brooks", "email": "nia@", "role": "agency_recruiter"},
    )
    assert "email" in response.context["form"].errors
    assert 'value="Nia"' in response.content.decode() and not Invitation.objects.exists()


def test_invitations_are_rate_limited(client_of, agency_a_admin, url, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invitation_send": ("user", "2/h")}
    client = client_of(agency_a_admin)
    for n in range(3):
        response = client.post(
            url,
            {
                "first_name": "N",
                "last_name": "B",
                "email": f"n{n}@a.example",
                "role": "agency_recruiter",
            },
        )
    assert Invitation.objects.count() == 2
    assert "many invitations" in response.content.decode()


def _invite(client, url, email):
    data = {"first_name": "Nia", "last_name": "Brooks", "email": email, "role": "agency_recruiter"}
    return client.post(url, data, follow=True)


def test_inviting_another_agencys_user_looks_like_inviting_anyone(
    client_of, agency_a_admin, agency_a, agency_b_user, url, django_capture_on_commit_callbacks
):
    """An agency admin must not learn that an address has an account at another agency."""
    client = client_of(agency_a_admin)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = _invite(client, url, "nobody-yet@b.example")
        taken = _invite(client, url, agency_b_user.email)
    for response, email in ((fresh, "nobody-yet@b.example"), (taken, agency_b_user.email)):
        assert response.redirect_chain == [(url, 302)]
        assert f"Invitation sent to {email}." in response.content.decode()
        assert "already" not in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["nobody-yet@b.example", agency_b_user.email]
    assert Invitation.objects.filter(email=agency_b_user.email, agency=agency_a).exists()
    event = AuditEvent.objects.get(action="invitation.sent", data__existing_account=True)
    assert agency_b_user.email in event.summary and "already has an account" in event.summary
    assert AuditEvent.objects.filter(action="invitation.sent").count() == 2


def test_inviting_a_user_of_ones_own_agency_says_they_already_exist(
    client_of, agency_a_admin, agency_a_user, url
):
    response = _invite(client_of(agency_a_admin), url, agency_a_user.email.upper())
    assert response.context["form"].errors == {
        "email": ["A user with this email address already exists."]
    }
    assert 'value="Nia"' in response.content.decode() and not Invitation.objects.exists()


def test_the_owner_is_told_an_address_already_has_an_account(client_of, owner, agency_b_user):
    response = client_of(owner).post(
        reverse("agencies:agency-create"),
        {
            "name": "Newco",
            "country": "GB",
            "admin_first_name": "Nia",
            "admin_last_name": "Brooks",
            "admin_email": agency_b_user.email,
        },
    )
    assert response.context["form"].errors == {
        "admin_email": ["A user with this email address already exists."]
    }
    assert not Invitation.objects.exists()


def test_an_invitation_does_not_revoke_another_agencys_invitation_of_the_same_address(
    client_of, agency_a_admin, agency_b_admin, url
):
    _invite(client_of(agency_b_admin), url, "sought@after.example")
    _invite(client_of(agency_a_admin), url, "sought@after.example")
    _invite(client_of(agency_a_admin), url, "sought@after.example")  # A's own earlier one goes
    pending = Invitation.objects.pending().filter(email="sought@after.example")
    assert sorted(i.agency.name for i in pending) == ["Agency A", "Agency B"]
    assert Invitation.objects.filter(revoked_at__isnull=False).get().agency.name == "Agency A"
