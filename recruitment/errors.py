"""Error handlers (urls.handler400 and its siblings): they answer whatever the method, unlike the
views. A signed-in user sees the error in their own portal's layout, with its navigation; anyone
else sees the sign-in layout. 400 and 500 render without the request: whatever broke the request
(a bad Host header, a database gone) must not break its error page too."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse

STATIC_ERROR_CONTEXT = {
    "layout": "auth_base.html",
    "home_url": "/",
    "home_label": "Go to the portal",
}


def _portal(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "layout": "auth_base.html",
            "home_url": reverse("recruitment:home"),
            "home_label": "Sign in",
        }
    if user.is_agency_user:
        return {
            "layout": "agency_base.html",
            "home_url": reverse("portal:home"),
            "home_label": "Back to your jobs",
        }
    return {
        "layout": "recruiter_base.html",
        "home_url": reverse("recruitment:home"),
        "home_label": "Back to jobs",
    }


def _in_portal(request, template: str, status: int) -> HttpResponse:
    return render(request, template, _portal(request), status=status)


def _static(template: str, status: int) -> HttpResponse:
    """The page rendered from settings alone: no request, so no context processor and no query."""
    context = STATIC_ERROR_CONTEXT | {"employer_name": settings.EMPLOYER_NAME}
    return HttpResponse(loader.render_to_string(template, context), status=status)


def bad_request(request, exception):
    """A form whose text is over DATA_UPLOAD_MAX_MEMORY_SIZE gets a page saying so, with 413."""
    if isinstance(exception, RequestDataTooBig):
        return render(request, "413.html", status=413)
    return _static("400.html", 400)


def permission_denied(request, exception):
    return _in_portal(request, "403.html", 403)


def page_not_found(request, exception):
    """The same page for a page that does not exist and an object the user may not see."""
    return _in_portal(request, "404.html", 404)


def too_many_requests(request):
    """allauth's rate limits (sign-in, codes, password resets) answer with this
    (urls.handler429)."""
    return _in_portal(request, "429.html", 429)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: most often a form left open past its session, or a stale tab."""
    return _static("403_csrf.html", 403)


def server_error(request):
    return _static("500.html", 500)
