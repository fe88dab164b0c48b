from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.internal.stagekit import clear_login
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from recruitment.models import User


def access_refusal(user) -> str:
    """Why this user may not use the app (disabled, or their agency is), or "" if they may."""
    if not user.is_authenticated:
        return ""
    if not user.is_active:
        return (
            "Your account has been disabled. "
            "Contact your administrator if you think this is a mistake."
        )
    membership = getattr(user, "membership", None)
    if membership is not None and not membership.agency.is_active:
        return (
            f"{membership.agency}'s access has been disabled. "
            f"Contact {settings.EMPLOYER_NAME} for details."
        )
    return ""


class AccountBackend(AuthenticationBackend):
    """Loads the session's user with their agency in one query, and returns disabled users too,
    so that ActiveAccountMiddleware can log them out with a clear message instead of a silent
    logout."""

    def get_user(self, user_id):
        return User.objects.select_related("membership__agency").filter(pk=user_id).first()


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: people join through an invitation link."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def pre_login(self, request, user, **kwargs):
        """Refuse a disabled user, or a user of a disabled agency, before allauth logs them in and
        adds its "Successfully signed in": the page shows only the reason, as the middleware does
        for a session that is already open."""
        if reason := access_refusal(user):
            clear_login(request)
            messages.error(request, reason)
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    def get_login_redirect_url(self, request) -> str:
        if request.user.is_agency_user:
            return reverse("portal:home")
        return super().get_login_redirect_url(request)
