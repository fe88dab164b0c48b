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
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "invitation_send": "2/h/user"}
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
