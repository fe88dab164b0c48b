"""Education entries (institution, degree, start, end), and the skills and languages sections.

Education sections are laid out like experience sections (a header of one to three lines and a
date range), so their entries come from the same pairing of dates and headers; the header's
parts are then told apart by school words ("Universität", "École", "Hogeschool") and degree words.
"""

import re

from candidates.parsing.experience import experience_pairings
from candidates.parsing.experience_lines import PART_SEPARATORS, is_location
from candidates.parsing.sections import Section
from candidates.parsing.text import strip_bullet

SCHOOL_WORDS = re.compile(
    r"\b(?:univ\w*|\w*college|coll[eè]ge|\w*school|\w*schule|hochschule\w*|institut\w*|"
    r"hogeschool\w*|hogescholen|acad[eé]m\w*|akademie|[ée]cole|lyc[ée]e|gymnasium|iut|ies|roc|"
    r"polytechn\w*|polit[eé]cnic\w*|conservato\w*|sciences po|seminary|campus|rwth|eth|epfl|mit)\b",
    re.IGNORECASE,
)
DEGREE_WORDS = re.compile(
    r"\b(?:bachelor\w*|master\w*|m[aá]ster|msc|bsc|ba|ma|mba|phd|ph\.d|b\.?sc|m\.?sc|m\.a|b\.a|"
    r"b\.?eng|m\.?eng|llb|llm|diplom\w*|dipl[oô]m\w*|abitur|ausbildung|staatsexamen|licence|"
    r"licenciatura|grado|doctora\w*|bts|dut|bac\w*|bachillerato|t[ée]cnico superior|hbo|mbo|"
    r"vwo|havo|pgce|associate|certificate|degree|diploma)\b",
    re.IGNORECASE,
)
ITEM_SEPARATORS = re.compile(r"\s*[,;•·|]\s*|\s+[–—-]\s+")
MAX_ITEM_WORDS = 6
LANGUAGE_LEVEL = re.compile(r"\s*[(:–—\-]\s*|\s+(?:[ABC][12]\b|\d/\d)")


def extract_education(sections: list[Section]) -> list[dict[str, str]]:
    entries = []
    for section in sections:
        if section.kind != "education":
            continue
        pairings, _lines = experience_pairings(section)
        for pairing in pairings:
            institution, degree = institution_and_degree(pairing.header_lines)
            if institution or degree:
                entries.append(
                    {
                        "institution": institution,
                        "degree": degree,
                        "start": pairing.dates.start,
                        "end": pairing.dates.end,
                    }
                )
    return entries


def institution_and_degree(header_lines: list[str]) -> tuple[str, str]:
    parts = [part for line in header_lines for part in education_parts(line)]
    institution = next((p for p in parts if SCHOOL_WORDS.search(p)), "")
    others = [p for p in parts if p != institution]
    degree = next((p for p in others if DEGREE_WORDS.search(p)), others[0] if others else "")
    if not institution and len(others) > 1:
        institution = next(p for p in others if p != degree)
    return institution, degree


def education_parts(line: str) -> list[str]:
    """Parts of "Degree | Institution", dropping a trailing ", City" and location-only parts."""
    parts = []
    for chunk in PART_SEPARATORS.split(strip_bullet(line)):
        chunk = chunk.strip(" ,;|")
        if "," in chunk and is_location(chunk.split(",", 1)[1].strip() + ", X"):
            chunk = chunk.split(",", 1)[0]
        if chunk and not is_location(chunk):
            parts.append(chunk)
    return parts


def section_items(sections: list[Section], kind: str) -> list[str]:
    """The items a section lists, one a line or separated by commas, bullets or bars."""
    items: list[str] = []
    for section in sections:
        if section.kind != kind:
            continue
        for line in section.lines:
            for item in ITEM_SEPARATORS.split(strip_bullet(line)):
                item = item.strip(" .")
                if item and len(item.split()) <= MAX_ITEM_WORDS and item not in items:
                    items.append(item)
    return items


def extract_skills(sections: list[Section]) -> list[str]:
    return section_items(sections, "skills")


def extract_languages(sections: list[Section]) -> list[str]:
    """Language names without their level ("Deutsch (Muttersprache)", "English – C1")."""
    names: list[str] = []
    for section in sections:
        if section.kind != "languages":
            continue
        for line in section.lines:
            for item in re.split(r"\s*[,;•·|]\s*", strip_bullet(line)):
                name = LANGUAGE_LEVEL.split(item, maxsplit=1)[0].strip(" .")
                if name and name[0].isupper() and len(name.split()) <= 2 and name not in names:
                    names.append(name)
    return names
