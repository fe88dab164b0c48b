"""From file bytes to fields: extract and clean the text, split it into sections, read fields."""

from candidates.parsing.contacts import HEADER_LINES, contact_lines, find_email, find_phone
from candidates.parsing.education import extract_education, extract_languages, extract_skills
from candidates.parsing.experience import extract_experience
from candidates.parsing.files import extract_text
from candidates.parsing.language import written_in
from candidates.parsing.names import find_name, split_name
from candidates.parsing.result import ParsedResume
from candidates.parsing.sections import split_sections
from candidates.parsing.summaries import build_education_summary, build_summary
from candidates.parsing.text import clean_text


def parse_resume(data: bytes, filename: str, *, default_region: str = "US") -> ParsedResume:
    text = clean_text(extract_text(data, filename))
    return parse_text(text, default_region=default_region)


def parse_text(text: str, *, default_region: str = "US") -> ParsedResume:
    """Fields of an already extracted and cleaned resume text."""
    sections = split_sections(text.split("\n"))
    lines = contact_lines(sections)
    email = find_email(lines[:HEADER_LINES]) or find_email(lines)
    phone, phone_as_printed = find_phone(lines, default_region, written_in(text))
    full_name = find_name(lines, email)
    first_name, last_name = split_name(full_name)
    return ParsedResume(
        text=text,
        full_name=full_name,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        phone_as_printed=phone_as_printed,
        summary=build_summary(sections),
        education_summary=build_education_summary(sections),
        experience=extract_experience(sections),
        education=extract_education(sections),
        skills=extract_skills(sections),
        languages=extract_languages(sections),
    )
