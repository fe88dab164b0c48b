"""A Person as a Word document (python-docx): plain paragraphs, a sidebar table, or a page header."""

import io
import random

from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Cm, Pt

from devtools.resume_corpus.people import Person

DOCX_LAYOUTS = ("docx_plain", "docx_table", "docx_header")


def render_docx(person: Person, layout: str, rng: random.Random) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = rng.choice(["Calibri", "Arial", "Liberation Sans"])
    style.font.size = Pt(rng.choice([10, 10.5, 11]))
    contacts = [
        f"{person.phone_label}: {person.phone_printed}",
        f"{person.email_label}: {person.email}",
        f"{person.street}, {person.city_line}",
    ]
    if layout == "docx_header":
        header = document.sections[0].header
        header.paragraphs[0].text = person.full_name
        header.add_paragraph(" | ".join(contacts))
        body = document
    elif layout == "docx_table":
        table = document.add_table(rows=1, cols=2)
        side, body = table.rows[0].cells
        side.width, body.width = Cm(5.5), Cm(11.5)
        side.paragraphs[0].text = person.full_name
        for line in contacts:
            side.add_paragraph(line)
        add_list(side, person.headings["skills"], person.skills)
        add_list(side, person.headings["languages"], [f"{n} ({lv})" for n, lv in person.spoken])
    else:
        document.add_heading(person.full_name, level=0)
        for line in contacts:
            document.add_paragraph(line)
        body = document
    add_heading(body, person.headings["summary"])
    body.add_paragraph(person.summary)
    add_heading(body, person.headings["experience"])
    for job in person.jobs:
        line = body.add_paragraph()
        line.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)
        line.add_run(f"{job.title}, {job.employer}").bold = True
        line.add_run("\t" + person.date_range(job.start, job.end))
        for duty in job.duties:
            body.add_paragraph(f"• {duty}")
    add_heading(body, person.headings["education"])
    for school in person.schools:
        body.add_paragraph(f"{person.date_range(school.start, school.end)}\t{school.degree}")
        body.add_paragraph(school.institution)
    if layout != "docx_table":
        add_list(body, person.headings["skills"], [", ".join(person.skills)])
        add_list(body, person.headings["languages"], [f"{n} ({lv})" for n, lv in person.spoken])
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def add_heading(container, text: str) -> None:
    """A heading paragraph: bold, larger text (python-docx table cells have no add_heading)."""
    run = container.add_paragraph().add_run(text)
    run.bold = True
    run.font.size = Pt(13)


def add_list(container, heading: str, items: list[str]) -> None:
    add_heading(container, heading)
    for item in items:
        container.add_paragraph(item)
