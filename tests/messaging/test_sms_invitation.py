"""The SMS invitation (messaging.texting.text_invite), the second step of the double opt-in: what
the candidate reads, what the conversation and the audit log keep, and when it cannot go."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from messaging import tasks
from messaging.models import Consent, ConversationMessage, TextContact
from messaging.services import texting
from recruitment.models import AuditEvent

GB, SENDER = "+447400123456", "+447400123999"

pytestmark = pytest.mark.usefixtures("provider", "daytime")


def _changes():
    events = ConversationMessage.objects.filter(direction="event").order_by("id")
    return list(events.values_list("body", flat=True))


def test_the_candidate_is_asked_by_name_about_the_job(application, texter, provider):
    invitation = texting.text_invite(actor=texter, application=application)
    tasks.text_message_send.apply(kwargs={"message_id": invitation.pk})
    [sent] = provider.outbox
    assert (sent.channel, sent.from_number, sent.to_number) == ("sms", SENDER, GB)
    assert sent.body == (
        "Hi Ada, this is Northwind Talent about your application for Senior Backend Engineer. "
        "May we text you here? Reply YES to agree or STOP to opt out."
    )


def test_the_conversation_shows_the_invitation_sent_then_re_sent(application, texter):
    texting.text_invite(actor=texter, application=application)
    texting.text_invite(actor=texter, application=application)
    assert _changes() == [
        "SMS consent: Consented at submission → Invitation sent (invitation sent)",
        "SMS consent: Invitation sent → Invitation sent (invitation re-sent)",
    ]


def test_the_invitation_is_audited_in_the_senders_name(application, texter):
    texting.text_invite(actor=texter, application=application)
    event = AuditEvent.objects.get(action="consent.changed")
    assert event.actor == texter and event.data == {"state": Consent.INVITED}


def test_the_page_says_when_the_candidate_was_invited(client_of, application, texter):
    before = timezone.now()
    texting.text_invite(actor=texter, application=application)
    assert before <= TextContact.objects.get(phone=GB).invited_at <= timezone.now()
    page = client_of(texter).get(
        reverse("messaging:application-texts", args=[application.public_id])
    )
    assert "Invited 0\xa0minutes ago, no answer yet." in page.content.decode()


def test_an_invitation_to_a_candidate_who_opted_out_is_refused_with_why(application, texter):
    contact = texting.contact_for(application)
    contact.sms_consent = Consent.OPTED_OUT
    contact.save()
    with pytest.raises(ValidationError) as refused:
        texting.text_invite(actor=texter, application=application)
    assert refused.value.messages == ["An invitation cannot be sent: opted out."]
    contact.sms_consent = Consent.CONSENTED  # the consent given at submission lets it go
    contact.save()
    assert texting.text_invite(actor=texter, application=application).invitation
