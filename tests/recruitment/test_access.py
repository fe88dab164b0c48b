"""Disabling a user or an agency cuts access at the very next request, sessions included."""

from django.contrib.messages import get_messages
from django.urls import reverse

from recruitment.models import Role


def _refused_with(client, url, text):
    response = client.get(url)
    assert response.status_code == 302 and response.url == reverse("account_login")
    assert any(text in str(m) for m in get_messages(response.wsgi_request))
    # the session is gone: the next request is anonymous
    assert client.get(url).url.startswith(reverse("account_login") + "?next=")


def test_disabled_user_is_logged_out_on_next_request(client_of, agency_a_user):
    client = client_of(agency_a_user)
    assert client.get(reverse("portal:home")).status_code == 200
    agency_a_user.is_active = False
    agency_a_user.save(update_fields=["is_active"])
    _refused_with(client, reverse("portal:home"), "Your account has been disabled")


def test_disabled_agency_logs_out_all_its_users(
    client_of, agency_a, agency_a_user, agency_b_user, client
):
    agency_client = client_of(agency_a_user)
    agency_a.is_active = False
    agency_a.save(update_fields=["is_active"])
    _refused_with(agency_client, reverse("portal:home"), "Agency A's access has been disabled")


def test_user_of_other_agency_keeps_access(client_of, agency_a, agency_b_user):
    agency_a.is_active = False
    agency_a.save(update_fields=["is_active"])
    assert client_of(agency_b_user).get(reverse("portal:home")).status_code == 200


def test_disabled_user_cannot_sign_in(client, agency_a_user):
    agency_a_user.is_active = False
    agency_a_user.save(update_fields=["is_active"])
    client.post(
        reverse("account_login"),
        {"login": agency_a_user.email, "password": "correct-horse-battery"},
    )
    assert client.get(reverse("portal:home")).status_code == 302


def test_login_sends_each_side_to_its_portal(client, agency_a_user, recruiter):
    response = client.post(
        reverse("account_login"),
        {"login": agency_a_user.email, "password": "correct-horse-battery"},
    )
    assert response.url == reverse("portal:home")
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": recruiter.email, "password": "correct-horse-battery"}
    )
    assert response.url == reverse("recruitment:home")
    assert client.get(reverse("recruitment:home")).url == reverse("recruitment:job-list")


def test_signup_is_closed(client, db):
    response = client.post(
        reverse("account_signup"), {"email": "x@example.com", "password1": "a-long-passphrase"}
    )
    assert "by invitation only" in response.content.decode()
    from recruitment.models import User

    assert not User.objects.filter(email="x@example.com").exists()


def test_login_by_emailed_code_is_offered(client, recruiter):
    from django.core import mail

    response = client.post(reverse("account_request_login_code"), {"email": recruiter.email})
    assert response.status_code == 302
    assert mail.outbox and mail.outbox[0].to == [recruiter.email]


def test_logins_are_rate_limited(client, recruiter, settings):
    from django.core.cache import cache

    cache.clear()
    for _ in range(6):
        response = client.post(
            reverse("account_login"), {"login": recruiter.email, "password": "wrong-password"}
        )
    assert response.status_code == 429 or "Too many" in response.content.decode()
    cache.clear()


def test_role_constraint_holds_in_database(recruiter):
    import pytest
    from django.db import IntegrityError

    recruiter.role = "superhero"
    with pytest.raises(IntegrityError):
        recruiter.save(update_fields=["role"])


def test_owner_role_is_admin_staff(owner, recruiter):
    assert owner.is_staff and owner.has_perm("recruitment.change_job")
    assert not recruiter.is_staff and recruiter.role == Role.RECRUITER


def test_people_cannot_change_their_own_email_address(client_of, agency_a_user):
    """The address is the identity an invitation vouched for; allauth's email page is replaced."""
    client = client_of(agency_a_user)
    assert client.get("/accounts/email/").status_code == 404
    assert (
        client.post("/accounts/email/", {"email": "new@evil.example", "action_add": ""}).status_code
        == 405
    )
