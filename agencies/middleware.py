from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

from agencies.auth import access_refusal
from recruitment.redirects import htmx_login_redirect


class ActiveAccountMiddleware:
    """Cuts off a disabled user, or a user of a disabled agency, on their very next request (a
    page's poll included: htmx takes the whole page to the login page, where the reason shows)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if reason := access_refusal(request.user):
            logout(request)
            messages.error(request, reason)
            if request.htmx:
                return htmx_login_redirect(request, back=False)
            return redirect("account_login")
        return self.get_response(request)
