"""The SMS consent state machine: every keyword, with case and whitespace variants."""

import pytest

from messaging import consent
from messaging.models import Consent

OPT_OUT = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPT OUT"]
OPT_IN = ["START", "YES", "UNSTOP"]


def variants(word):
    return [
        word,
        word.lower(),
        word.title(),
        f"  {word}  ",
        f"\n{word.lower()}\t",
        f"{word}.",
        f"{word}!",
    ]


@pytest.mark.parametrize("body", [v for word in OPT_OUT for v in variants(word)])
def test_every_opt_out_keyword_alone(body):
    assert consent.classify(body) == "opt_out"


@pytest.mark.parametrize("body", [v for word in OPT_IN for v in variants(word)])
def test_every_opt_in_keyword_alone(body):
    assert consent.classify(body) == "opt_in"


@pytest.mark.parametrize(
    ("body", "meaning"),
    [
        ("STOP texting me", "opt_out"),
        ("stop please", "opt_out"),
        ("Unsubscribe me now", "opt_out"),
        ("opt   out thanks", "opt_out"),
        ("Yes! Tuesday works", "opt_in"),
        ("start again please", "opt_in"),
    ],
)
def test_a_keyword_leading_the_message_counts(body, meaning):
    assert consent.classify(body) == meaning


@pytest.mark.parametrize(
    "body",
    ["Please stop texting me", "don't message me again", "I want to opt out", "Do not contact me"],
)
def test_a_free_text_request_to_stop_goes_to_review(body):
    assert consent.classify(body) == "stop_request"


@pytest.mark.parametrize(
    "body", ["Stopped by the office yesterday", "The weekend", "yesterday", "Can we start at 9?"]
)
def test_ordinary_messages_change_nothing(body):
    assert consent.classify(body) == "message"


@pytest.mark.parametrize(
    ("state", "meaning", "expected"),
    [
        (Consent.INVITED, "opt_in", Consent.OPTED_IN),
        (Consent.OPTED_IN, "opt_out", Consent.OPTED_OUT),
        (Consent.OPTED_OUT, "opt_in", Consent.OPTED_IN),
        (Consent.OPTED_IN, "stop_request", Consent.REVIEW),
        (Consent.OPTED_OUT, "stop_request", Consent.OPTED_OUT),
        (Consent.REVIEW, "opt_out", Consent.OPTED_OUT),
        (Consent.OPTED_IN, "message", Consent.OPTED_IN),
        (Consent.INVITED, "message", Consent.INVITED),
    ],
)
def test_transitions(state, meaning, expected):
    assert consent.next_state(state, meaning) == expected


def test_only_opted_in_may_receive_free_sms():
    assert [s for s in Consent.values if consent.can_send_sms(s)] == [Consent.OPTED_IN]
    assert {s for s in Consent.values if consent.can_invite(s)} == {
        Consent.CONSENTED,
        Consent.INVITED,
    }
