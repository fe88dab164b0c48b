"""Content-Security-Policy on every response (Django 5.2 has no built-in one; 6.0 does), a read
retried when PostgreSQL cut its connection, and the login requirement told to htmx as htmx
understands it.

Every script, style and image comes from our own static files, so nothing inline runs: no <script>
blocks, on*= handlers, javascript: URLs, style="" attributes or <style> blocks in any template.
"""

import logging

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.db import connection

from recruitment.redirects import htmx_login_redirect

logger = logging.getLogger(__name__)

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def content_security_policy(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response

    return middleware


class RetryReadAfterLostConnection:
    """A GET whose database connection was cut while it ran (PostgreSQL restarting: "terminating
    connection due to administrator command", "server closed the connection") runs once more,
    on a new connection, instead of answering 500. It wraps every other middleware, since the
    cut may come in any of them (the session, the account checks) as well as in the view. Only
    reads: a POST may have written part of its work, so it fails as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and request.method in ("GET", "HEAD") and _connection_lost():
            logger.warning("Running %s again: its database connection was lost", request.path)
            connection.close()  # the next query opens a new one, waiting for the server if need be
            response = self.get_response(request)
        return response


def _connection_lost() -> bool:
    return connection.connection is not None and connection.connection.closed


class LoginRequired(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, but an htmx request from someone not signed in (their
    session expired, or they signed out in another tab, while a page polls) takes the whole page
    to the login page instead of swapping the login page into a fragment."""

    def handle_no_permission(self, request, view_func):
        if request.htmx:
            return htmx_login_redirect(request)
        return super().handle_no_permission(request, view_func)
