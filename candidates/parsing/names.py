"""The candidate's name: the most name-like line near the top, and its first and last name."""

import re

from candidates.parsing.contacts import HEADER_LINES
from candidates.parsing.experience_lines import TITLE_WORDS
from candidates.parsing.sections import heading_kind

NAME_PARTICLES = {
    "van",
    "von",
    "de",
    "del",
    "della",
    "da",
    "di",
    "du",
    "la",
    "le",
    "der",
    "den",
    "bin",
    "binti",
    "al",
    "el",
    "ter",
    "ten",
    "dos",
    "das",
}
NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md"}
NOT_NAME_WORDS = {
    "curriculum",
    "vitae",
    "resume",
    "résumé",
    "cv",
    "updated",
    "page",
    "contact",
    "address",
    "phone",
    "email",
    "e-mail",
    "mobile",
    "street",
    "avenue",
    "road",
    "university",
    "college",
    "school",
    "inc",
    "ltd",
    "llc",
    "philosophy",
    "city",
    "country",
    "hq",
}
NAME_SEGMENT_SEPARATORS = re.compile(r"\s[|·•–—]\s")


def find_name(lines: list[str], email: str) -> str:
    """The most name-like line near the top; scored, since some layouts put addresses first."""
    email_hint = re.split(r"[^a-z]+", email.split("@")[0].lower()) if email else []
    best_score, best_name = 0.0, ""
    for position, line in enumerate(lines[:HEADER_LINES]):
        for segment in NAME_SEGMENT_SEPARATORS.split(line):
            score = name_score(segment, position, email_hint)
            if score > best_score:
                best_score, best_name = score, segment.strip()
    return normalise_name_case(best_name)


def name_score(segment: str, position: int, email_hint: list[str]) -> float:
    tokens = segment.split()
    if not 2 <= len(tokens) <= 4 or heading_kind(segment) or TITLE_WORDS.search(segment):
        return 0.0
    if re.search(r"[\d@:/,;()]", segment) or tokens[0].lower() in NAME_PARTICLES:
        return 0.0
    if any(token.lower().strip(".") in NOT_NAME_WORDS for token in tokens):
        return 0.0
    if not all(is_name_token(token) or token.lower() in NAME_PARTICLES for token in tokens):
        return 0.0
    score = 10.0 - 0.2 * position
    lowered = [token.lower().strip(".") for token in tokens]
    if any(
        len(token) > 1
        and any(token in part or part in token for part in email_hint if len(part) > 1)
        for token in lowered
    ):
        score += 3.0
    return score


def is_name_token(token: str) -> bool:
    """A capitalised word ("Park", "O'Neil", "Jean-Luc", "PARK") or an initial ("D.")."""
    return (
        token[0].isupper() and token[-1] != "-" and all(c.isalpha() or c in "'’-." for c in token)
    )


def normalise_name_case(name: str) -> str:
    """Title-case ALL-CAPS words ("MARISSA MAYER", "Jean DUPONT"); other words keep their case."""
    return " ".join(
        re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), token) if token.isupper() else token
        for token in name.split()
    )


def split_name(full_name: str) -> tuple[str, str]:
    """First and last name, without middle names or initials ("Claud D. Park": Claud, Park)."""
    tokens = full_name.split()
    while len(tokens) > 2 and tokens[-1].lower() in NAME_SUFFIXES:
        tokens.pop()
    if not tokens:
        return "", ""
    if len(tokens) == 1:
        return tokens[0], ""
    last_start = len(tokens) - 1
    while last_start > 1 and tokens[last_start - 1].lower() in NAME_PARTICLES:
        last_start -= 1
    return tokens[0], " ".join(tokens[last_start:])
