"""The SMS consent rules: what an inbound text means, checked against a corpus of real-world
phrasings (as phones type them: curly apostrophes, emoji, shouting, other languages), and where
each meaning leads."""

import pytest

from messaging import consent
from messaging.models import Consent

OPT_OUT, OPT_IN, REVIEW, MESSAGE = "opt_out", "opt_in", "stop_request", "message"

# (what the candidate texted, what it means). SPEC: a listed keyword alone or leading the message
# opts out at once; a free-text request to stop, anywhere in the message, goes to a human and is
# never an opt-in; only the invitation's YES (and START/UNSTOP) opts in, or a bare yes in German,
# French, Spanish or Dutch.
CORPUS = [
    # Opt-out keywords, alone, in the forms phones send them.
    ("STOP", OPT_OUT),
    ("stop", OPT_OUT),
    ("Stop.", OPT_OUT),
    ("STOP!!!", OPT_OUT),
    ("  stop \n", OPT_OUT),
    ("\u00a0STOP\u00a0", OPT_OUT),  # no-break spaces
    ("\u200bSTOP", OPT_OUT),  # a zero-width space pasted in front
    ("ＳＴＯＰ", OPT_OUT),  # full-width letters
    ("🛑 STOP", OPT_OUT),
    ("STOP 🙏", OPT_OUT),
    ("STOPPP", OPT_OUT),  # a held-down key
    ("Stooop", OPT_OUT),
    ("STOPALL", OPT_OUT),
    ("Stop all", OPT_OUT),
    ("UNSUBSCRIBE", OPT_OUT),
    ("Unsubscribe.", OPT_OUT),
    ("CANCEL", OPT_OUT),
    ("END", OPT_OUT),
    ("QUIT", OPT_OUT),
    ("REVOKE", OPT_OUT),
    ("OPT OUT", OPT_OUT),
    ("opt-out", OPT_OUT),
    ("Opt\u2011out", OPT_OUT),  # a non-breaking hyphen
    ("OPTOUT", OPT_OUT),
    ("REMOVE", OPT_OUT),
    ("ARRET", OPT_OUT),  # Canadian French, a carrier keyword
    ("Arrêt", OPT_OUT),
    ("Stopp", OPT_OUT),  # German
    ("STOPPEN", OPT_OUT),  # Dutch
    ("Abmelden", OPT_OUT),  # German: unsubscribe
    ("Afmelden", OPT_OUT),  # Dutch: unsubscribe
    ("Baja", OPT_OUT),  # Spanish: unsubscribe
    # Opt-out keywords leading the message (the strict rule: the rest does not matter).
    ("STOP texting me", OPT_OUT),
    ("stop please", OPT_OUT),
    ("Stop, I found a job already", OPT_OUT),
    ("Unsubscribe me now", OPT_OUT),
    ("opt   out thanks", OPT_OUT),
    ("Cancel my texts", OPT_OUT),
    ("remove my number", OPT_OUT),
    ("Quit texting me", OPT_OUT),
    ("Stopp bitte", OPT_OUT),
    ("Arrêtez de m’envoyer des SMS", OPT_OUT),
    ("Stop by at 3?", OPT_OUT),  # strict: a leading keyword opts out whatever follows
    ("End of the week suits me", OPT_OUT),  # the same rule; START undoes it
    # Free-text requests to stop, flagged for a human (never an opt-in).
    ("Don’t text me again", REVIEW),  # the curly apostrophe phones type
    ("Don't text me again", REVIEW),
    ("dont text me", REVIEW),
    ("DO NOT CONTACT ME", REVIEW),
    ("Please do not message me anymore", REVIEW),
    ("Please stop texting me", REVIEW),
    ("pls stop", REVIEW),
    ("plz stop messaging me", REVIEW),
    ("Can you stop sending me these", REVIEW),
    ("Not interested. Stop", REVIEW),
    ("I said STOP", REVIEW),
    ("Yes, but please stop texting me after today", REVIEW),  # a leading YES is no opt-in here
    ("YES… actually no, don’t text me", REVIEW),
    ("Start? No. Stop.", REVIEW),
    ("no more texts please", REVIEW),
    ("No more messages!", REVIEW),
    ("Leave me alone", REVIEW),
    ("Could you remove my number", REVIEW),
    ("Please remove me from your list", REVIEW),
    ("Take me off your list", REVIEW),
    ("delete my number please", REVIEW),
    ("Wrong number", REVIEW),
    ("Sorry, wrong person", REVIEW),
    ("I want to opt out", REVIEW),
    ("How do I unsubscribe?", REVIEW),
    ("I don’t want any more texts", REVIEW),
    ("I no longer wish to receive messages", REVIEW),
    ("Never text me again", REVIEW),
    ("Can you quit texting me", REVIEW),
    ("please stopp", REVIEW),  # German keyword, not leading
    ("Bitte keine SMS mehr", REVIEW),
    ("Keine Nachrichten mehr bitte", REVIEW),
    ("Bitte schreiben Sie mir nicht mehr", REVIEW),
    ("Hören Sie auf, mir zu schreiben", REVIEW),
    ("Falsche Nummer", REVIEW),
    ("Merci de ne plus m’envoyer de messages", REVIEW),
    ("Ne m'envoyez plus de SMS", REVIEW),
    ("Je veux me désabonner", REVIEW),
    ("Mauvais numéro", REVIEW),
    ("No más mensajes, por favor", REVIEW),
    ("Por favor deja de enviarme mensajes", REVIEW),
    ("No me escriban más", REVIEW),
    ("Quiero darme de baja", REVIEW),
    ("Número equivocado", REVIEW),
    ("Ik wil stoppen", REVIEW),
    ("Geen berichten meer aub", REVIEW),
    ("Graag geen sms meer", REVIEW),
    ("Stuur me niet meer", REVIEW),
    ("Verkeerd nummer", REVIEW),
    # Opt-ins: the invitation's YES, START and UNSTOP, alone or leading.
    ("YES", OPT_IN),
    ("Yes", OPT_IN),
    ("yes.", OPT_IN),
    ("YES!", OPT_IN),
    ("Yes!!! 😊", OPT_IN),
    ("yesss", OPT_IN),
    ("Yes please", OPT_IN),
    ("yes, Tuesday works", OPT_IN),
    ("👍 Yes", OPT_IN),
    ("START", OPT_IN),
    ("start again please", OPT_IN),
    ("UNSTOP", OPT_IN),
    ("\u00a0Yes\u00a0", OPT_IN),
    # A bare yes in another language counts; with more words it is left to the recruiter.
    ("Ja", OPT_IN),
    ("Ja!", OPT_IN),
    ("Oui", OPT_IN),
    ("Sí", OPT_IN),
    ("si", OPT_IN),
    ("Ja, gerne, aber erst ab Montag", MESSAGE),
    ("Oui mais après 18h", MESSAGE),
    # Plain messages: no keyword leads, nothing asks to stop, nothing opts in.
    ("Y", MESSAGE),  # not what the invitation asked for
    ("Yeah", MESSAGE),
    ("Sure", MESSAGE),
    ("OK", MESSAGE),
    ("👍", MESSAGE),
    ("Who is this?", MESSAGE),
    ("Stopped by the office yesterday", MESSAGE),
    ("The weekend", MESSAGE),
    ("yesterday", MESSAGE),
    ("Can we start at 9?", MESSAGE),
    ("I can start at the end of May", MESSAGE),
    ("Don’t worry, Monday is fine", MESSAGE),
    ("Thanks, see you then", MESSAGE),
    ("Please call me after 5", MESSAGE),
    ("Is the job still open?", MESSAGE),
    ("Nonstop flights only, I live far away", MESSAGE),
    ("Gerne, wann passt es Ihnen?", MESSAGE),
    ("D’accord, à demain", MESSAGE),
    ("", MESSAGE),
]


def test_the_corpus_is_large_enough_and_has_no_repeats():
    bodies = [body for body, _meaning in CORPUS]
    assert len(bodies) >= 100 and len(set(bodies)) == len(bodies)


@pytest.mark.parametrize(("body", "meaning"), CORPUS, ids=[repr(b) for b, _m in CORPUS])
def test_corpus(body, meaning):
    assert consent.classify(body) == meaning


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


@pytest.mark.parametrize("body", [v for word in consent.OPT_OUT_WORDS for v in variants(word)])
def test_every_opt_out_keyword_alone(body):
    assert consent.classify(body) == OPT_OUT


@pytest.mark.parametrize("body", [v for word in consent.OPT_IN_WORDS for v in variants(word)])
def test_every_opt_in_keyword_alone(body):
    assert consent.classify(body) == OPT_IN


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
