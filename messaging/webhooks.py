"""Twilio's callbacks: inbound texts and delivery reports. Each request must carry a valid
X-Twilio-Signature for our public URL, or it is refused with 403."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from messaging.services import texting_delivery, texting_inbound
from recruitment.ratelimits import over_limit

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def signed_by_twilio(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if over_limit(request, "webhook"):
            return HttpResponse("Too many requests", status=429)
        url = (
            settings.SITE_URL + request.get_full_path()
        )  # the address Twilio signed, behind any proxy
        signature = request.headers.get("X-Twilio-Signature", "")
        token = settings.TWILIO_AUTH_TOKEN
        if not token or not RequestValidator(token).validate(url, request.POST.dict(), signature):
            return HttpResponseForbidden("Invalid signature")
        return view(request, *args, **kwargs)

    return wrapped


@csrf_exempt
@login_not_required
@require_POST
@signed_by_twilio
def twilio_inbound(request):
    """A text with no sender (or no message id) is answered 400 and kept nowhere."""
    try:
        texting_inbound.text_receive(
            sid=request.POST.get("MessageSid", ""),
            from_number=request.POST.get("From", ""),
            to_number=request.POST.get("To", ""),
            body=request.POST.get("Body", ""),
        )
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain")
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


@csrf_exempt
@login_not_required
@require_POST
@signed_by_twilio
def twilio_status(request, public_id):
    """Unknown ids answer 200 too, so Twilio stops retrying (healthchecks does the same)."""
    texting_delivery.text_status_update(
        public_id=public_id,
        provider_status=request.POST.get("MessageStatus", ""),
        error=request.POST.get("ErrorMessage", "") or request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)
