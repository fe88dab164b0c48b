"""What each line of an Experience section is: a date, an entry header, a location, a bullet, …"""

import re
from collections import Counter

from candidates.parsing.dates import DATE_RANGE, DURATION, FULL_DATE, is_date_only
from candidates.parsing.sections import CONNECTORS
from candidates.parsing.text import strip_bullet

# "3", "1/2", "Page 1 of 3", and footers such as "John Doe – 1/2".
PAGE_MARKER = re.compile(
    r"^(?:.{1,40}\s[–—-]\s)?(?:page\s*)?\d{1,3}\s*(?:/|of)\s*\d{1,3}$|^\d{1,3}$", re.IGNORECASE
)
BULLET_LINE = re.compile(r"^[•◦▪▫■□●○◆◇►▸‣⁃∙·*]|^[–—-]\s")
PART_SEPARATORS = re.compile(r"\s[|–—·]\s|\s-\s|\s@\s|\sat\s")
# "Title at Employer" in German, French, Spanish and Dutch, before a capital letter.
AT_EMPLOYER = re.compile(r"\s(?:bei|chez|en|bij)\s(?=[A-ZÀ-Ý])")
NOT_HEADER_WORDS = re.compile(r"\b(?:r[ée]sum[ée]|curriculum vitae|cv|page)\b", re.IGNORECASE)
COMPANY_WORDS = {
    "inc",
    "ltd",
    "llc",
    "corp",
    "co",
    "gmbh",
    "plc",
    "ag",
    "company",
    "corporation",
    "group",
    "labs",
    "university",
    "institute",
    "college",
    "bank",
    "sa",
    "s.a",
    "sarl",
    "sas",
    "sl",
    "s.l",
    "bv",
    "b.v",
    "nv",
    "n.v",
    "kg",
    "se",
    "llp",
    "gemeente",
    "stichting",
    "hospital",
    "ziekenhuis",
    "klinikum",
    "universitätsklinikum",
    "hôpital",
    "mairie",
    "ayuntamiento",
    "universidad",
    "université",
    "universität",
    "universiteit",
    "universitat",
    "hochschule",
    "hogeschool",
    "école",
    "banco",
    "banque",
    "groupe",
    "grupo",
}
TITLE_WORDS = re.compile(
    r"\b(?:engineer|developer|intern|manager|director|founder|cto|ceo|cfo|coo|cio|vp|president|"
    r"officer|scientist|researcher|analyst|consultant|designer|architect|lead|head|specialist|"
    r"administrator|coordinator|assistant|associate|student|fellow|professor|lecturer|teacher|"
    r"tutor|programmer|technician|accountant|editor|writer|sre|devops|owner|partner|chief|"
    r"principal|trainee|apprentice|advisor|adviser|representative|executive|supervisor|nurse|"
    r"recruiter|volunteer|instructor|postdoc|contractor|freelancer|member|chair|secretary|"
    r"treasurer|controller|clerk|agent|operator|worker|driver|mechanic|electrician|cashier|chef|"
    r"cook|pharmacist|therapist|planner|buyer|auditor|lawyer|paralegal|inspector|"
    # French, Spanish and Dutch titles
    r"ing[ée]nieure?|d[ée]veloppeu(?:r|se)|responsable|comptable|stagiaire|infirmi[eè]re?|"
    r"charg[ée]e?|directeur|directrice|technicien(?:ne)?|assistante?|analyste|consultante?|"
    r"gestionnaire|commerciale?|vendeu(?:r|se)|conseill(?:er|ère)|enseignante?|alternante?|"
    r"desarrollador(?:a)?|jef[ea]|ingenier[oa]|becari[oa]|enfermer[oa]|t[ée]cnic[oa]|"
    r"administrativ[oa]|analista|dise[ñn]ador(?:a)?|director(?:a)?|consultor(?:a)?|"
    r"coordinador(?:a)?|gerente|dependienta?|profesor(?:a)?|contable|"
    r"\w*ontwikkelaar|\w*leider|\w*manager|verpleegkundige|stagiair(?:e)?|medewerker|"
    r"analist|adviseur|monteur|docent|beheerder|co[öo]rdinator|leidinggevende)\b"
    # German compound titles: "Softwareentwickler", "Projektleiterin", "IT-Administrator"
    r"|\b[\w-]*(?:entwickler|leiter|mitarbeiter|berater|referent|ingenieur|informatiker|"
    r"kaufmann|kauffrau|angestellter?|pfleger|techniker|elektroniker|buchhalter|assistent|"
    r"manager|student|praktikant|sachbearbeiter|verkäufer|lehrer|administrator|controller|"
    r"arzt|ärztin)(?:in|innen)?\b",
    re.IGNORECASE,
)


def classify_lines(lines: list[str]) -> list[str]:
    glyphs = Counter(line[0] for line in lines if BULLET_LINE.match(line))
    usual_bullet = glyphs.most_common(1)[0][0] if glyphs else ""
    following = next_non_blank_lines(lines)
    kinds: list[str] = []
    previous = ""
    for line, next_line in zip(lines, following, strict=True):
        kinds.append(line_kind(line, previous, next_line, usual_bullet))
        previous = line or previous
    return kinds


def next_non_blank_lines(lines: list[str]) -> list[str]:
    """For each line, the next non-blank line after it ("" at the end)."""
    following: list[str] = []
    upcoming = ""
    for line in reversed(lines):
        following.append(upcoming)
        upcoming = line or upcoming
    return following[::-1]


def line_kind(line: str, previous: str, following: str, usual_bullet: str) -> str:
    """blank, ignored (footers, durations), date, location, continuation, bullet, header, prose."""
    if not line:
        return "blank"
    if PAGE_MARKER.match(line) or DURATION.match(line) or FULL_DATE.match(line):
        return "ignored"
    if BULLET_LINE.match(line) and len(line.split()) > 12:
        return "bullet"
    if DATE_RANGE.search(line) or is_date_only(line):
        return "date"
    if is_location(line):
        return "location"
    if is_continuation(line, previous):
        return "continuation"
    if BULLET_LINE.match(line):
        return (
            "header"
            if is_short_bullet_header(line, previous, following, usual_bullet)
            else "bullet"
        )
    return "header" if looks_like_entry_header(line) else "prose"


def is_location(text: str) -> bool:
    """ "San Francisco, CA", "Istanbul, Türkiye", "Mapo-gu, Seoul, Republic of Korea"."""
    parts = [part.strip() for part in text.split(",")]
    if not 2 <= len(parts) <= 3 or len(text.split()) > 6 or TITLE_WORDS.search(text):
        return False
    if any(word.lower().strip(".") in COMPANY_WORDS for word in text.replace(",", " ").split()):
        return False
    return all(is_place_name(part) for part in parts)


def is_place_name(part: str) -> bool:
    words = part.split()
    return (
        1 <= len(words) <= 3
        and words[0][0].isupper()
        and all(
            all(c.isalpha() or c in ".'-" for c in word)
            and (word[0].isupper() or word in CONNECTORS)
            for word in words
        )
    )


def is_continuation(line: str, previous: str) -> bool:
    """The wrapped tail of a bullet or sentence that the PDF layout put on a line of its own."""
    if line[0].islower():
        return True
    wrapped = len(previous) >= 60 and not previous.endswith((".", "!", "?", ":", ";"))
    return (
        wrapped
        and len(line.split()) <= 3
        and not TITLE_WORDS.search(line)
        and not PART_SEPARATORS.search(line)
        and not any(word.lower().strip(".,") in COMPANY_WORDS for word in line.split())
    )


def is_short_bullet_header(line: str, previous: str, following: str, usual_bullet: str) -> bool:
    """An itemised employer ("• Google") above its title line, as in some LaTeX templates.

    Such entries use another glyph than the section's accomplishments ("◦ Built ..."), and unlike
    nested sub-items they do not follow a bullet line.
    """
    text = strip_bullet(line)
    return (
        line[0] != usual_bullet
        and not BULLET_LINE.match(previous)
        and 0 < len(text.split()) <= 8
        and looks_like_entry_header(text)
        and bool(following)
        and not BULLET_LINE.match(following)
        and looks_like_entry_header(following)
    )


def looks_like_entry_header(line: str) -> bool:
    words = line.split()
    if len(words) > 12 or len(line) > 100 or not (line[0].isupper() or line[0].isdigit()):
        return False
    if (
        line.endswith((":", ";"))
        or re.search(r"[a-z]{2}\. [A-Z]", line)
        or NOT_HEADER_WORDS.search(line)
    ):
        return False
    # A final full stop ends a sentence, except after an abbreviation such as "Inc.", "Ltd." or
    # "B.V.".
    return not line.endswith(".") or bool(re.search(r"(?:^|\s)(?:[A-Z][A-Za-z]{0,3}\.)+$", line))
