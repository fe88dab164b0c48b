"""Email address and phone number (phonenumbers), looked for near the top first."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers

from candidates.parsing.sections import Section

# Contacts and the name are looked for in this many non-blank lines first.
HEADER_LINES = 40


EMAIL = re.compile(
    r"(?<![\w.+-])[a-z0-9][a-z0-9._%+-]*@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}\b",
    re.IGNORECASE,
)
PHONE_LIKE = re.compile(r"(?<![\w/.,])(?:\(\s?)?\+?\d[\d \-.()]{5,24}\d(?![\w/%])")
DATE_LIKE = re.compile(
    r"(?:19|20)\d\d\s*[-.]\s*(?:19|20)\d\d|\d{4}[-.]\d\d[-.]\d\d|\d\d[-.]\d\d[-.]\d{4}"
)
MAX_PHONE_LINE_CHARS = 500
MAX_PHONE_LINES = 300
MOBILE_LABEL_CHARS = 16
MOBILE_LABEL = re.compile(
    r"(?:\bmobile|\bmob\b|\bcell|\bgsm\b|\bhandy\b|(?:^|\s)(?-i:M)\s*:?)\W*$", re.IGNORECASE
)


def contact_lines(sections: list[Section]) -> list[str]:
    """Non-blank lines outside References/Referees sections, in reading order."""
    return [
        line
        for section in sections
        if section.kind != "references"
        for line in section.lines
        if line
    ]


def find_email(lines: list[str]) -> str:
    for line in lines:
        match = EMAIL.search(line)
        if match:
            return match.group().lower().rstrip(".")
    return ""


@dataclass
class PhoneCandidate:
    as_printed: str
    e164: str
    labelled_mobile: bool


def find_phone(lines: list[str], default_region: str) -> tuple[str, str]:
    """(E.164 or "", as printed) of the first phone in the header, a labelled mobile first."""
    # Line length and count are bounded: phonenumbers' matcher is slow on long runs of digits.
    searched = [line[:MAX_PHONE_LINE_CHARS] for line in lines[:MAX_PHONE_LINES]]
    header = [
        candidate
        for line in searched[:HEADER_LINES]
        for candidate in phone_candidates(line, default_region)
    ]
    if header:
        chosen = next((c for c in header if c.labelled_mobile), header[0])
        return chosen.e164, chosen.as_printed
    # Further down only a valid number is trusted, since dates and IDs look like phone numbers.
    for line in searched[HEADER_LINES:]:
        for match in phonenumbers.PhoneNumberMatcher(
            line, default_region, leniency=phonenumbers.Leniency.VALID
        ):
            return e164(match.number), match.raw_string
    return "", ""


def phone_candidates(line: str, default_region: str) -> Iterator[PhoneCandidate]:
    """Numbers phonenumbers matches, plus phone-like digit groups it rejects (e.g. fictional)."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, PhoneCandidate]] = []
    for match in phonenumbers.PhoneNumberMatcher(
        line, default_region, leniency=phonenumbers.Leniency.POSSIBLE
    ):
        taken.append((match.start, match.end))
        found.append(
            (match.start, phone_candidate(line, match.start, match.raw_string, default_region))
        )
    for match in PHONE_LIKE.finditer(line):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue
        raw = match.group().strip()
        if looks_like_printed_phone(raw):
            found.append((match.start(), phone_candidate(line, match.start(), raw, default_region)))
    for _, candidate in sorted(found, key=lambda item: item[0]):
        yield candidate


def looks_like_printed_phone(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15 or raw.count("(") != raw.count(")") or DATE_LIKE.fullmatch(raw):
        return False
    # A bare run of digits is an ID or an amount unless written in international form.
    return raw.startswith("+") or bool(re.search(r"[ \-.()]", raw))


def phone_candidate(line: str, start: int, raw: str, default_region: str) -> PhoneCandidate:
    try:
        normalised = e164(phonenumbers.parse(raw, default_region))
    except phonenumbers.NumberParseException:
        normalised = ""
    label = line[max(0, start - MOBILE_LABEL_CHARS) : start]
    return PhoneCandidate(raw, normalised, labelled_mobile=bool(MOBILE_LABEL.search(label)))


def e164(number: phonenumbers.PhoneNumber) -> str:
    """E.164 form of a valid number; "" for fictional or impossible ones."""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
