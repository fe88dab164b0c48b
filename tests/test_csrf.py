"""Every state change needs a CSRF token: a POST without one is refused with 403 at every URL.

CsrfViewMiddleware checks before any view runs, so a URL escapes only through @csrf_exempt (or by
the middleware going missing). CSRF_EXEMPT lists the only views allowed to; a new exemption fails
test_only_the_listed_views_are_exempt. Each POST is sent by someone who may use the URL (the
rightful user of tests/test_tenancy.py's objects), and the control test sends the same POST with
a token, so the 403 is the missing token's doing and nothing else's.
"""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import UUIDConverter

from tests.test_tenancy import OBJECT_URLS, world  # noqa: F401  (world is a fixture)

CSRF_EXEMPT = {
    "messaging:twilio-inbound": "Twilio's inbound texts: no session, X-Twilio-Signature instead",
    "messaging:twilio-status": "Twilio's delivery reports: no session, X-Twilio-Signature instead",
}
TOKEN = "csrfsecretforthetestsonly0123456"  # an unmasked 32-character secret, as the cookie holds


def _walk(resolver=None, namespace=""):
    """(name, pattern, view) of every URL pattern, the Django admin's and allauth's included."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield name, entry.pattern, entry.callback


def _named_urls(*, admin: bool) -> list[str]:
    names = {name for name, _, _ in _walk() if name and name.startswith("admin:") == admin}
    return sorted(names - CSRF_EXEMPT.keys())


def _any_kwargs(pattern) -> dict:
    """Values that fit the pattern; the CSRF check comes before any object is looked up."""
    converters = getattr(pattern, "converters", {})
    return {group: _sample(group, converters.get(group)) for group in pattern.regex.groupindex}


def _sample(group, converter) -> str:
    if isinstance(converter, UUIDConverter):
        return str(uuid.uuid4())
    return "recruitment" if group == "app_label" else "1"  # the admin's app_label names an app


def _url_and_user(name, world):  # noqa: F811
    """The URL filled in, and a person with the role to use it."""
    if name in OBJECT_URLS:
        make_kwargs, rightful = OBJECT_URLS[name]
        return reverse(name, kwargs=make_kwargs(world)), getattr(world, rightful)
    pattern = next(pattern for n, pattern, _ in _walk() if n == name)
    url = reverse(name, kwargs=_any_kwargs(pattern))
    return url, world.agency_a_admin if url.startswith("/agency/") else world.owner


def _post(url, user, *, token: bool):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    if not token:
        return client.post(url)
    client.cookies["csrftoken"] = TOKEN
    return client.post(url, headers={"X-CSRFToken": TOKEN})


def _refused_for_csrf(response) -> bool:
    return response.status_code == 403 and b"CSRF verification failed" in response.content


def test_only_the_listed_views_are_exempt():
    exempt = sorted(
        name or str(pattern)
        for name, pattern, view in _walk()
        if getattr(view, "csrf_exempt", False)
    )
    assert exempt == sorted(CSRF_EXEMPT)


@pytest.mark.parametrize("name", _named_urls(admin=False))
def test_post_without_token_is_refused(world, name):  # noqa: F811
    url, user = _url_and_user(name, world)
    assert _refused_for_csrf(_post(url, user, token=False))


@pytest.mark.parametrize("name", _named_urls(admin=False))
def test_post_with_token_passes_the_check(world, name):  # noqa: F811
    url, user = _url_and_user(name, world)
    assert not _refused_for_csrf(_post(url, user, token=True))


def test_admin_post_without_token_is_refused(owner):
    refused = {}
    for name in _named_urls(admin=True):
        pattern = next(pattern for n, pattern, _ in _walk() if n == name)
        url = reverse(name, kwargs=_any_kwargs(pattern))
        refused[name] = _refused_for_csrf(_post(url, owner, token=False))
    assert refused and all(refused.values()), [name for name, ok in refused.items() if not ok]


@pytest.mark.parametrize("name", sorted(CSRF_EXEMPT))
def test_webhooks_answer_to_their_signature_instead(client, name):
    url = reverse(name, kwargs=_any_kwargs(next(p for n, p, _ in _walk() if n == name)))
    response = Client(enforce_csrf_checks=True).post(url, {"Body": "YES"})
    assert response.status_code == 403 and response.content == b"Invalid signature"
