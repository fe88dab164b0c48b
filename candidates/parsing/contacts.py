"""Email address and phone number (phonenumbers), looked for near the top first."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers

from candidates.parsing.dates import DATE_RANGE, SINCE_DATE, SINGLE_DATE
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
# "0049 30 …": the international call prefix of most countries (not the US's 011), for the "+".
INTERNATIONAL_PREFIX = re.compile(r"^(\(\s?)?00(?=[1-9])")
# The start of a number, too short to be one, at the end of a line.
WRAPPED_TAIL = re.compile(r"(?<![\w+])\+?\d(?:[ ().-]*\d){0,4}$")
MIN_PHONE_DIGITS = 7
MAX_PHONE_LINE_CHARS = 500
MAX_PHONE_LINES = 300
MOBILE_LABEL_CHARS = 16
MOBILE_LABEL = re.compile(
    r"(?:\bmobile|\bmob\b|\bcell|\bgsm\b|\bhandy\b|\bmobil|\bmobiel|\bm[óo]vil|\bportable|"
    r"(?:^|\s)(?-i:M)\s*:?)\W*$",
    re.IGNORECASE,
)
PHONE_LABEL = re.compile(
    r"(?:\bphone|\btel\b|\btel[eé]fono|\btelefon|\btelefoon|\bt[ée]l[ée]phone|\bt[ée]l\b|\btlf|"
    r"\bfon\b|\bfijo)\W*$",
    re.IGNORECASE,
)
# Where the resume says it is: a country name, or a postcode form only one country uses.
COUNTRY_NAMES = {
    "US": r"usa|u\.s\.a?\.?|united states",
    "GB": r"united kingdom|uk|england|scotland|wales",
    "DE": r"deutschland|germany",
    "AT": r"österreich|austria",
    "CH": r"schweiz|suisse|switzerland",
    "FR": r"france",
    "BE": r"belgique|belgië|belgium",
    "ES": r"españa|espana|spain",
    "NL": r"nederland|the netherlands|netherlands",
    "IE": r"ireland",
    "CA": r"canada",
    "IT": r"italia|italy",
    "PT": r"portugal",
}
COUNTRY_IN_ADDRESS = {
    region: re.compile(rf"(?:^|[,\s])(?:{names})\s*$", re.IGNORECASE)
    for region, names in COUNTRY_NAMES.items()
}
# Where people writing in each language mostly live, after the regions the resume names itself.
LANGUAGE_REGIONS = {
    "eng": ("US", "GB", "IE", "CA", "AU"),
    "deu": ("DE", "AT", "CH"),
    "fra": ("FR", "BE", "CH", "LU"),
    "spa": ("ES", "MX", "AR", "CO"),
    "nld": ("NL", "BE"),
}
POSTCODE_REGIONS = {
    "US": re.compile(r"\b[A-Z]{2} \d{5}(?:-\d{4})?\b"),
    "GB": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b"),
    "NL": re.compile(r"\b\d{4} ?[A-Z]{2}\b(?= [A-Z])"),
}


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


@dataclass(frozen=True)
class Regions:
    """Where a national number may be from: the regions the resume names and the agency's
    (stated), then those of the resume's language (guessed)."""

    stated: tuple[str, ...]
    guessed: tuple[str, ...]


@dataclass
class PhoneCandidate:
    as_printed: str
    e164: str
    label_rank: int  # 2 after a mobile label ("Mobil:"), 1 after another phone label, else 0


def find_phone(lines: list[str], default_region: str, language: str = "") -> tuple[str, str]:
    """(E.164 or "", as printed) of the candidate's phone.

    Every number in the header is a candidate; a valid one beats an invalid one, a labelled one
    ("Mobil:", "Tél.") an unlabelled one, a mobile another phone, and then the first one wins.
    A national number is read in the region where it is valid and printed as that region prints
    its numbers; ties go to the region the resume names itself (a country in the address, a
    postcode form), then to the agency's default region, then to those of the resume's language
    (language.written_in of the whole text: its headings tell it best, and are not in `lines`).
    """
    # Line length and count are bounded: phonenumbers' matcher is slow on long runs of digits.
    searched = [without_dates(line[:MAX_PHONE_LINE_CHARS]) for line in lines[:MAX_PHONE_LINES]]
    stated = tuple(dict.fromkeys([*resume_regions(searched[:HEADER_LINES]), default_region]))
    spoken = LANGUAGE_REGIONS.get(language, ())
    regions = Regions(stated, tuple(region for region in spoken if region not in stated))
    top = searched[:HEADER_LINES]
    header = [
        candidate
        for index, line in enumerate(top)
        for candidate in phone_candidates(with_wrapped_number(line, top[index + 1 :]), regions)
    ]
    if header:
        chosen = min(
            enumerate(header),
            key=lambda item: (not item[1].e164, -item[1].label_rank, item[0]),
        )[1]
        return chosen.e164, chosen.as_printed
    # Further down only a valid number is trusted, since dates and IDs look like phone numbers.
    for line in searched[HEADER_LINES:]:
        for match in phonenumbers.PhoneNumberMatcher(
            line, regions.stated[0], leniency=phonenumbers.Leniency.VALID
        ):
            return e164(match.number), match.raw_string
    return "", ""


def with_wrapped_number(line: str, following: list[str]) -> str:
    """The line with the next one joined when a labelled or international number it ends with
    is cut short ("Telefoon: +31 6" above "14944139", in a narrow sidebar)."""
    tail = WRAPPED_TAIL.search(line)
    if not tail or not following or not following[0][:1].isdigit():
        return line
    labelled = MOBILE_LABEL.search(line[: tail.start()]) or PHONE_LABEL.search(line[: tail.start()])
    if not (tail.group().startswith("+") or labelled):
        return line
    return f"{line} {following[0]}"


def without_dates(line: str) -> str:
    """The line with its dates and date ranges blanked: "05/2024 - 03/2026" is valid in the US.

    A date inside a longer group of digits ("+49 30 2019-2020") is part of a number and kept."""
    for pattern in (DATE_RANGE, SINCE_DATE, SINGLE_DATE):
        line = pattern.sub(
            lambda match: (
                match.group()
                if re.search(r"[+\d][\s-]*$", match.string[: match.start()])
                or re.match(r"[\s-]*\d", match.string[match.end() :])
                else " " * len(match.group())
            ),
            line,
        )
    return line


def resume_regions(lines: list[str]) -> list[str]:
    """Regions the resume's header names, most telling first (a country, then a postcode form)."""
    found = [
        region
        for line in lines
        for part in re.split(r"\s[·|•]\s", line)
        for region, pattern in COUNTRY_IN_ADDRESS.items()
        if pattern.search(part)
    ]
    found += [
        region
        for line in lines
        for region, pattern in POSTCODE_REGIONS.items()
        if pattern.search(line) and not EMAIL.search(pattern.search(line).group())
    ]
    return list(dict.fromkeys(found))


def phone_candidates(line: str, regions: Regions) -> Iterator[PhoneCandidate]:
    """Numbers phonenumbers matches, plus phone-like digit groups it rejects (e.g. fictional).

    Where the two overlap, a valid number beats an invalid one and then the longer one wins:
    the matcher, knowing one region, can take the tail "4050032" of a German "01529 4050032"."""
    found: list[tuple[int, int, PhoneCandidate]] = [
        (match.start, match.end, phone_candidate(line, match.start, match.raw_string, regions))
        for match in phonenumbers.PhoneNumberMatcher(
            line, regions.stated[0], leniency=phonenumbers.Leniency.POSSIBLE
        )
        # A possible British number may be as short as "2022" (a year in a sentence).
        if len(re.sub(r"\D", "", match.raw_string)) >= MIN_PHONE_DIGITS
    ]
    found += [
        (match.start(), match.end(), phone_candidate(line, match.start(), match.group(), regions))
        for match in PHONE_LIKE.finditer(line)
        if looks_like_printed_phone(match.group())
    ]
    kept: list[tuple[int, int, PhoneCandidate]] = []
    for start, end, candidate in sorted(found, key=lambda f: (not f[2].e164, f[0] - f[1])):
        if not any(start < other_end and other_start < end for other_start, other_end, _ in kept):
            kept.append((start, end, candidate))
    for _start, _end, candidate in sorted(kept, key=lambda item: item[0]):
        yield candidate


def looks_like_printed_phone(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    if (
        not MIN_PHONE_DIGITS <= len(digits) <= 15
        or raw.count("(") != raw.count(")")
        or DATE_LIKE.fullmatch(raw)
    ):
        return False
    # A bare run of digits is an ID or an amount unless written in international form.
    return raw.startswith("+") or bool(re.search(r"[ \-.()]", raw))


def phone_candidate(line: str, start: int, raw: str, regions: Regions) -> PhoneCandidate:
    label = line[max(0, start - MOBILE_LABEL_CHARS) : start]
    rank = 2 if MOBILE_LABEL.search(label) else 1 if PHONE_LABEL.search(label) else 0
    return PhoneCandidate(raw, read_number(raw, regions), label_rank=rank)


def read_number(raw: str, regions: Regions) -> str:
    """E.164 of a valid number, "" otherwise: an international one whatever the regions, a
    national one in the region printing it most like its own numbers (the earliest on a tie)."""
    text = INTERNATIONAL_PREFIX.sub(r"\1+", raw.strip())
    candidates = [*regions.stated, *regions.guessed]
    if text.lstrip("( ").startswith("+"):
        candidates = candidates[:1]
    best: tuple[tuple[int, int], str] | None = None
    for position, region in enumerate(candidates):
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        normalised, form = e164(number), national_form(text, number)
        # "(123) 456-7890" is valid in Britain without its trunk 0, as nobody there prints it.
        if not form and region in regions.guessed:
            continue
        if normalised and (best is None or (form, -position) > best[0]):
            best = ((form, -position), normalised)
    return best[1] if best else ""


def national_form(printed: str, number: phonenumbers.PhoneNumber) -> int:
    """2 when printed in the digit groups of its region's national format ("06 12 34 56 78" in
    France), 1 with the same digits only (the trunk prefix where the region dials one), else 0."""
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    groups, expected = re.findall(r"\d+", printed), re.findall(r"\d+", national)
    if groups == expected:
        return 2
    return int("".join(groups) == "".join(expected))


def e164(number: phonenumbers.PhoneNumber) -> str:
    """E.164 form of a valid number; "" for fictional or impossible ones."""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
