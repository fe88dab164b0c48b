from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: people join through an invitation link."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_login_redirect_url(self, request) -> str:
        if request.user.is_agency_user:
            return reverse("portal:home")
        return super().get_login_redirect_url(request)
