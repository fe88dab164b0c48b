from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

from agencies.auth import access_refusal


class ActiveAccountMiddleware:
    """Cuts off a disabled user, or a user of a disabled agency, on their very next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if reason := access_refusal(request.user):
            logout(request)
            messages.error(request, reason)
            return redirect("account_login")
        return self.get_response(request)
