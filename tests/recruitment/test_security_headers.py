"""The security headers: a Content-Security-Policy on every response, and in production HSTS and
the rest of SecurityMiddleware's headers."""

import json

import pytest
from django.urls import reverse

from tests.recruitment.test_settings import PRODUCTION, _manage

DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PRODUCTION_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _directives(header: str) -> dict:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.parametrize(
    "url",
    [reverse("account_login"), reverse("recruitment:healthz"), "/no-such-page/", "/admin/login/"],
)
def test_anonymous_responses_carry_the_policy(client, url):
    assert _directives(client.get(url)["Content-Security-Policy"]) == DIRECTIVES


def test_signed_in_pages_carry_the_policy(client_of, recruiter, agency_a_user):
    for user, url in (
        (recruiter, reverse("recruitment:job-list")),
        (agency_a_user, reverse("portal:home")),
    ):
        response = client_of(user).get(url)
        assert response.status_code == 200
        assert _directives(response["Content-Security-Policy"]) == DIRECTIVES


def test_production_response_headers():
    """A page as production serves it over HTTPS (a redirect to sign in needs no database)."""
    script = (
        "import json; from django.test import Client; "
        "r = Client(HTTP_HOST='jobs.example.com').get('/', secure=True); "
        "print(json.dumps(dict(r.headers)))"
    )
    result = _manage("shell", "--no-imports", "-c", script, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.splitlines()[-1])
    assert _directives(headers["Content-Security-Policy"]) == DIRECTIVES
    assert {name: headers.get(name) for name in PRODUCTION_HEADERS} == PRODUCTION_HEADERS
