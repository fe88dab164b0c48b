"""Twilio webhooks, with recorded payloads signed by the real RequestValidator."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from twilio.request_validator import RequestValidator

from messaging.models import Consent, ConversationMessage, TextContact
from messaging.selectors import texting as texting_selectors
from messaging.services import seats, texting
from tests.factories import submit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "twilio"
GB = "+447400123456"


def payload(name, **changes):
    return json.loads((FIXTURES / f"{name}.json").read_text()) | changes


def signed_post(client, path, params, token=None):
    signature = RequestValidator(token or settings.TWILIO_AUTH_TOKEN).compute_signature(
        settings.SITE_URL + path, params
    )
    return client.post(path, params, headers={"X-Twilio-Signature": signature})


@pytest.fixture
def application(agency_a_user, assignment_a, owner):
    seats.sender_number_add(actor=owner, number="+447400123999")
    return submit(agency_a_user, assignment_a, phone=GB, text_consent=True).application


@pytest.fixture
def inbound_url():
    return reverse("messaging:twilio-inbound")


def test_signed_inbound_yes_opens_the_conversation(client, application, inbound_url):
    contact = texting.contact_for(application)
    TextContact.objects.filter(pk=contact.pk).update(sms_consent=Consent.INVITED)
    response = signed_post(client, inbound_url, payload("inbound_sms"))
    assert response.status_code == 200 and b"<Response>" in response.content
    assert TextContact.objects.get(phone=GB).sms_consent == Consent.OPTED_IN
    assert ConversationMessage.objects.filter(direction="in", body="YES").count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"From": None},
        {"From": ""},
        {"From": "   "},
        {"From": "whatsapp:"},
        {"From": "anonymous"},
        {"MessageSid": None},
    ],
    ids=["no From", "empty", "blank", "whatsapp, no number", "not a number", "no MessageSid"],
)
def test_a_signed_text_without_a_sender_is_refused_and_attached_nowhere(
    client, application, inbound_url, agency_a_user, assignment_a, changes
):
    submit(agency_a_user, assignment_a, first_name="Nora", email="nora@example.com")  # no phone
    params = {
        key: value
        for key, value in payload("inbound_sms", Body="Hello", **changes).items()
        if value is not None
    }
    assert signed_post(client, inbound_url, params).status_code == 400
    assert not ConversationMessage.objects.exists()
    assert signed_post(client, inbound_url, payload("inbound_sms", Body="Hello")).status_code == 200
    assert ConversationMessage.objects.get().conversation.application == application


def test_a_repeated_delivery_changes_nothing(client, application, inbound_url):
    signed_post(client, inbound_url, payload("inbound_sms", Body="Hello"))
    before = list(ConversationMessage.objects.values_list("pk", "body"))
    assert signed_post(client, inbound_url, payload("inbound_sms", Body="Hello")).status_code == 200
    assert list(ConversationMessage.objects.values_list("pk", "body")) == before


@pytest.mark.parametrize(
    "forge",
    [
        lambda params: ({**params, "Body": "STOP"}, None),  # body changed after signing
        lambda params: (params, "wrong-token"),  # signed with another account's token
    ],
)
def test_forged_requests_get_403_and_change_nothing(client, application, inbound_url, forge):
    params = payload("inbound_sms", Body="Hello")
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(
        settings.SITE_URL + inbound_url, params
    )
    forged, token = forge(params)
    if token:
        signature = RequestValidator(token).compute_signature(
            settings.SITE_URL + inbound_url, forged
        )
    response = client.post(inbound_url, forged, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403 and not ConversationMessage.objects.exists()


def test_unsigned_request_gets_403(client, application, inbound_url):
    assert client.post(inbound_url, payload("inbound_sms")).status_code == 403


def test_webhooks_are_rate_limited_per_address(client, db, inbound_url, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "webhook": ("ip", "2/m")}
    cache.clear()
    codes = [client.post(inbound_url, payload("inbound_sms")).status_code for _ in range(3)]
    assert codes == [403, 403, 429]


def test_whatsapp_inbound_opens_the_24_hour_window(client, application, inbound_url):
    signed_post(client, inbound_url, payload("inbound_whatsapp"))
    contact = TextContact.objects.get(phone=GB)
    assert texting_selectors.whatsapp_window_open(contact)
    assert ConversationMessage.objects.get(direction="in").channel == "whatsapp"


def test_status_callbacks_move_forward_only(
    client, application, owner, recruiter, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(texting, "quiet_hours_check", lambda phone, now=None: None)
    seats.seat_assign(actor=owner, user=recruiter)
    contact = texting.contact_for(application)
    TextContact.objects.filter(pk=contact.pk).update(sms_consent=Consent.OPTED_IN)
    with django_capture_on_commit_callbacks(execute=True):
        message = texting.text_send(
            actor=recruiter, application=application, channel="sms", body="Hi"
        )
    path = reverse("messaging:twilio-status", args=[message.public_id])
    assert signed_post(client, path, payload("status_delivered")).status_code == 204
    message.refresh_from_db()
    assert message.status == "delivered" and message.delivered_at
    signed_post(
        client, path, payload("status_delivered", MessageStatus="sent")
    )  # late, out of order
    signed_post(client, path, payload("status_failed"))
    message.refresh_from_db()
    assert message.status == "delivered"


def test_failed_delivery_shows_the_providers_reason(
    client, application, owner, recruiter, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(texting, "quiet_hours_check", lambda phone, now=None: None)
    seats.seat_assign(actor=owner, user=recruiter)
    TextContact.objects.filter(pk=texting.contact_for(application).pk).update(
        sms_consent=Consent.OPTED_IN
    )
    with django_capture_on_commit_callbacks(execute=True):
        message = texting.text_send(
            actor=recruiter, application=application, channel="sms", body="Hi"
        )
    signed_post(
        client,
        reverse("messaging:twilio-status", args=[message.public_id]),
        payload("status_failed"),
    )
    message.refresh_from_db()
    assert message.status == "failed" and message.failure_reason == "Unknown destination handset"


def test_status_for_an_unknown_message_answers_success(client, db):
    path = reverse("messaging:twilio-status", args=["00000000-0000-0000-0000-000000000000"])
    assert signed_post(client, path, payload("status_delivered")).status_code == 204
