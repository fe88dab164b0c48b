"""Redirects whose target comes from the request."""

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str, *, field: str = "next") -> str:
    """The URL the request names in `next` (form, else query string) when it stays on this site
    (Django's url_has_allowed_host_and_scheme: no other host, no scheme-relative `//host`, no
    `https:host`, nothing but https from an https page) and names a page, a path from the root or
    a whole URL (a bare word would be taken for a URL name); else `default`, a URL name or path."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    stays = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if stays and (target.startswith("/") or urlsplit(target).netloc):
        return target
    return resolve_url(default)
