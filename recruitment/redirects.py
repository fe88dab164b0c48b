"""Redirects whose target comes from the request."""

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str, *, field: str = "next") -> str:
    """The URL the request names in `next` (form, else query string) when it stays on this site
    (Django's url_has_allowed_host_and_scheme: no other host, no scheme-relative `//host`, no
    `https:host`, nothing but https from an https page); else `default`, a URL name or path."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)
