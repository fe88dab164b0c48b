"""Section headings (Summary, Education, Experience, References, …) and the sections they start."""

import re
from dataclasses import dataclass

from candidates.parsing.dates import is_date_only, strip_accents

HEADING_PHRASES = {
    "summary": "summary",
    "professional summary": "summary",
    "career summary": "summary",
    "executive summary": "summary",
    "profile": "summary",
    "professional profile": "summary",
    "personal profile": "summary",
    "about": "summary",
    "about me": "summary",
    "objective": "summary",
    "career objective": "summary",
    "personal statement": "summary",
    "overview": "summary",
    "education": "education",
    "academic background": "education",
    "education and training": "education",
    "academic qualifications": "education",
    "qualifications": "education",
    "experience": "experience",
    "work experience": "experience",
    "professional experience": "experience",
    "employment": "experience",
    "employment history": "experience",
    "work history": "experience",
    "career history": "experience",
    "relevant experience": "experience",
    "research experience": "experience",
    "other work experience": "experience",
    "references": "references",
    "referees": "references",
    # German
    "profil": "summary",
    "kurzprofil": "summary",
    "uber mich": "summary",
    "personliches profil": "summary",
    "zusammenfassung": "summary",
    "berufserfahrung": "experience",
    "beruflicher werdegang": "experience",
    "berufliche erfahrung": "experience",
    "berufliche laufbahn": "experience",
    "praxiserfahrung": "experience",
    "berufspraxis": "experience",
    "werdegang": "experience",
    "ausbildung": "education",
    "bildungsweg": "education",
    "bildung": "education",
    "studium": "education",
    "schulbildung": "education",
    "aus und weiterbildung": "education",
    "akademischer werdegang": "education",
    "referenzen": "references",
    # French
    "a propos": "summary",
    "profil professionnel": "summary",
    "resume": "summary",
    "objectif": "summary",
    "experience professionnelle": "experience",
    "experiences professionnelles": "experience",
    "experiences": "experience",
    "parcours professionnel": "experience",
    "formation": "education",
    "formations": "education",
    "etudes": "education",
    "diplomes": "education",
    "formation academique": "education",
    # Spanish
    "perfil": "summary",
    "sobre mi": "summary",
    "perfil profesional": "summary",
    "resumen": "summary",
    "experiencia": "experience",
    "experiencia profesional": "experience",
    "experiencia laboral": "experience",
    "trayectoria profesional": "experience",
    "educacion": "education",
    "formacion": "education",
    "formacion academica": "education",
    "estudios": "education",
    "referencias": "references",
    # Dutch
    "profiel": "summary",
    "over mij": "summary",
    "persoonlijk profiel": "summary",
    "samenvatting": "summary",
    "werkervaring": "experience",
    "ervaring": "experience",
    "loopbaan": "experience",
    "werkervaring en stages": "experience",
    "opleiding": "education",
    "opleidingen": "education",
    "onderwijs": "education",
    "opleiding en cursussen": "education",
    "referenties": "references",
}
SKILL_HEADINGS = {
    "skills",
    "key skills",
    "technical skills",
    "core skills",
    "competencies",
    "kenntnisse",
    "fahigkeiten",
    "kompetenzen",
    "edv kenntnisse",
    "it kenntnisse",
    "competences",
    "competences cles",
    "savoir faire",
    "habilidades",
    "competencias",
    "conocimientos",
    "vaardigheden",
    "competenties",
    "kennis en vaardigheden",
    "skills and tools",
}
LANGUAGE_HEADINGS = {
    "languages",
    "language skills",
    "sprachen",
    "sprachkenntnisse",
    "langues",
    "idiomas",
    "talen",
    "talenkennis",
}
CONTACT_HEADINGS = {
    "contact",
    "contact details",
    "kontakt",
    "kontaktdaten",
    "coordonnees",
    "contacto",
    "datos de contacto",
    "contactgegevens",
    "personal details",
    "persönliche daten",
    "personliche daten",
    "datos personales",
    "informations personnelles",
    "persoonsgegevens",
}
HEADING_PHRASES |= (
    dict.fromkeys(SKILL_HEADINGS, "skills")
    | dict.fromkeys(LANGUAGE_HEADINGS, "languages")
    | dict.fromkeys(CONTACT_HEADINGS, "other")
)
# Headings written without spaces once letter-spacing is undone ("WORKEXPERIENCE").
GLUED_HEADINGS = {phrase.replace(" ", ""): kind for phrase, kind in HEADING_PHRASES.items()}
OTHER_HEADING_WORDS = (
    "skills",
    "projects",
    "publications",
    "awards",
    "honors",
    "honours",
    "certifications",
    "certificates",
    "interests",
    "hobbies",
    "activities",
    "volunteering",
    "patents",
    "talks",
    "presentations",
    "courses",
    "coursework",
    "leadership",
    "affiliations",
    "scholarships",
    "achievements",
    "accomplishments",
    "memberships",
    "conferences",
    "journals",
    "grants",
    "teaching",
    "philosophy",
    "strengths",
    "links",
    "contact",
    "extracurriculars",
    "projekte",
    "interessen",
    "hobbys",
    "zertifikate",
    "projets",
    "loisirs",
    "certifications",
    "proyectos",
    "intereses",
    "aficiones",
    "certificados",
    "projecten",
    "hobby's",
    "interesses",
    "certificaten",
)
HEADING_LAST_WORDS = {
    "summary": "summary",
    "profile": "summary",
    "objective": "summary",
    "education": "education",
    "experience": "experience",
    "employment": "experience",
    "references": "references",
    "referees": "references",
    **dict.fromkeys(OTHER_HEADING_WORDS, "other"),
    "skills": "skills",
    "languages": "languages",
}
HEADING_MAX_WORDS = 5
CONNECTORS = {"and", "of", "for", "the", "in", "to", "&", "with"}
# Words a heading wrapped over several lines may use; keeps "JOHN DOE / SUMMARY" from joining.
HEADING_VOCABULARY = (
    {word for phrase in HEADING_PHRASES for word in phrase.split()}
    | set(HEADING_LAST_WORDS)
    | CONNECTORS
    | {"campus", "professional", "selected", "additional", "technical", "key", "personal", "other"}
)


def heading_words(text: str) -> list[str]:
    """Lower-case words without accents ("Expérience" -> "experience"); "&" reads "and"."""
    plain = strip_accents(text.casefold().replace("&", " and ").replace("ß", "ss"))
    return re.sub(r"[^a-z' ]", " ", plain).replace("'", " ").split()


def heading_kind(line: str) -> str | None:
    """summary, education, experience, references or other when the line is a section heading."""
    stripped = line.strip().rstrip(":").strip()
    if (
        not stripped
        or len(stripped) > 60
        or stripped[-1] in ".,;"
        or re.search(r"[\d@/|]", stripped)
    ):
        return None
    words = heading_words(stripped)
    if not words or len(words) > HEADING_MAX_WORDS:
        return None
    phrase = " ".join(words)
    if phrase in HEADING_PHRASES:
        return HEADING_PHRASES[phrase]
    if stripped.isupper() and "".join(words) in GLUED_HEADINGS:
        return GLUED_HEADINGS["".join(words)]
    if not all(
        word[0].isupper() or word.lower() in CONNECTORS
        for word in stripped.split()
        if word[0].isalpha()
    ):
        return None
    return HEADING_LAST_WORDS.get(words[-1])


@dataclass
class Section:
    # header (before the first heading), summary, education, experience, references, skills,
    # languages or other
    kind: str
    lines: list[str]
    # A date-only line just above the heading: in two-column layouts the first entry's date is
    # often set higher than the section title, but it may also end the previous section.
    date_above: str = ""


def split_sections(lines: list[str]) -> list[Section]:
    sections = [Section("header", [])]
    index = 0
    while index < len(lines):
        kind, consumed = heading_at(lines, index)
        if kind is None:
            sections[-1].lines.append(lines[index])
            index += 1
            continue
        sections.append(Section(kind, [], date_above=last_date_only_line(sections[-1].lines)))
        index += consumed
    return sections


def heading_at(lines: list[str], index: int) -> tuple[str | None, int]:
    """The heading starting at `index`, possibly an ALL-CAPS heading wrapped over up to 3 lines."""
    for size in (3, 2):
        chunk = lines[index : index + size]
        if len(chunk) < size or not all(is_upper_fragment(line) for line in chunk):
            continue
        # A wrapped heading like "RESEARCH / EXPERIENCE": one of its lines alone is not a heading.
        if all(heading_kind(line) for line in chunk):
            continue
        joined = " ".join(chunk)
        kind = heading_kind(joined)
        if kind and set(heading_words(joined)) <= HEADING_VOCABULARY:
            return kind, size
    return heading_kind(lines[index]), 1


def is_upper_fragment(line: str) -> bool:
    return (
        bool(line)
        and line.upper() == line
        and any(c.isalpha() for c in line)
        and len(line.split()) <= 3
    )


def last_date_only_line(lines: list[str]) -> str:
    last = next((line for line in reversed(lines) if line), "")
    return last if is_date_only(last) else ""
