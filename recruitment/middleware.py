"""Content-Security-Policy on every response (Django 5.2 has no built-in one; 6.0 does), and a
read retried when PostgreSQL cut its connection.

Every script, style and image comes from our own static files, so nothing inline runs: no <script>
blocks, on*= handlers, javascript: URLs, style="" attributes or <style> blocks in any template.
"""

import logging

from django.db import connection

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
