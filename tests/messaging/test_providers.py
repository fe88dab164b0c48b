"""TwilioProvider against recorded Twilio API responses, through the twilio library's own HTTP
client hook: the library builds the real request and parses the real answer; nothing of ours is
mocked and nothing leaves the machine."""

import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from twilio.http import HttpClient
from twilio.http.request import Request
from twilio.http.response import Response

from messaging import providers, tasks
from messaging.models import ConversationMessage
from messaging.services import seats, texting
from tests.factories import opt_in, submit

RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "twilio" / "api"
ACCOUNT_SID = "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
TEMPLATE_SID = "HXb5b62575e6e4ff6129ad7c8efe1f983e"
MESSAGES_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
CALLBACK = "https://portal.example.com/webhooks/twilio/status/6f1c/"
GB, SENDER = "+447400123456", "+447400123999"
Status = ConversationMessage.Status


def recorded(name: str) -> Response:
    """A Twilio answer as the library's own HTTP client would hand it over."""
    answer = json.loads((RECORDED / f"{name}.json").read_text())
    body = answer["body"] if isinstance(answer["body"], str) else json.dumps(answer["body"])
    return Response(answer["status"], body, answer["headers"])


class RecordedTwilio(HttpClient):
    """Answers each request with the next recorded response (or raises the next error, as the
    real client does when it cannot connect), and keeps the requests the library made."""

    def __init__(self, *answers):
        super().__init__(logging.getLogger("twilio.http_client"), is_async=False)
        self.answers = list(answers)
        self.requests: list[Request] = []

    def request(self, method, url, params=None, data=None, headers=None, auth=None, **kwargs):
        self.requests.append(Request(method, url, auth, params, data, headers))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture(autouse=True)
def twilio_settings(settings):
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_WHATSAPP_TEMPLATE_SID = TEMPLATE_SID


def send(http, **text):
    fields = {
        "channel": "sms",
        "from_number": SENDER,
        "to_number": GB,
        "body": "Hello Ada, are you free for a call on Tuesday?",
        "status_callback": CALLBACK,
    }
    return providers.TwilioProvider(http_client=http).send(
        providers.OutboundText(**(fields | text))
    )


def test_an_sms_is_posted_to_the_accounts_messages_and_returns_twilios_sid(settings):
    http = RecordedTwilio(recorded("message_created_sms"))
    assert send(http) == "SM3f1c6a2b9d8e4f7a6b5c4d3e2f1a0b9c"
    [request] = http.requests
    assert (request.method, request.url) == ("POST", MESSAGES_URL)
    assert urlsplit(request.url).path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request.auth == (ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
    assert request.data == {
        "From": SENDER,
        "To": GB,
        "Body": "Hello Ada, are you free for a call on Tuesday?",
        "StatusCallback": CALLBACK,
    }


def test_whatsapp_free_text_goes_between_whatsapp_addresses_with_its_body():
    http = RecordedTwilio(recorded("message_created_whatsapp_template"))
    send(http, channel="whatsapp", body="Thanks for your answer")
    [request] = http.requests
    assert request.data == {
        "From": f"whatsapp:{SENDER}",
        "To": f"whatsapp:{GB}",
        "Body": "Thanks for your answer",
        "StatusCallback": CALLBACK,
    }


def test_the_whatsapp_template_is_sent_as_content_sid_with_its_variables_and_no_body():
    http = RecordedTwilio(recorded("message_created_whatsapp_template"))
    sid = send(
        http,
        channel="whatsapp",
        body="What the recruiter sees in the conversation",
        template_variables={"1": "Northwind Talent", "2": "Senior Backend Engineer"},
    )
    assert sid == "MM8e7d6c5b4a39281706f5e4d3c2b1a098"
    [request] = http.requests
    assert request.data == {
        "From": f"whatsapp:{SENDER}",
        "To": f"whatsapp:{GB}",
        "ContentSid": TEMPLATE_SID,
        "ContentVariables": json.dumps({"1": "Northwind Talent", "2": "Senior Backend Engineer"}),
        "StatusCallback": CALLBACK,
    }
    assert "Body" not in request.data


@pytest.mark.parametrize(
    "answer, reason",
    [
        (recorded("error_429_too_many_requests"), "Too Many Requests"),
        (recorded("error_500_internal"), "An internal server error has occurred"),
        # the load balancer's HTML page, not Twilio's JSON
        (recorded("error_503_unavailable"), "Unable to create record"),
        (requests.exceptions.ConnectionError("Max retries exceeded"), "Max retries exceeded"),
        (requests.exceptions.ReadTimeout("Read timed out."), "Read timed out."),
    ],
    ids=["429", "500", "503", "connection-refused", "read-timeout"],
)
def test_rate_limits_server_errors_and_lost_connections_are_transient(answer, reason):
    with pytest.raises(providers.TransientError) as unavailable:
        send(RecordedTwilio(answer))
    assert reason in str(unavailable.value)  # shown as the reason if the retries run out
    # the same text goes through once Twilio answers again
    assert send(RecordedTwilio(recorded("message_created_sms"))).startswith("SM")


@pytest.mark.parametrize(
    "answer, code, reason",
    [
        ("error_21211_invalid_to", 21211, "Invalid 'To' Phone Number"),
        ("error_21610_unsubscribed", 21610, "unsubscribed recipient"),
    ],
)
def test_a_refused_text_is_permanent_and_names_twilios_code(answer, code, reason):
    with pytest.raises(providers.PermanentError) as refused:
        send(RecordedTwilio(recorded(answer)))
    assert f"(Twilio error {code})" in str(refused.value) and reason in str(refused.value)
    assert not isinstance(refused.value, providers.TransientError)


# Twilio's newer error form (RFC 9457 problem details), which the library raises as
# TwilioServiceException rather than TwilioRestException: classified by its status alike.


def test_a_refusal_in_problem_details_form_is_permanent_and_names_twilios_code():
    with pytest.raises(providers.PermanentError) as refused:
        send(RecordedTwilio(recorded("error_21211_problem_details")))
    assert str(refused.value) == (
        "Invalid 'To' Phone Number: The 'To' number +44740012345X is not a valid phone number."
        " (Twilio error 21211)"
    )


@pytest.mark.parametrize(
    "answer, reason",
    [
        (
            "error_429_problem_details",
            "Too Many Requests: The account has sent too many requests in a short time.",
        ),
        ("error_503_problem_details", "Service Unavailable"),  # no detail: the title alone
    ],
)
def test_rate_limits_and_outages_in_problem_details_form_are_transient(answer, reason):
    with pytest.raises(providers.TransientError) as unavailable:
        send(RecordedTwilio(recorded(answer)))
    assert str(unavailable.value) == reason


# The whole send, from the queued text to the row, through the real provider --------------------


class RecordedTwilioProvider(providers.TwilioProvider):
    """The production provider, as settings.TEXTING_PROVIDER names it, on a recorded client."""

    http: RecordedTwilio

    def __init__(self):
        super().__init__(http_client=self.http)


@pytest.fixture
def twilio(settings):
    settings.TEXTING_PROVIDER = f"{__name__}.RecordedTwilioProvider"

    def answers(*responses):
        RecordedTwilioProvider.http = RecordedTwilio(*responses)
        return RecordedTwilioProvider.http

    return answers


@pytest.fixture
def queued_text(agency_a_user, assignment_a, recruiter, owner, monkeypatch):
    monkeypatch.setattr(texting, "quiet_hours_check", lambda phone, now=None: None)
    seats.sender_number_add(actor=owner, number=SENDER)
    seats.seat_assign(actor=owner, user=recruiter)
    application = submit(agency_a_user, assignment_a, phone=GB, text_consent=True).application
    opt_in(application, actor=recruiter)
    return texting.text_send(actor=recruiter, application=application, channel="sms", body="Hi")


@pytest.fixture
def retries_run_inline():
    app = tasks.text_message_send.app
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def test_a_429_is_retried_and_the_text_is_sent_once(twilio, queued_text, retries_run_inline):
    http = twilio(recorded("error_429_too_many_requests"), recorded("message_created_sms"))
    tasks.text_message_send.apply(kwargs={"message_id": queued_text.pk})
    queued_text.refresh_from_db()
    assert queued_text.status == Status.SENT
    assert queued_text.provider_sid == "SM3f1c6a2b9d8e4f7a6b5c4d3e2f1a0b9c"
    assert len(http.requests) == 2 and http.requests[0].data == http.requests[1].data
    callback = http.requests[0].data["StatusCallback"]
    assert callback.endswith(f"/webhooks/twilio/status/{queued_text.public_id}/")


def test_an_invalid_number_fails_at_once_with_twilios_reason(twilio, queued_text):
    http = twilio(recorded("error_21211_invalid_to"))
    tasks.text_message_send.apply(kwargs={"message_id": queued_text.pk})
    queued_text.refresh_from_db()
    assert queued_text.status == Status.FAILED and len(http.requests) == 1
    assert "Twilio error 21211" in queued_text.failure_reason


def test_a_problem_details_refusal_fails_the_text_at_once(twilio, queued_text):
    http = twilio(recorded("error_21211_problem_details"))
    tasks.text_message_send.apply(kwargs={"message_id": queued_text.pk})
    queued_text.refresh_from_db()
    assert queued_text.status == Status.FAILED and len(http.requests) == 1
    assert "Twilio error 21211" in queued_text.failure_reason
