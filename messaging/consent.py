"""The SMS consent rules, as pure functions: what an inbound text means and where it leads.

Opt-out follows the strictest of US and EU practice (SPEC):
- a listed keyword alone or leading the message opts out at once, whatever follows ("Stop by at
  3?" opts out too; START undoes it, and the confirmation says so);
- a free-text request to stop, anywhere in the message ("Yes, but please stop texting me"), is
  flagged for a human and blocks sending until they decide; such a message is never an opt-in;
- only the invitation's YES, START or UNSTOP (alone or leading) opts in, or a bare yes in German,
  French, Spanish or Dutch ("Ja", "Oui", "Sí"). Consent must be unambiguous, so "Yeah", "OK" or
  "Oui mais après 18h" change nothing: the recruiter reads them and may invite again.

Messages are compared as phones send them: curly apostrophes, Unicode dashes and spaces,
full-width letters, accents, emoji and held-down keys ("STOPPP") are normalised first.
"""

import re
import unicodedata

from messaging.models import Consent

OPT_OUT_WORDS = (
    "STOP",
    "STOPALL",
    "STOP ALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "REVOKE",
    "OPT OUT",
    "OPTOUT",
    "REMOVE",
    "ARRET",  # Canadian French, recognised by North American carriers
    "ARRETEZ",
    "STOPP",  # German
    "ABMELDEN",
    "STOPPEN",  # Dutch
    "AFMELDEN",
    "BAJA",  # Spanish ("dar de baja")
)
OPT_IN_WORDS = ("START", "YES", "UNSTOP")
BARE_YES = ("ja", "jawohl", "oui", "si", "ja graag")  # the whole message, after normalising

# Free-text requests to stop, matched on the normalised words (lower case, no accents, single
# spaces, apostrophes kept inside words). One pattern per way of asking, so each can be tested.
_CONTACT = r"(?:te?xt|txt|messag|msg|sms|contact|writ|email|call|bother|spam|send)\w*"
STOP_REQUESTS = tuple(
    re.compile(pattern)
    for pattern in (
        # The unmistakable keywords anywhere, not only leading.
        r"\b(?:stop|stopall|stopp|unsubscribe|optout|opt out|opting out|revoke)\b",
        # English
        rf"\b(?:don'?t|do not|never) (?:ever )?{_CONTACT}",
        rf"\b(?:quit|cease|end|cancel) (?:\w+ ){{0,2}}?{_CONTACT}",
        r"\bno more (?:te?xts?|txts?|messages?|msgs?|sms|emails?|calls?|contact)\b",
        r"\b(?:no longer|don'?t|do not|not) (?:want|wish|like|need)\b(?: \w+){0,5}? "
        r"(?:te?xts?|txts?|messages?|msgs?|sms|contact(?:ed)?)\b",
        r"\bleave me alone\b",
        r"\b(?:remove|delete|erase) (?:me|my (?:number|details|data|phone|contact)|this number)\b",
        r"\btake (?:me|my number|this number) off\b",
        r"\bwrong (?:number|person)\b",
        # German
        r"\bkeine (?:\w+ )?(?:sms|nachricht\w*|texte?|whatsapps?|mitteilungen|anrufe) mehr\b",
        r"\bnicht mehr (?:\w+ ){0,2}?(?:schreib|kontaktier|anschreib|sms|send|schick|anruf)\w*",
        r"\b(?:schreib|kontaktier|schick|send)\w* (?:\w+ ){0,3}?nicht mehr\b",
        r"\bhor\w* (?:\w+ ){0,2}?auf\b|\baufhoren\b",
        r"\b(?:abmelden|abbestellen|austragen)\b",
        r"\blass\w* mich in ruhe\b",
        r"\bfalsche nummer\b",
        # French
        r"\barret\w*\b",
        r"\bne (?:\w+ ){0,2}?plus (?:m'|me |nous )?(?:envoy|contact|ecri|appel|text)\w*",
        r"\bne (?:m'|me )?(?:envoy|contact|ecri|appel|text)\w* plus\b",
        r"\b(?:desabonn|desinscri)\w*",
        r"\blaiss\w* moi tranquille\b",
        r"\bmauvais numero\b",
        # Spanish
        r"\bno (?:\w+ )?mas (?:mensajes|sms|textos|whatsapps?|llamadas)\b",
        r"\bdej\w* de (?:enviar|escribir|mandar|contactar|llamar)\w*",
        r"\bno me (?:vuelv\w* a )?(?:escrib|envi|mand|contact|llam)\w*",
        r"\bde baja\b",
        r"\bnumero equivocado\b",
        # Dutch
        r"\bstoppen\b|\bafmelden\b",
        r"\bgeen (?:\w+ )?(?:sms\w*|bericht\w*|whatsapp\w*|appjes) meer\b",
        r"\bniet meer (?:\w+ ){0,2}?(?:sturen|sms\w*|appen|contacteren|bellen)\b",
        r"\b(?:stuur|sms|app|bel)\w* (?:\w+ ){0,2}?niet meer\b",
        r"\bverkeerd nummer\b",
    )
)

OPT_OUT_CONFIRMATION = (
    "You will no longer receive texts from {company}. Reply START to receive them again."
)
OPT_IN_CONFIRMATION = (
    "Thanks! {company} can now text you about your application. Reply STOP to opt out."
)

_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′ʼ`´", "'"),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad"),  # invisible characters
    }
)
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_HELD_KEY = re.compile(r"(\w)\1{2,}")  # "STOPPP", "yesss": three or more of one letter


def words(body: str) -> list[str]:
    """The message's words as compared: compatibility forms (full-width letters, no-break
    spaces) folded, curly apostrophes straightened, accents and case dropped, emoji and
    punctuation gone, letters held down collapsed."""
    text = unicodedata.normalize("NFKC", body).translate(_TYPOGRAPHY)
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return [_HELD_KEY.sub(r"\1", word) for word in _WORD.findall(text.casefold())]


def _leads(message: list[str], keywords) -> bool:
    return any(message[: len(kw.split())] == kw.lower().split() for kw in keywords)


def asks_to_stop(body: str) -> bool:
    text = " ".join(words(body))
    return any(pattern.search(text) for pattern in STOP_REQUESTS)


def classify(body: str) -> str:
    """'opt_out', 'opt_in', 'stop_request' (free text asking to stop) or 'message'."""
    message = words(body)
    if _leads(message, OPT_OUT_WORDS):
        return "opt_out"
    if asks_to_stop(body):
        return "stop_request"
    return meaning_unless_stop(body)


def meaning_unless_stop(body: str) -> str:
    """What the message means if a person decides it does not ask to stop: 'opt_in' or 'message'."""
    message = words(body)
    if _leads(message, OPT_IN_WORDS) or " ".join(message) in BARE_YES:
        return "opt_in"
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


def state_if_not_a_stop(state: str, body: str) -> str:
    """Where a reviewer's "not a request to stop" leads: what the message would have done without
    its stop request ("Yes, but stop texting me after today" judged a yes opts in)."""
    return next_state(state, meaning_unless_stop(body))


def can_send_sms(state: str) -> bool:
    return state == Consent.OPTED_IN


def can_invite(state: str) -> bool:
    """An invitation needs the consent given at submission; re-inviting an unanswered one is
    fine."""
    return state in (Consent.CONSENTED, Consent.INVITED)
