from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect


class ActiveAccountMiddleware:
    """Cuts off a disabled user, or a user of a disabled agency, on their very next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if reason := self._refusal(request.user):
            logout(request)
            messages.error(request, reason)
            return redirect("account_login")
        return self.get_response(request)

    @staticmethod
    def _refusal(user) -> str:
        if not user.is_authenticated:
            return ""
        if not user.is_active:
            return "Your account has been disabled. Contact your administrator if you think this is a mistake."
        membership = getattr(user, "membership", None)
        if membership is not None and not membership.agency.is_active:
            return f"{membership.agency}'s access has been disabled. Contact {settings.EMPLOYER_NAME} for details."
        return ""
