"""Redirects whose target comes from the request."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect


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


def htmx_login_redirect(request: HttpRequest, *, back: bool = True) -> HttpResponseClientRedirect:
    """For an htmx request of someone no longer signed in (a poll of a page whose session ended):
    the whole page goes to the login page (HX-Redirect), where a plain redirect would have htmx
    swap the login page into the fragment. With `back`, the login page leads back to the page the
    request came from (HX-Current-URL), when that is a page of this site."""
    login = resolve_url(settings.LOGIN_URL)
    page = request.htmx.current_url_abs_path if back else None
    stays = page and url_has_allowed_host_and_scheme(
        page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not stays or not page.startswith("/"):
        return HttpResponseClientRedirect(login)
    query = QueryDict(mutable=True)
    query["next"] = page
    return HttpResponseClientRedirect(f"{login}?{query.urlencode(safe='/')}")
