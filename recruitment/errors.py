"""Error handlers (urls.handler400): they answer whatever the method, unlike the views."""

from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.views import defaults


def bad_request(request, exception):
    """A form whose text is over DATA_UPLOAD_MAX_MEMORY_SIZE gets a page saying so, with 413."""
    if isinstance(exception, RequestDataTooBig):
        return render(request, "413.html", status=413)
    return defaults.bad_request(request, exception)
