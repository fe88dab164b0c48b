"""The texting console's delivery buttons: a missing or malformed text id changes nothing and
answers like a valid one, never 500 (found by tests/test_fuzz.py)."""

import pytest
from django.urls import reverse

from messaging import texting
from messaging.consent import Consent
from messaging.models import ConversationMessage
from tests.factories import submit

Status = ConversationMessage.Status


@pytest.fixture
def sent_text(owner, agency_a_user, assignment_a, settings):
    settings.TEXTING_PROVIDER = "messaging.providers.ConsoleProvider"
    texting.seat_assign(actor=owner, user=owner)
    texting.sender_number_add(actor=owner, number="+447400123999")
    application = submit(agency_a_user, assignment_a, phone="+447400123456").application
    contact = texting.contact_for(application)
    contact.sms_consent = Consent.OPTED_IN
    contact.save()
    text = texting.text_send(
        actor=owner, application=application, channel="sms", body="Hi", night="send"
    )
    ConversationMessage.objects.filter(pk=text.pk).update(status=Status.SENT)
    return text


@pytest.mark.parametrize("data", [{}, {"message": "x"}, {"message": "a\x00b"}], ids=repr)
def test_a_missing_or_malformed_id_marks_nothing(client_of, owner, sent_text, data):
    url = reverse("messaging:texting-console")
    assert client_of(owner).post(url, {"delivery": "delivered", **data}).status_code == 302
    assert ConversationMessage.objects.get(pk=sent_text.pk).status == Status.SENT


def test_the_text_id_marks_it_delivered(client_of, owner, sent_text):
    """The positive twin."""
    data = {"delivery": "delivered", "message": str(sent_text.public_id)}
    assert client_of(owner).post(reverse("messaging:texting-console"), data).status_code == 302
    assert ConversationMessage.objects.get(pk=sent_text.pk).status == Status.DELIVERED
