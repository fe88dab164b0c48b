"""Signing in through allauth's login form: a disabled user, or a user of a disabled agency, is
refused with one red message saying why, never a green "Successfully signed in" beside it."""

import re

import pytest
from django.contrib.messages import constants, get_messages
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


def _sign_in(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    shown = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
    return response, shown


def test_an_active_agency_user_signs_in_with_the_success_message(client, agency_a_user):
    response, shown = _sign_in(client, agency_a_user)
    assert response.wsgi_request.user == agency_a_user
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert [level for level, _ in shown] == [constants.SUCCESS]


def test_a_user_of_a_disabled_agency_sees_only_why(client, agency_a, agency_a_user):
    agency_a.is_active = False
    agency_a.save(update_fields=["is_active"])
    response, shown = _sign_in(client, agency_a_user)
    assert not response.wsgi_request.user.is_authenticated
    assert response.redirect_chain[-1][0] == reverse("account_login")
    assert shown == [
        (
            constants.ERROR,
            "Agency A's access has been disabled. Contact Northwind Talent for details.",
        )
    ]
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", ["agency", "employer"])
def test_a_disabled_user_sees_only_that_their_account_is_disabled(client, role, agency_a_user):
    user = agency_a_user if role == "agency" else UserFactory(email="gone@example.com")
    user.is_active = False
    user.save(update_fields=["is_active"])
    response, shown = _sign_in(client, user)
    assert not response.wsgi_request.user.is_authenticated
    assert response.redirect_chain[-1][0] == reverse("account_login")
    assert [level for level, _ in shown] == [constants.ERROR]
    assert shown[0][1].startswith("Your account has been disabled.")


def test_a_disabled_user_with_a_wrong_password_learns_nothing(client, agency_a_user):
    agency_a_user.is_active = False
    agency_a_user.save(update_fields=["is_active"])
    response = client.post(
        reverse("account_login"), {"login": agency_a_user.email, "password": "not-the-password"}
    )
    assert response.status_code == 200 and "disabled" not in response.content.decode()
    assert response.context["form"].errors


@pytest.mark.parametrize("agency_active", [True, False])
def test_signing_in_by_emailed_code_is_refused_the_same_way(
    client, agency_a, agency_a_user, agency_active
):
    cache.clear()  # the login-code rate limit counts in the cache
    agency_a.is_active = agency_active
    agency_a.save(update_fields=["is_active"])
    client.post(
        reverse("account_request_login_code"), {"email": agency_a_user.email}, follow=True
    )  # following it shows "a code was sent", so that only the sign-in's own message remains
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[0].body, re.MULTILINE).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code}, follow=True)
    shown = [m.level for m in get_messages(response.wsgi_request)]
    if agency_active:
        assert response.wsgi_request.user == agency_a_user and shown == [constants.SUCCESS]
    else:
        assert not response.wsgi_request.user.is_authenticated and shown == [constants.ERROR]
