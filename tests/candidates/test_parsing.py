"""Unit tests of candidates.parsing: cleaning, contacts, names, DOCX/TXT extraction and sections."""

import io
import json
import random
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import phonenumbers
import pytest

from candidates.parsing import ParsedResume, ParseError, parse_resume
from candidates.parsing.files import extract_text
from candidates.parsing.names import split_name
from candidates.parsing.pipeline import parse_text
from candidates.parsing.sections import heading_kind, split_sections
from candidates.parsing.text import clean_text

REPO_ROOT = Path(__file__).resolve().parents[2]
WORD_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def example_phone(region: str, kind: int = phonenumbers.PhoneNumberType.FIXED_LINE) -> str:
    number = phonenumbers.example_number_for_type(region, kind)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def e164(printed: str) -> str:
    number = phonenumbers.parse(printed, "US")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_lines(*lines: str, default_region: str = "US") -> ParsedResume:
    return parse_text(clean_text("\n".join(lines)), default_region=default_region)


# --- cleaning -------------------------------------------------------------------------------


def test_clean_text_drops_icon_glyphs_cid_tokens_and_soft_hyphens():
    raw = "\uf0e0john.doe@email.com\n(cid:127) Built infra\u00adstructure"
    assert clean_text(raw) == "john.doe@email.com\nBuilt infrastructure"


def test_clean_text_reads_a_soft_hyphen_between_spaces_as_a_dash():
    # Some LaTeX fonts map their visible dash to U+00AD ("Mar. 2010 ­ Aug. 2017").
    assert clean_text("Mar. 2010 \u00ad Aug. 2017") == "Mar. 2010 - Aug. 2017"


def test_clean_text_normalises_spaces_and_strips_uri_prefixes():
    raw = "Phone:\u00a0tel:+1\u202f555  0100\r\nmailto:Jane@Example.com\n\n\n\nEnd"
    assert clean_text(raw) == "Phone: +1 555 0100\nJane@Example.com\n\nEnd"


def test_clean_text_removes_control_characters():
    assert clean_text("Jane\x00 Roe\x1b\fPage two\tend") == "Jane Roe\nPage two end"


# --- email and phone ------------------------------------------------------------------------


def test_email_glued_to_an_icon_glyph_is_found_and_lower_cased():
    parsed = parse_lines("Jane Roe", "San Francisco, CA \uf0e0Jane.Roe@Example.com \uf0c1 site.dev")
    assert parsed.email == "jane.roe@example.com"


def test_mailto_and_tel_prefixes_do_not_leak_into_contacts():
    phone = example_phone("FR")
    parsed = parse_lines("Jane Roe", f"mailto:jane@example.com | tel:{phone}")
    assert (parsed.email, parsed.phone, parsed.phone_as_printed) == (
        "jane@example.com",
        e164(phone),
        phone,
    )


def test_a_national_number_is_read_in_the_default_region():
    us_number = phonenumbers.example_number("US")
    printed = phonenumbers.format_number(us_number, phonenumbers.PhoneNumberFormat.NATIONAL)
    parsed = parse_lines("Jane Roe", f"jane@example.com · {printed}")
    assert parsed.phone == phonenumbers.format_number(
        us_number, phonenumbers.PhoneNumberFormat.E164
    )


FRENCH_BODY = (
    "Expérience professionnelle",
    "Comptable chez Banque du Nord depuis 2019, avec une équipe de six personnes pour les "
    "clients et la direction",
    "Formation",
    "Licence de gestion, Université de Lille",
    "Langues",
)
ENGLISH_BODY = ("Experience", "Accountant at Acme, with the finance team and the clients")
GERMAN_BODY = (
    "Berufserfahrung",
    "Buchhalterin bei der Nordbank seit 2019, mit einem Team für die Kunden und die Leitung",
    "Ausbildung",
    "Studium der Betriebswirtschaft, Universität Hamburg",
)
SPANISH_BODY = (
    "Experiencia profesional",
    "Contable en Banco del Sur, con el equipo de finanzas y los clientes",
    "Formación",
    "Grado en Economía, Universidad de Sevilla",
    "Idiomas",
)


@pytest.mark.parametrize(
    "printed, body, default_region, expected",
    [
        # Valid in the Netherlands too, but a Dutch number is printed with its trunk 0.
        ("612 34 56 78", SPANISH_BODY, "NL", "+34612345678"),
        # Valid in the Netherlands too ("06 12622160"), but grouped as French numbers are.
        ("06 12 62 21 60", FRENCH_BODY, "NL", "+33612622160"),
        # Valid in Britain as 01234 567890, but printed without the 0 nobody there leaves out.
        ("(123) 456-7890", ENGLISH_BODY, "US", ""),
        # Not valid in the agency's France at all.
        ("(201) 723-8551", ENGLISH_BODY, "FR", "+12017238551"),
    ],
)
def test_a_national_number_is_read_where_it_is_printed_that_way(
    printed, body, default_region, expected
):
    parsed = parse_lines("Ana Ruiz", f"Tel: {printed}", *body, default_region=default_region)
    assert (parsed.phone, parsed.phone_as_printed) == (expected, printed)


def test_a_number_is_not_cut_to_the_part_valid_in_the_agencys_region():
    # phonenumbers' matcher, reading British numbers, takes "015556" (valid in Austria) alone.
    parsed = parse_lines("Lena Groß", "Mobil: 015556 976147", *GERMAN_BODY, default_region="GB")
    assert (parsed.phone, parsed.phone_as_printed) == ("+4915556976147", "015556 976147")


def test_the_headings_tell_the_language_of_a_resume_with_few_sentences():
    parsed = parse_lines(
        "Lukas Groß",
        "Mobil: 01529 4050032",
        "Berufserfahrung",
        "Teamleiter Logistik, Zahnradfabrik Lindau GmbH",
        "Ausbildung",
        "Studium der Rechtswissenschaften, Universität zu Köln",
        "Kenntnisse",
        "SAP, AutoCAD",
        "Sprachen",
        "Deutsch, Englisch",
    )
    assert parsed.phone == "+4915294050032"


@pytest.mark.parametrize(
    "first, second, expected",
    [
        ("Telefoon: +31 6", "14944139", "+31614944139"),
        ("Mobile: 07400", "123456 · Flat 2, 14 Princes Road", "+447400123456"),
    ],
)
def test_a_number_wrapped_in_a_narrow_column_is_joined(first, second, expected):
    parsed = parse_lines("Lotte de Vries", first, second, "lotte@example.nl", default_region="GB")
    assert parsed.phone == expected


@pytest.mark.parametrize(
    "printed, expected",
    [("0049 30 1234567", "+49301234567"), ("(0044) 20 7946 0958", "+442079460958")],
)
def test_the_00_international_prefix_is_read_as_plus(printed, expected):
    # Dialled from the US the prefix is 011, so phonenumbers reads "0049…" as a US number.
    parsed = parse_lines("Jane Roe", f"Tel: {printed}", default_region="US")
    assert (parsed.phone, parsed.phone_as_printed) == (expected, printed)


def test_an_invalid_number_keeps_only_its_printed_form():
    parsed = parse_lines("Jane Roe", "jane@example.com | (415) 123-4567")
    assert (parsed.phone, parsed.phone_as_printed) == ("", "(415) 123-4567")


def test_a_labelled_mobile_is_preferred():
    landline = example_phone("FR")
    mobile = example_phone("FR", phonenumbers.PhoneNumberType.MOBILE)
    parsed = parse_lines("Jane Roe", f"Tel: {landline} • Mobile: {mobile}")
    assert parsed.phone == e164(mobile)


def test_the_first_listed_phone_is_taken_when_none_is_labelled():
    parsed = parse_lines("John Doe", "+1 (234) 567 890", "+2 (345) 678 901", "+3 (456) 789 012")
    assert (parsed.phone, parsed.phone_as_printed) == ("", "+1 (234) 567 890")


def test_year_ranges_and_ids_are_not_phones():
    parsed = parse_lines("Jane Roe", "2018 - 2021", "ORCID 0000-0002-1825-0097", "Zip 10111")
    assert parsed.phone_as_printed == ""


@pytest.mark.parametrize("period", ["05/2024 - 03/2026", "2015 - 07/2019", "Mai 2019 – 08/2020"])
def test_a_date_range_above_the_contacts_is_not_a_phone(period):
    # "2024 - 03/2026" is a valid US number; a sidebar's contacts come after the main column.
    parsed = parse_lines("Jane Roe", period, "Accountant, Acme", "Phone: (415) 123-4567")
    assert (parsed.phone, parsed.phone_as_printed) == ("", "(415) 123-4567")


def test_a_year_is_not_a_printed_phone_where_british_numbers_are_read():
    parsed = parse_lines(
        "John Doe", "Siebel Scholar (Class of 2022)", "GPA: 3.97/4.00", "London, UK"
    )
    assert (parsed.phone, parsed.phone_as_printed) == ("", "")


def test_referee_contacts_are_never_the_candidates():
    referee_phone = example_phone("GB")
    parsed = parse_lines(
        "Jane Roe",
        "Experience",
        "Acme Corp, Engineer",
        "References",
        "Dr Alice Smith, Acme Corp",
        f"alice.smith@acme.example | {referee_phone}",
    )
    assert (parsed.email, parsed.phone, parsed.phone_as_printed) == ("", "", "")


def test_the_header_contact_wins_over_a_later_one():
    parsed = parse_lines(
        "Jane Roe",
        "jane@example.com",
        "Projects",
        "Contact the maintainers at team@project.example",
    )
    assert parsed.email == "jane@example.com"


# --- name -----------------------------------------------------------------------------------


def test_an_all_caps_name_is_title_cased():
    parsed = parse_lines("MARISSA MAYER", "Business Woman & Proud Geek", "mmayer@example.com")
    assert (parsed.full_name, parsed.first_name, parsed.last_name) == (
        "Marissa Mayer",
        "Marissa",
        "Mayer",
    )


def test_the_name_is_found_after_address_lines():
    parsed = parse_lines(
        "street and number",
        "postcode city",
        "+1 (234) 567 890",
        "john@doe.org",
        "www.johndoe.com",
        "",
        "John Doe",
        "Resumé title",
    )
    assert parsed.full_name == "John Doe"


def test_headings_update_lines_and_job_titles_are_not_names():
    parsed = parse_lines(
        "Curriculum Vitae", "Last updated in Mar 2026", "Product Manager", "Jane Roe"
    )
    assert parsed.full_name == "Jane Roe"


def test_the_email_breaks_ties_between_name_like_lines():
    parsed = parse_lines("Northern Lights", "Jane Roe", "jane.roe@example.com")
    assert parsed.full_name == "Jane Roe"


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Claud D. Park", ("Claud", "Park")),
        ("Ludwig van Beethoven", ("Ludwig", "van Beethoven")),
        ("Martin Luther King Jr.", ("Martin", "King")),
        ("Cher", ("Cher", "")),
        ("", ("", "")),
    ],
)
def test_split_name(full_name, expected):
    assert split_name(full_name) == expected


# --- DOCX and text files --------------------------------------------------------------------


def docx_paragraph(*runs: str) -> str:
    return "<w:p>" + "".join(f"<w:r><w:t>{escape(run)}</w:t></w:r>" for run in runs) + "</w:p>"


def make_docx(body: str = "", *, header: str = "", document: str = "") -> bytes:
    """A minimal Word package; `document` replaces the whole word/document.xml when given."""
    document = document or (
        f'<w:document xmlns:w="{WORD_NAMESPACE}"><w:body>{body}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", document)
        if header:
            archive.writestr(
                "word/header1.xml", f'<w:hdr xmlns:w="{WORD_NAMESPACE}">{header}</w:hdr>'
            )
    return buffer.getvalue()


def test_docx_paragraphs_tables_and_page_header_are_read():
    mobile = example_phone("GB", phonenumbers.PhoneNumberType.MOBILE)
    body = (
        docx_paragraph("Summary")
        + docx_paragraph("Engineer with ", "ten years of experience building payment systems.")
        + docx_paragraph("Experience")
        + "<w:tbl><w:tr>"
        + f"<w:tc>{docx_paragraph('Acme Corp, Senior Engineer')}</w:tc>"
        + f"<w:tc>{docx_paragraph('Jan 2020 - Present')}</w:tc>"
        + "</w:tr></w:tbl>"
    )
    header = (
        docx_paragraph("Jane Roe")
        + f"<w:p><w:r><w:t>jane@example.com</w:t><w:tab/><w:t>{mobile}</w:t></w:r></w:p>"
    )
    parsed = parse_resume(make_docx(body, header=header), "cv.docx", default_region="GB")

    assert parsed.full_name == "Jane Roe"
    assert parsed.email == "jane@example.com"
    assert parsed.phone == e164(mobile)
    assert parsed.summary == "Engineer with ten years of experience building payment systems."
    assert parsed.experience == [
        {
            "employer": "Acme Corp",
            "title": "Senior Engineer",
            "start": "Jan 2020",
            "end": "Present",
            "description": "",
        }
    ]


def test_docx_text_box_content_is_not_duplicated():
    # Word stores a text box twice: as mc:Choice and as an mc:Fallback for older readers.
    markup_compatibility = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    body = (
        f'<w:p xmlns:mc="{markup_compatibility}"><w:r><mc:AlternateContent>'
        f"<mc:Choice><w:txbxContent>{docx_paragraph('Jane Roe')}</w:txbxContent></mc:Choice>"
        f"<mc:Fallback><w:txbxContent>{docx_paragraph('Jane Roe')}</w:txbxContent></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    assert extract_text(make_docx(body), "cv.docx").split() == ["Jane", "Roe"]


def test_a_zip_without_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ParseError, match=r"^This \.docx file is not a Word document\.$"):
        extract_text(buffer.getvalue(), "resume.docx")


def test_a_docx_declaring_a_dtd_is_refused():
    entity_bomb = '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><d>&b;</d>'
    with pytest.raises(ParseError, match="unsupported XML"):
        extract_text(make_docx(document=entity_bomb), "cv.docx")


def test_a_docx_nested_too_deeply_is_refused():
    depth = 100_000
    body = "<w:p>" + "<w:r>" * depth + "<w:t>x</w:t>" + "</w:r>" * depth + "</w:p>"
    with pytest.raises(ParseError, match="nested too deeply"):
        extract_text(make_docx(body), "cv.docx")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_text_files_are_decoded(encoding):
    text = "Renée Dupont\nrenee@example.com\nRésumé"
    assert extract_text(text.encode(encoding), "cv.txt") == text


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (
            b"\x7fELF\x02\x01\x01" + bytes(64),
            "cv.pdf",
            "The file is not a valid PDF (it looks like a program).",
        ),
        (
            b"MZ\x90\x00" + bytes(64),
            "cv.docx",
            "This .docx file is not a Word document (it looks like a program).",
        ),
        (
            b"\x89PNG\r\n\x1a\n" + bytes(64),
            "cv.png",
            "Unsupported file type (it looks like an image)",
        ),
        (
            b"Jane Roe\njane@example.com",
            "cv.pdf",
            "The file is not a valid PDF (it looks like plain text).",
        ),
        (
            b"\x89PNG\r\n\x1a\n" + bytes(64),
            "cv.doc",
            "This .doc file is not a Word document (it looks like an image).",
        ),
        (b"", "cv.pdf", "The file is empty."),
    ],
)
def test_files_are_typed_by_content(data, filename, reason):
    with pytest.raises(ParseError) as raised:
        extract_text(data, filename)
    assert raised.value.reason.startswith(reason)


def test_a_pdf_renamed_to_txt_is_still_read_as_pdf():
    with pytest.raises(ParseError, match="damaged or truncated"):
        extract_text(b"%PDF-1.7\n1 0 obj\n<<", "cv.txt")


# --- sections -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Professional Summary", "summary"),
        ("PROFILE", "summary"),
        ("objective:", "summary"),
        ("Education", "education"),
        ("WORK EXPERIENCE", "experience"),
        ("Employment History", "experience"),
        ("Other Work Experience", "experience"),
        ("Referees", "references"),
        ("Technical Skills", "skills"),
        ("Welcome to RenderCV", None),
        ("Languages: Python, C++", None),
        ("Experience in Python and Go.", None),
    ],
)
def test_heading_kind(line, kind):
    assert heading_kind(line) == kind


def test_an_all_caps_heading_wrapped_over_lines_is_one_heading():
    sections = split_sections(["JOHN DOE", "RESEARCH", "EXPERIENCE", "Lab, Assistant"])
    assert [(s.kind, s.lines) for s in sections] == [
        ("header", ["JOHN DOE"]),
        ("experience", ["Lab, Assistant"]),
    ]


def test_summary_comes_from_the_profile_section_with_wrapped_words_joined():
    parsed = parse_lines(
        "Jane Roe", "Profile", "Backend engineer who ships reliable sys-", "tems.", "Skills", "Go"
    )
    assert parsed.summary == "Backend engineer who ships reliable systems."


def test_summary_falls_back_to_the_first_sentences():
    parsed = parse_lines(
        "Jane Roe",
        "jane@example.com",
        "",
        "I build data platforms for small teams and enjoy making them fast.",
        "",
        "Education",
        "State University, BSc Computer Science",
    )
    assert parsed.summary == "I build data platforms for small teams and enjoy making them fast."


def test_summaries_are_capped():
    sentence = "I have led many teams through difficult migrations over the years. "
    parsed = parse_lines(
        "Jane Roe", "Summary", sentence * 20, "Education", *["BSc Physics, Some University"] * 40
    )
    assert 0 < len(parsed.summary) <= 600 and parsed.summary.endswith(".")
    assert 0 < len(parsed.education_summary) <= 600
    assert parsed.education_summary.startswith("BSc Physics, Some University\n")


@pytest.mark.parametrize(
    ("dates", "start", "end"),
    [
        ("Jan 2020 - Present", "Jan 2020", "Present"),
        ("2018 – 2021", "2018", "2021"),
        ("06/2019 - 08/2020", "06/2019", "08/2020"),
        ("Sept. 2015 to June 2017", "Sept. 2015", "June 2017"),
    ],
)
def test_experience_date_formats(dates, start, end):
    parsed = parse_lines(
        "Jane Roe", "Experience", "Acme Corp, Data Analyst", dates, "• Built reports"
    )
    assert parsed.experience == [
        {
            "employer": "Acme Corp",
            "title": "Data Analyst",
            "start": start,
            "end": end,
            "description": "Built reports",
        }
    ]


@pytest.mark.parametrize("employer", ["Van der Berg Logistiek B.V.", "Grupo Alhambra S.L."])
def test_an_employer_ending_in_a_dotted_legal_form_keeps_its_entry(employer):
    # The final full stop of "B.V." is not the end of a sentence.
    parsed = parse_lines(
        "Jan de Vries", "Werkervaring", f"Teamleider, {employer} 05.2020 — 07.2022", "• Planning"
    )
    assert [(e["employer"], e["title"], e["start"], e["end"]) for e in parsed.experience] == [
        (employer, "Teamleider", "05.2020", "07.2022")
    ]


def test_unbulleted_duties_above_the_next_header_are_not_its_employer():
    parsed = parse_lines(
        "Sören Müller",
        "Berufserfahrung",
        "IT-Administrator, Zahnradfabrik Lindau GmbH",
        "01/2024 - 04/2026",
        "Optimierung der Lagerprozesse mit SAP",
        "Leitung eines Teams von 19 Mitarbeitern",
        "Softwareentwickler, Bäckerei Krause",
        "11/2020 - 09/2023",
        "Planung und Steuerung von Projekten",
    )
    assert [(e["employer"], e["title"]) for e in parsed.experience] == [
        ("Zahnradfabrik Lindau GmbH", "IT-Administrator"),
        ("Bäckerei Krause", "Softwareentwickler"),
    ]


def test_unbulleted_duties_below_a_header_under_its_date_are_not_its_employer():
    parsed = parse_lines(
        "Sara López",
        "Experiencia profesional",
        "Inditex 2021-03 – 2023-11",
        "Enfermera",
        "Reducción de costes operativos en un 23 %",
        "Aceites del Guadalquivir S.L. 2017-01 – 2020-12",
        "Contable",
        "Gestión de 37 clientes corporativos",
    )
    assert [(e["employer"], e["title"]) for e in parsed.experience] == [
        ("Inditex", "Enfermera"),
        ("Aceites del Guadalquivir S.L.", "Contable"),
    ]


def test_an_institution_under_a_long_line_is_not_its_wrapped_tail():
    parsed = parse_lines(
        "Sara López",
        "Formación académica",
        "septiembre 2012 - julio 2015 Máster en Marketing Digital",
        "Universidad de Granada",
        "septiembre 2009 - junio 2012 Grado en Administración y Dirección de Empresas",
        "Universidad de Sevilla",
    )
    assert [(e["institution"], e["degree"]) for e in parsed.education] == [
        ("Universidad de Granada", "Máster en Marketing Digital"),
        ("Universidad de Sevilla", "Grado en Administración y Dirección de Empresas"),
    ]


def test_experience_with_the_title_below_the_dates():
    parsed = parse_lines(
        "Jane Roe",
        "Work Experience",
        "Globex Inc.",
        "",
        "Seoul, S.Korea",
        "",
        "Mar. 2021 - Jun. 2023",
        "",
        "Site Reliability Engineer",
        "• Designed the infrastructure",
        "Initech Ltd.",
        "Berlin, Germany",
        "Platform Lead",
        "Feb. 2019 - Mar. 2021",
        "• Ran the platform team",
    )
    assert [(e["employer"], e["title"], e["start"]) for e in parsed.experience] == [
        ("Globex Inc.", "Site Reliability Engineer", "Mar. 2021"),
        ("Initech Ltd.", "Platform Lead", "Feb. 2019"),
    ]


def test_experience_with_each_date_right_under_its_title():
    parsed = parse_lines(
        "Jane Roe",
        "Experience",
        "Team Lead, Northwind Logistics",
        "Jan 2021 - Present",
        "Senior Associate, Contoso Group",
        "Mar 2018 - Dec 2020",
    )
    assert [(e["title"], e["employer"], e["start"]) for e in parsed.experience] == [
        ("Team Lead", "Northwind Logistics", "Jan 2021"),
        ("Senior Associate", "Contoso Group", "Mar 2018"),
    ]


def test_a_nested_sub_bullet_is_not_an_entry_header():
    parsed = parse_lines(
        "Jane Roe",
        "Experience",
        "May 2021 – Aug 2021",
        "Google DeepMind – London, UK",
        "Research Intern",
        "◆ Published research at top-tier venues",
        "◦ Invited journal extension (2023)",
        "",
        "May 2020 – Aug 2020",
        "",
        "Apple ML Research – Cupertino, CA",
        "Research Intern",
        "◆ Created a compression pipeline",
    )
    assert [(e["employer"], e["start"]) for e in parsed.experience] == [
        ("Google DeepMind", "May 2021"),
        ("Apple ML Research", "May 2020"),
    ]


def test_experience_with_a_date_column_printed_before_the_entries():
    parsed = parse_lines(
        "Jane Roe",
        "Experience",
        "June 2020 –",
        "Present",
        "",
        "July 2015 –",
        "May 2020",
        "",
        "Full Stack Developer, OpenAI, San Francisco, USA",
        "Working on the development of the chat product.",
        "Software Developer, Uber, San Francisco, CA, USA",
        "Developed features for the rider app.",
    )
    assert parsed.experience == [
        {
            "employer": "OpenAI",
            "title": "Full Stack Developer",
            "start": "June 2020",
            "end": "Present",
            "description": "Working on the development of the chat product.",
        },
        {
            "employer": "Uber",
            "title": "Software Developer",
            "start": "July 2015",
            "end": "May 2020",
            "description": "Developed features for the rider app.",
        },
    ]


# --- robustness and transport ---------------------------------------------------------------


def test_parsed_resume_round_trips_through_json():
    parsed = parse_lines(
        "Jane Roe", "jane@example.com", "Experience", "Acme, Engineer", "2019 - 2020"
    )
    restored = ParsedResume.from_dict(json.loads(json.dumps(parsed.to_dict())))
    assert restored == parsed
    assert ParsedResume.from_dict({"full_name": "X", "experience": [{"title": 3}, "junk"]}) == (
        ParsedResume(
            full_name="X",
            experience=[{"employer": "", "title": "3", "start": "", "end": "", "description": ""}],
        )
    )
    assert ParsedResume.from_dict(
        {"education": [{"institution": "TU Delft"}, 5], "skills": ["SQL", 3], "languages": "x"}
    ) == ParsedResume(
        education=[{"institution": "TU Delft", "degree": "", "start": "", "end": ""}],
        skills=["SQL"],
    )


@pytest.mark.parametrize("seed", range(20))
def test_parsing_never_crashes_on_garbage(seed):
    generator = random.Random(seed)
    alphabet = "aZ09 .,;:-–•|@()+/\n\t\u00ad\uf0e0ÉßЖ中"
    words = ["Experience", "Education", "References", "Summary", "2019 - 2020", "Present"]
    pieces = [
        generator.choice(words) if generator.random() < 0.2 else generator.choice(alphabet)
        for _ in range(generator.randint(0, 3000))
    ]
    parsed = parse_text(clean_text("".join(pieces)))
    assert isinstance(parsed, ParsedResume)


def test_the_parsing_modules_do_not_import_django():
    probe = (
        "import sys, candidates.parsing, candidates.sandbox, devtools.parser_eval; "
        # Every module of the package, also one that the package's __init__ does not import.
        "import importlib, json, pkgutil; "
        "names = [m.name for m in pkgutil.iter_modules(candidates.parsing.__path__)]; "
        "[importlib.import_module(f'candidates.parsing.{name}') for name in names]; "
        "django = sorted(m for m in sys.modules if m.split('.')[0] == 'django'); "
        "print(json.dumps({'parsing': names, 'django': django}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    imported = json.loads(result.stdout)
    assert {"files", "pdf", "docx", "pipeline"} <= set(imported["parsing"])
    assert imported["django"] == []
