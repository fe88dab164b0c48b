"""The SMS consent rules, as pure functions: what an inbound text means and where it leads.

Opt-out follows the strictest of US and EU practice: a listed keyword alone or leading the
message opts out at once; a free-text request to stop is flagged for a human and blocks sending.
"""

import re

from messaging.models import Consent

OPT_OUT_WORDS = (
    "STOPALL",
    "STOP",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "REVOKE",
    "OPT OUT",
    "OPTOUT",
)
OPT_IN_WORDS = ("START", "YES", "UNSTOP")
STOP_REQUEST = re.compile(
    r"\b(stop|don'?t|do not|no more|quit|leave me alone|remove me|unsubscribe)\b.{0,40}"
    r"\b(text|texting|message|messaging|contact|sms|writing)|\bopt(ing)? ?out\b",
    re.IGNORECASE,
)

OPT_OUT_CONFIRMATION = (
    "You will no longer receive texts from {company}. Reply START to receive them again."
)
OPT_IN_CONFIRMATION = (
    "Thanks! {company} can now text you about your application. Reply STOP to opt out."
)


def _leading_keyword(body: str, keywords) -> bool:
    words = re.sub(r"[^\w\s]", " ", body).upper().split()
    text = " ".join(words)
    return any(text == word or text.startswith(word + " ") for word in keywords)


def classify(body: str) -> str:
    """'opt_out', 'opt_in', 'stop_request' (free text asking to stop) or 'message'."""
    if _leading_keyword(body, OPT_OUT_WORDS):
        return "opt_out"
    if _leading_keyword(body, OPT_IN_WORDS):
        return "opt_in"
    if STOP_REQUEST.search(body):
        return "stop_request"
    return "message"


def next_state(state: str, meaning: str) -> str:
    """The SMS consent after an inbound text of the given meaning."""
    if meaning == "opt_out":
        return Consent.OPTED_OUT
    if meaning == "opt_in":
        return Consent.OPTED_IN
    if meaning == "stop_request" and state != Consent.OPTED_OUT:
        return Consent.REVIEW
    return state


def can_send_sms(state: str) -> bool:
    return state == Consent.OPTED_IN


def can_invite(state: str) -> bool:
    """An invitation needs the consent given at submission; re-inviting an unanswered one is fine."""
    return state in (Consent.CONSENTED, Consent.INVITED)
