"""WhatsApp outside the 24-hour window: which invitation template stands for the candidate, the
text held behind it, and what the candidate's answer releases (messaging.texting)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from messaging import consent, tasks
from messaging.models import Consent, ConversationMessage, TextContact
from messaging.services import texting, texting_inbound
from tests.factories import submit

Status = ConversationMessage.Status
GB, OTHER, SENDER = "+447400123456", "+447400654321", "+447400123999"

pytestmark = pytest.mark.usefixtures("provider", "daytime")


def _candidate(user, assignment, phone, **fields):
    """Consented at submission, and wrote on WhatsApp two days ago: the window is closed."""
    application = submit(user, assignment, phone=phone, text_consent=True, **fields).application
    contact = texting.contact_for(application)
    TextContact.objects.filter(pk=contact.pk).update(
        whatsapp_last_inbound_at=timezone.now() - timedelta(days=2)
    )
    return application


@pytest.fixture
def application(agency_a_user, assignment_a, texter):
    return _candidate(agency_a_user, assignment_a, GB)


@pytest.fixture
def grace(agency_a_user, assignment_a, texter):
    return _candidate(
        agency_a_user, assignment_a, OTHER, first_name="Grace", email="grace@example.com"
    )


def _whatsapp(application, texter, body, **options):
    return texting.text_send(
        actor=texter, application=application, channel="whatsapp", body=body, **options
    )


def _answer(phone, sid, body="Hi"):
    return texting_inbound.text_receive(
        sid=sid, from_number=f"whatsapp:{phone}", to_number=f"whatsapp:{SENDER}", body=body
    )


def _templates(phone):
    return ConversationMessage.objects.filter(to_number=phone, template=True)


# The template ----------------------------------------------------------------------------------


def test_the_template_names_the_employer_and_the_job_and_goes_in_the_senders_name(
    application, texter
):
    _whatsapp(application, texter, "Free on Monday?")
    template = _templates(GB).get()
    assert template.body == (
        "Northwind Talent would like to reach you on behalf of Northwind Talent about Senior "
        "Backend Engineer. Since the team can only reach you within a day of your last message, "
        "please reply to continue receiving updates. Ignore to no longer receive updates."
    )
    assert template.author == texter and template.status == Status.QUEUED


def test_a_template_queued_before_the_candidate_opted_out_is_not_sent(
    application, texter, provider, django_capture_on_commit_callbacks
):
    _whatsapp(application, texter, "Free on Monday?")
    with django_capture_on_commit_callbacks(execute=True):
        texting_inbound.text_receive(sid="SMstop", from_number=GB, to_number=SENDER, body="STOP")
    template = _templates(GB).get()
    tasks.text_message_send.apply(kwargs={"message_id": template.pk})
    template.refresh_from_db()
    assert template.status == Status.FAILED and template.failure_reason == "Not sent: opted out."
    assert [text.body for text in provider.outbox] == [  # only the confirmation of the STOP
        consent.OPT_OUT_CONFIRMATION.format(company="Northwind Talent")
    ]


def test_only_the_template_may_go_while_one_waits_and_the_sender_is_told_since_when(
    application, texter
):
    _whatsapp(application, texter, "First", keep_text=False)
    sent_at = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=3)
    _templates(GB).update(created_at=sent_at)
    with pytest.raises(ValidationError) as refused:
        _whatsapp(application, texter, "Second", keep_text=False)
    assert refused.value.messages == [  # the site's time zone is UTC
        f"The WhatsApp invitation sent {sent_at:%b %-d, %H:%M} is still waiting for an answer."
    ]
    assert _templates(GB).count() == 1


def test_another_candidates_template_does_not_stand_in_for_this_ones(application, grace, texter):
    _whatsapp(grace, texter, "For Grace")
    _whatsapp(application, texter, "For Ada")
    assert (_templates(GB).count(), _templates(OTHER).count()) == (1, 1)


def test_a_template_that_failed_does_not_stand_in_the_next_text_brings_a_new_one(
    application, texter
):
    _whatsapp(application, texter, "First")
    _templates(GB).update(status=Status.FAILED, failure_reason="Invalid 'To' number")
    _whatsapp(application, texter, "Second")
    assert list(_templates(GB).order_by("id").values_list("status", flat=True)) == [
        Status.FAILED,
        Status.QUEUED,
    ]


def test_a_template_unanswered_for_a_day_is_sent_again_with_the_next_text(application, texter):
    _whatsapp(application, texter, "First")
    _templates(GB).update(created_at=timezone.now() - timedelta(hours=24, minutes=1))
    _whatsapp(application, texter, "Second")
    assert _templates(GB).count() == 2
    _whatsapp(application, texter, "Third")  # the new one, sent just now, stands
    assert _templates(GB).count() == 2


def test_a_text_sent_while_the_window_was_open_is_no_invitation(application, texter):
    """The candidate wrote 23 hours ago and was answered; an hour later the window is closed,
    and the next text needs the template."""
    contact = TextContact.objects.get(phone=GB)
    wrote = timezone.now() - timedelta(hours=23)
    TextContact.objects.filter(pk=contact.pk).update(whatsapp_last_inbound_at=wrote)
    answered = _whatsapp(application, texter, "Thanks, see you Monday")
    assert answered.status == Status.QUEUED and not answered.template
    TextContact.objects.filter(pk=contact.pk).update(
        whatsapp_last_inbound_at=wrote - timedelta(hours=2)
    )
    held = _whatsapp(application, texter, "One more thing")
    assert held.status == Status.HELD and _templates(GB).count() == 1


# The held text and its release ----------------------------------------------------------------


def test_the_held_text_is_an_outgoing_text_from_the_candidates_sender_number(
    application, texter, provider, django_capture_on_commit_callbacks
):
    held = _whatsapp(application, texter, "Can you do Monday?")
    assert (held.direction, held.from_number, held.to_number) == ("out", SENDER, GB)
    with django_capture_on_commit_callbacks(execute=True):
        _answer(GB, "SMwa1")
    [sent] = provider.outbox
    assert (sent.channel, sent.from_number, sent.to_number, sent.body) == (
        "whatsapp",
        SENDER,
        GB,
        "Can you do Monday?",
    )


def test_an_answer_releases_only_the_texts_held_for_that_candidate(
    application, grace, texter, provider, django_capture_on_commit_callbacks
):
    _whatsapp(application, texter, "For Ada")
    _whatsapp(grace, texter, "For Grace")
    with django_capture_on_commit_callbacks(execute=True):
        _answer(GB, "SMwa2")
    assert [text.body for text in provider.outbox] == ["For Ada"]
    assert ConversationMessage.objects.get(body="For Grace").status == Status.HELD


def test_opting_out_fails_the_held_texts_and_leaves_the_delivered_ones_delivered(
    application, texter
):
    delivered = _whatsapp(application, texter, "Delivered earlier")
    ConversationMessage.objects.filter(pk=delivered.pk).update(status=Status.DELIVERED)
    held = _whatsapp(application, texter, "Held")
    texting_inbound.text_receive(sid="SMstop2", from_number=GB, to_number=SENDER, body="STOP")
    delivered.refresh_from_db(), held.refresh_from_db()
    assert (held.status, held.failure_reason) == (
        Status.FAILED,
        "Not sent: the candidate opted out.",
    )
    assert delivered.status == Status.DELIVERED


def test_a_week_old_delivered_text_stays_delivered_when_the_candidate_writes(application, texter):
    delivered = _whatsapp(application, texter, "Delivered a week ago")
    ConversationMessage.objects.filter(pk=delivered.pk).update(
        status=Status.DELIVERED, created_at=timezone.now() - timedelta(days=8)
    )
    stale = _whatsapp(application, texter, "Held a week")
    ConversationMessage.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    _answer(GB, "SMwa3")
    delivered.refresh_from_db(), stale.refresh_from_db()
    assert delivered.status == Status.DELIVERED
    assert stale.status == Status.FAILED  # the held one is stale news


def test_while_a_stop_request_waits_for_review_the_held_texts_stay_held(
    application, texter, provider, django_capture_on_commit_callbacks
):
    held = _whatsapp(application, texter, "Held")
    with django_capture_on_commit_callbacks(execute=True):
        _answer(GB, "SMwa4", body="Please stop texting me")
    assert TextContact.objects.get(phone=GB).sms_consent == Consent.REVIEW
    held.refresh_from_db()
    assert held.status == Status.HELD and not provider.outbox
    texting_inbound.review_resolve(actor=texter, application=application, opt_out=False)
    with django_capture_on_commit_callbacks(execute=True):
        _answer(GB, "SMwa5")
    assert [text.body for text in provider.outbox] == ["Held"]
