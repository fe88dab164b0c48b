"""Inbound texts (messaging.texting_inbound.text_receive): what is filed, where (the conversation waiting
for the answer), and that two texts of one number arriving together are applied in turn."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from candidates.models import Application
from messaging import tasks
from messaging.models import Consent, ConversationMessage, SenderNumber, TextContact
from messaging.services import seats, texting, texting_inbound
from tests.factories import AssignmentFactory, JobFactory, submit

Status = ConversationMessage.Status
GB, OTHER, SENDER = "+447400123456", "+447400654321", "+447400123999"
US_SENDER = "+12015550199"

pytestmark = pytest.mark.usefixtures("provider", "daytime")


def _opted_in(application):
    contact = texting.contact_for(application)
    contact.sms_consent = Consent.OPTED_IN
    contact.save()
    return contact


def _sent(message):
    tasks.text_message_send.apply(kwargs={"message_id": message.pk})
    message.refresh_from_db()
    assert message.status == Status.SENT
    return message


def _receive(body, sid, *, phone=GB, to=SENDER, channel="sms"):
    prefix = "whatsapp:" if channel == "whatsapp" else ""
    return texting_inbound.text_receive(
        sid=sid, from_number=prefix + phone, to_number=prefix + to, body=body
    )


# What is filed ---------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_an_inbound_text_is_filed_as_received_from_the_candidate_to_our_number(
    application, channel
):
    message = _receive("Hello", "SMin1", channel=channel)
    assert (message.direction, message.status, message.channel) == ("in", Status.RECEIVED, channel)
    assert (message.from_number, message.to_number, message.body) == (GB, SENDER, "Hello")
    assert message.conversation.application == application


def test_an_inbound_text_without_the_providers_id_is_refused(application):
    with pytest.raises(ValidationError) as refused:
        _receive("Hello", " ")
    assert refused.value.messages == ["An inbound text needs the provider's message id."]
    with pytest.raises(ValidationError) as refused:
        texting_inbound.text_receive(
            sid="SMin2", from_number="whatsapp:", to_number=SENDER, body="Hi"
        )
    assert refused.value.messages == ["“whatsapp:” is not a sender's phone number."]
    assert not ConversationMessage.objects.exists()
    assert _receive("Hello", "SMin3")  # the same text, with its id and sender, is filed


def test_a_text_from_a_number_no_candidate_has_is_filed_nowhere(application):
    assert _receive("Who is this?", "SMin4", phone=OTHER) is None
    assert not ConversationMessage.objects.exists()
    assert _receive("It's Ada", "SMin5").conversation.application == application


def test_a_candidate_who_gave_no_consent_and_writes_first_is_not_thereby_consented(
    agency_a_user, assignment_a, texter
):
    application = submit(agency_a_user, assignment_a, phone=GB, text_consent=False).application
    _receive("Hello, is the job still open?", "SMin6")
    assert TextContact.objects.get(phone=GB).sms_consent == Consent.NONE
    with pytest.raises(ValidationError, match="cannot be sent"):
        texting.text_invite(actor=texter, application=application)


# Where it is filed -----------------------------------------------------------------------------


@pytest.fixture
def grace(agency_a_user, assignment_a):
    return submit(
        agency_a_user,
        assignment_a,
        first_name="Grace",
        email="grace@example.com",
        phone=OTHER,
        text_consent=True,
    ).application


def test_a_reply_goes_to_the_candidates_own_conversation_not_to_the_last_one_texted(
    application, grace, texter
):
    _opted_in(application), _opted_in(grace)
    _sent(texting.text_send(actor=texter, application=application, channel="sms", body="Ada?"))
    _sent(texting.text_send(actor=texter, application=grace, channel="sms", body="Grace?"))
    assert _receive("Ada here", "SMin7").conversation.application == application


def test_a_whatsapp_reply_goes_to_the_conversation_of_the_number_it_answers(
    application, texter, owner, agency_a_user
):
    other_job = AssignmentFactory(job=JobFactory(title="Data Analyst"), agency=application.agency)
    later = submit(agency_a_user, other_job, phone=GB, text_consent=True).application
    _opted_in(application)
    TextContact.objects.filter(phone=GB).update(whatsapp_last_inbound_at=timezone.now())
    _sent(texting.text_send(actor=texter, application=application, channel="whatsapp", body="A"))
    SenderNumber.objects.update(is_active=False)
    TextContact.objects.filter(phone=GB).update(sender=None)
    seats.sender_number_add(actor=owner, number=US_SENDER)
    _sent(texting.text_send(actor=texter, application=later, channel="whatsapp", body="B"))
    reply = _receive("About A", "SMwa1", channel="whatsapp", to=SENDER)
    assert reply.conversation.application == application
    assert (
        _receive("About B", "SMwa2", channel="whatsapp", to=US_SENDER).conversation.application
        == later
    )


def test_without_any_text_a_reply_goes_to_the_application_made_last(application, job):
    """Applications are ordered by when they were made: one entered afterwards with its earlier
    date (a direct application typed in later) is not the newest."""
    entered_later = Application.objects.create(
        candidate=application.candidate,
        job=JobFactory(title="Data Analyst"),
        created_at=application.created_at - timedelta(days=30),
    )
    assert entered_later.pk > application.pk
    assert _receive("Hello", "SMin8").conversation.application == application


def test_of_two_applications_made_at_the_same_moment_a_reply_goes_to_the_one_entered_last(
    application,
):
    same_moment = Application.objects.create(
        candidate=application.candidate,
        job=JobFactory(title="Data Analyst"),
        created_at=application.created_at,
    )
    assert _receive("Hello", "SMin9").conversation.application == same_moment


# Two texts of one number at once ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_stop_request_arriving_while_a_stop_is_applied_does_not_undo_it(
    agency_a_user, assignment_a, recruiter, owner
):
    """The contact row is locked while a text is applied: the second text waits and then starts
    from the opt-out, where a stop request changes nothing (it would otherwise put the number
    under review, and a reviewer's "not a stop" would open texting again)."""
    seats.sender_number_add(actor=owner, number=SENDER)
    application = submit(agency_a_user, assignment_a, phone=GB, text_consent=True).application
    texting.contact_for(application), texting.conversation_for(application)
    stop_applied, errors = threading.Event(), []

    def stop_then_wait_before_committing():
        try:
            with transaction.atomic():
                _receive("STOP", "SMrace1")
                stop_applied.set()
                time.sleep(2)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(repr(exc))
            stop_applied.set()
        finally:
            connection.close()

    first = threading.Thread(target=stop_then_wait_before_committing)
    first.start()
    assert stop_applied.wait(timeout=30)
    _receive("Please stop texting me", "SMrace2")
    first.join(timeout=30)
    assert errors == []
    assert TextContact.objects.get(phone=GB).sms_consent == Consent.OPTED_OUT
    changes = ConversationMessage.objects.filter(direction="event").values_list("body", flat=True)
    assert [change.split(" (")[0] for change in changes.order_by("id")] == [
        "SMS consent: Consented at submission → Opted out"
    ]
