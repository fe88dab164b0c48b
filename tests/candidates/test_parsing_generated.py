"""One test per failure class of the resume parser, each on a resume printed by the corpus
generator (devtools.resume_corpus), whose true fields are known."""

import random

import pytest

from candidates.parsing import parse_resume
from candidates.parsing.dates import normalise_date
from devtools.resume_corpus.corpus import chromium_printer
from devtools.resume_corpus.html import render_html
from devtools.resume_corpus.people import make_person, truth
from devtools.resume_corpus.word import render_docx


@pytest.fixture(scope="module")
def print_pdf():
    with chromium_printer() as printer:
        yield printer


def entries(parsed_entries, keys=("employer", "title", "start", "end")):
    return [
        tuple(normalise_date(e[k]) if k in ("start", "end") else e[k] for k in keys)
        for e in parsed_entries
    ]


def true_entries(person, kind="experience", keys=("employer", "title", "start", "end")):
    return [tuple(e[k] for k in keys) for e in truth(person)[kind]]


def printed(print_pdf, language, layout, seed):
    person = make_person(random.Random(seed), language)
    pdf = print_pdf(render_html(person, layout, random.Random(seed)))
    return person, parse_resume(pdf, "cv.pdf", default_region="GB")


def test_a_sidebar_is_read_apart_from_the_main_column(print_pdf):
    person, parsed = printed(print_pdf, "en", "sidebar_left", 11)
    assert entries(parsed.experience) == true_entries(person)
    employers_and_titles = {e["employer"] for e in parsed.experience} | {
        e["title"] for e in parsed.experience
    }
    assert not employers_and_titles & set(person.skills)
    assert len(set(person.skills) & set(parsed.skills)) >= len(person.skills) / 2


def test_the_tab_separated_words_of_a_line_are_read_together(print_pdf):
    # pdfminer cuts "Tel.:<TAB>+49<TAB>30<TAB>876475" at its TAB stops into boxes of their own,
    # one of them holding the TAB stop's words of the lines below too.
    person, parsed = printed(print_pdf, "de", "tabs", 0)
    assert f"{person.phone_label}: {person.phone_printed}" in parsed.text.split("\n")
    assert parsed.phone == person.phone_e164
    assert entries(parsed.experience) == true_entries(person)


def test_the_tab_separated_words_inside_one_box_are_read_together(print_pdf):
    # Here pdfminer keeps "+31", "4759" and "10 876" of one line as three lines of one box.
    person, parsed = printed(print_pdf, "nl", "tabs", 0)
    assert person.phone_printed in parsed.text.split("\n")
    assert parsed.phone == person.phone_e164


def test_letter_spaced_headings_are_found(print_pdf):
    person, parsed = printed(print_pdf, "en", "letter_spaced", 5)
    assert entries(parsed.experience) == true_entries(person)
    assert entries(parsed.education, ("institution", "degree", "start", "end")) == true_entries(
        person, "education", ("institution", "degree", "start", "end")
    )


@pytest.mark.parametrize("language", ["de", "fr"])
def test_headings_months_and_ongoing_forms_in_other_languages(language):
    person = make_person(random.Random(21), language)
    person.date_style = "month_name"
    parsed = parse_resume(render_docx(person, "docx_plain", random.Random(21)), "cv.docx")
    assert entries(parsed.experience) == true_entries(person)
    assert parsed.summary == person.summary


def test_unbulleted_accomplishments_never_replace_the_next_employer(print_pdf):
    person, parsed = printed(print_pdf, "de", "one_column", 40)
    assert [e["employer"] for e in parsed.experience] == [job.employer for job in person.jobs]
    assert parsed.experience[0]["description"].split("\n") == person.jobs[0].duties


def test_a_national_phone_is_read_in_the_country_of_the_address():
    person = make_person(random.Random(2), "es")
    person.phone_printed = "612 34 56 78"
    person.phone_label = "Móvil"
    person.city_line += ", España"
    parsed = parse_resume(
        render_docx(person, "docx_plain", random.Random(2)), "cv.docx", default_region="US"
    )
    assert parsed.phone == "+34612345678"


def test_education_skills_and_languages_are_structured():
    person = make_person(random.Random(8), "fr")
    parsed = parse_resume(render_docx(person, "docx_header", random.Random(8)), "cv.docx")
    keys = ("institution", "degree", "start", "end")
    assert entries(parsed.education, keys) == true_entries(person, "education", keys)
    assert parsed.skills == person.skills
    assert parsed.languages == [name for name, _level in person.spoken]


def test_no_field_holds_most_of_a_word_resume():
    person = make_person(random.Random(13), "nl")
    parsed = parse_resume(render_docx(person, "docx_plain", random.Random(13)), "cv.docx")
    assert len(parsed.summary) < len(parsed.text) / 2
    assert parsed.summary == person.summary
