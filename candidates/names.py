"""Whether two typed names can be one person's name: the test behind contradicting identifiers.

Names agree when each of their first and last names shares a word with the other full name,
either way round (people swap them). Words are compared without case or accents and may be an
initial ("J."), a short form ("Chris", "Christopher") or one slip of the keyboard away ("Smyth").
So a middle name, a double surname or a typo agree; "Grace Lovelace" and "Ada Lovelace" (a
relative sharing the family phone) do not.
"""

import re
import unicodedata
from difflib import SequenceMatcher

SHORT_FORM = 4  # "Chris" for "Christopher"; "Dan" for "Daniel" is too short to tell from "Dana"
TYPO_RATIO = 0.8


def _words(name: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return [word for word in re.split(r"[\W\d_]+", plain) if word]


def _words_agree(one: str, other: str) -> bool:
    short, long = sorted((one, other), key=len)
    if short == long or (len(short) == 1 and long.startswith(short)):
        return True
    if len(short) >= SHORT_FORM and long.startswith(short):
        return True
    return len(long) >= 4 and SequenceMatcher(None, short, long).ratio() >= TYPO_RATIO


def _shares_a_word(part: list[str], name: list[str]) -> bool:
    return not part or not name or any(_words_agree(a, b) for a in part for b in name)


def _one_way(first: str, last: str, other_first: str, other_last: str) -> bool:
    other = _words(other_first) + _words(other_last)
    return _shares_a_word(_words(first), other) and _shares_a_word(_words(last), other)


def names_agree(first: str, last: str, other_first: str, other_last: str) -> bool:
    return _one_way(first, last, other_first, other_last) and _one_way(
        other_first, other_last, first, last
    )
