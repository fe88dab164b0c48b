"""The project's URLs, its error handlers and one view that fails, for the 500 page's test."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.http import require_GET

from recruitment.urls import handler400, handler403, handler404, handler500  # noqa: F401
from recruitment.urls import urlpatterns as project_urlpatterns


@login_not_required
@require_GET
def failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("test-failure/", failing_view), *project_urlpatterns]
