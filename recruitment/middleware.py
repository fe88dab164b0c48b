"""Content-Security-Policy on every response (Django 5.2 has no built-in one; 6.0 does), and a
read retried when PostgreSQL cut its connection.

Every script, style and image comes from our own static files, so nothing inline runs: no <script>
blocks, on*= handlers, javascript: URLs, style="" attributes or <style> blocks in any template.
"""

import logging

from django.db import InterfaceError, OperationalError, connection

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
    connection due to administrator command") runs once more, on a new connection, instead of
    answering 500. Only reads: a POST may have written part of its work, so it fails as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method not in ("GET", "HEAD") or getattr(request, "retried", False):
            return None
        if not isinstance(exception, OperationalError | InterfaceError) or _connection_alive():
            return None
        request.retried = True
        logger.warning(
            "Running %s again: its database connection was lost (%s)", request.path, exception
        )
        connection.close()  # the next query opens a new one, waiting for the server if need be
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)


def _connection_alive() -> bool:
    return connection.connection is not None and not connection.connection.closed
