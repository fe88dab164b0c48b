"""The generated resume corpus (devtools.resume_corpus) and its field-level evaluation."""

import random
import subprocess

import pytest

from devtools import field_eval
from devtools.resume_corpus.corpus import (
    DEFAULT_COUNT,
    SPECS,
    chromium_printer,
    plan_item,
    rasterise,
)
from devtools.resume_corpus.html import render_html
from devtools.resume_corpus.people import make_person
from devtools.resume_corpus.vocabulary import LANGUAGES
from devtools.resume_corpus.word import render_docx


def test_an_index_is_always_the_same_resume_and_seeds_differ():
    first, _person, _rng = plan_item(7, 12)
    again, _person, _rng = plan_item(7, 12)
    other, _person, _rng = plan_item(8, 12)
    assert first == again
    assert first.truth != other.truth


def test_the_corpus_covers_the_layouts_languages_and_producers():
    items = [plan_item(1, index)[0] for index in range(DEFAULT_COUNT)]
    assert DEFAULT_COUNT >= 300
    assert len({item.layout for item in items}) >= 12
    assert {item.language for item in items} == set(LANGUAGES)
    assert {item.producer for item in items} == {"chromium", "docx", "libreoffice", "scan"}
    # Every spec is printed in every language.
    assert len({(item.producer, item.layout, item.language) for item in items}) == 5 * len(SPECS)


def pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "resume.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def test_printed_resumes_hold_their_true_fields_and_scans_hold_no_text(tmp_path):
    person = make_person(random.Random(3), "de")
    with chromium_printer() as print_pdf:
        pdf = print_pdf(render_html(person, "sidebar_left", random.Random(3)))
    text = " ".join(pdftotext(pdf, tmp_path).split())
    for value in (person.full_name, person.email, person.phone_printed, person.jobs[0].employer):
        assert value in text
    assert pdftotext(rasterise(pdf, dpi=50), tmp_path).strip() == ""


def test_word_resumes_hold_their_true_fields():
    from candidates.parsing.docx import extract_docx_text

    person = make_person(random.Random(4), "fr")
    text = extract_docx_text(render_docx(person, "docx_header", random.Random(4)))
    for value in (person.full_name, person.email, person.schools[0].institution):
        assert value in text


@pytest.mark.parametrize(
    "printed, normalised",
    [
        ("März 2019", "2019-03"),
        ("janv. 2020", "2020-01"),
        ("03/2018", "2018-03"),
        ("03.2018", "2018-03"),
        ("2018-3", "2018-03"),
        ("mrt. 2017", "2017-03"),
        ("2016", "2016"),
        ("aujourd'hui", "present"),
        ("Actualidad", "present"),
        ("", ""),
    ],
)
def test_dates_are_normalised_for_comparison(printed, normalised):
    assert field_eval.norm_date(printed) == normalised


def test_an_entry_counts_only_when_every_part_matches():
    score = field_eval.DocumentScore()
    truth = [
        {"employer": "Acme GmbH", "title": "Koch", "start": "2019-03", "end": "present"},
        {"employer": "Beta AG", "title": "Kellner", "start": "2017-01", "end": "2019-02"},
    ]
    parsed = [
        {"employer": "ACME GmbH", "title": "Koch", "start": "März 2019", "end": "heute"},
        {"employer": "Beta AG", "title": "Kellner", "start": "2017", "end": "Feb 2019"},
        {"employer": "Python", "title": "SQL", "start": "", "end": ""},
    ]
    field_eval.score_entries(score, "experience", parsed, truth)
    scores = score.counts["experience"].scores()
    assert (scores["precision"], scores["recall"]) == (1 / 3, 1 / 2)
    assert score.counts["experience.employer"].correct == 2
    assert score.counts["experience.start"].correct == 1


def test_a_field_holding_most_of_the_document_is_flagged():
    from candidates.parsing import ParsedResume

    text = "Profil\n" + "Lange Zeile mit vielen Wörtern. " * 20
    assert field_eval.swallowed_fields(ParsedResume(text=text, summary=text[7:])) == ["summary"]
    assert field_eval.swallowed_fields(ParsedResume(text=text, summary=text[7:60])) == []
