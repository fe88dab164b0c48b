"""A Person as an HTML page in one of the layouts, for Chromium to print to PDF."""

import random
from html import escape

from devtools.resume_corpus.people import Job, Person, School

HTML_LAYOUTS = (
    "one_column",
    "two_columns",
    "sidebar_left",
    "sidebar_right",
    "table",
    "letter_spaced",
    "all_caps",
    "icons",
    "header_footer",
    "multi_page",
    "tabs",
    "dates_right",
    "date_column",
)
ICONS = {"phone": "☎", "email": "✉", "address": "⌂"}
JOB_STYLES = (
    "title_comma_employer",
    "employer_then_title",
    "title_then_employer",
    "date_first",
    "title_at_employer",
)
BULLETS = ("• ", "– ", "▪ ", "")

CSS = """
@page { size: A4; margin: 16mm 15mm; }
body { font-family: %(font)s; font-size: %(size)spt; line-height: 1.35; color: #222; margin: 0; }
h1 { font-size: 22pt; margin: 0 0 2pt; }
.headline { font-size: 12pt; color: #555; margin: 0 0 6pt; }
h2 { font-size: 12.5pt; margin: 12pt 0 4pt; border-bottom: 1px solid #999; color: #1b4f72; }
.caps h2 { text-transform: uppercase; }
.spaced h2 { text-transform: uppercase; letter-spacing: 0.35em; }
.entry { margin: 0 0 7pt; break-inside: avoid; }
.row { display: flex; justify-content: space-between; gap: 12pt; }
.muted { color: #666; }
ul { margin: 2pt 0 0 14pt; padding: 0; }
p { margin: 0 0 3pt; }
.contact p { margin: 0; }
.grid { display: grid; gap: 0 18pt; }
.two { grid-template-columns: 1fr 1fr; }
.left { grid-template-columns: 32%% 1fr; }
.right { grid-template-columns: 1fr 32%%; }
.side { background: #eef2f5; padding: 8pt; }
.datecol { display: grid; grid-template-columns: 30mm 1fr; gap: 0 8pt; }
table { border-collapse: collapse; width: 100%%; }
td { vertical-align: top; padding: 2pt 6pt 6pt 0; }
td.when { width: 32mm; color: #555; }
.fixed-top { position: fixed; top: 0; left: 0; right: 0; font-size: 9pt; color: #555; border-bottom: 1px solid #ccc; }
.fixed-bottom { position: fixed; bottom: 0; left: 0; right: 0; font-size: 8pt; color: #777; text-align: center; }
.page-body { padding-top: 20mm; }
.tabbed { white-space: pre; tab-size: 6; }
"""


class HtmlResume:
    def __init__(self, person: Person, layout: str, rng: random.Random) -> None:
        self.p, self.layout, self.rng = person, layout, rng
        self.job_style = rng.choice(JOB_STYLES)
        self.bullet = rng.choice(BULLETS)
        self.skills_inline = rng.random() < 0.5
        self.show_country = rng.random() < 0.5

    # Pieces ---------------------------------------------------------------------------------

    def heading(self, kind: str) -> str:
        return f"<h2>{escape(self.p.headings[kind])}</h2>"

    def contact_items(self) -> list[str]:
        p = self.p
        address = f"{p.street}, {p.city_line}" + (f", {p.country}" if self.show_country else "")
        if self.layout == "icons":
            items = [
                f"{ICONS['phone']} {p.phone_printed}",
                f"{ICONS['email']} {p.email}",
                f"{ICONS['address']} {address}",
            ]
        else:
            items = [f"{p.phone_label}: {p.phone_printed}", f"{p.email_label}: {p.email}", address]
        return [escape(item) for item in items]

    def tab(self, *parts: str) -> str:
        """Parts joined with TABs in the tabs layout (a pre-formatted line), spaces elsewhere."""
        if self.layout == "tabs":
            return f'<div class="tabbed">{escape(chr(9).join(parts))}</div>'
        return f"<p>{escape(' '.join(parts))}</p>"

    def header(self) -> str:
        p = self.p
        if self.layout == "tabs":
            contacts = (
                self.tab(p.phone_label + ":", *p.phone_printed.split(" "))
                + self.tab(p.email_label + ":", p.email)
                + self.tab(*f"{p.street}, {p.city_line}".split(" "))
            )
            name = f'<h1 class="tabbed">{escape(chr(9).join(p.full_name.split(" ")))}</h1>'
        else:
            name = f"<h1>{escape(p.full_name.upper() if self.layout == 'all_caps' else p.full_name)}</h1>"
            separator = " · " if self.layout in ("one_column", "dates_right") else None
            items = self.contact_items()
            contacts = (
                f"<p>{separator.join(items)}</p>"
                if separator
                else "".join(f"<p>{item}</p>" for item in items)
            )
        return f'{name}<p class="headline">{escape(p.headline)}</p><div class="contact">{contacts}</div>'

    def summary(self) -> str:
        return self.heading("summary") + f"<p>{escape(self.p.summary)}</p>"

    def duties(self, job: Job) -> str:
        if not self.bullet:
            return "<ul>" + "".join(f"<li>{escape(d)}</li>" for d in job.duties) + "</ul>"
        return "".join(f"<p>{escape(self.bullet + d)}</p>" for d in job.duties)

    def job(self, job: Job) -> str:
        p, when = self.p, escape(self.p.date_range(job.start, job.end))
        title, employer = escape(job.title), escape(job.employer)
        if self.layout in ("table", "date_column"):
            return self.dated(
                when,
                f"<p><b>{title}</b></p><p>{employer}, {escape(job.city)}</p>{self.duties(job)}",
            )
        if self.layout == "tabs":
            return f'<div class="entry">{self.tab(p.date_range(job.start, job.end), job.title)}<p>{employer}</p>{self.duties(job)}</div>'
        at = {"en": "at", "de": "bei", "fr": "chez", "es": "en", "nl": "bij"}[p.language]
        head = {
            "title_comma_employer": f"<p><b>{title}</b>, {employer}</p><p class='muted'>{when}</p>",
            "employer_then_title": f"<div class='row'><b>{employer}</b><span>{when}</span></div><p><i>{title}</i></p>",
            "title_then_employer": f"<p><b>{title}</b></p><p>{employer} · {escape(job.city)}</p><p class='muted'>{when}</p>",
            "date_first": f"<p class='muted'>{when}</p><p><b>{title}</b> | {employer}</p>",
            "title_at_employer": f"<p><b>{title}</b> {at} {employer}</p><p class='muted'>{when}</p>",
        }[self.job_style]
        if self.layout == "dates_right":
            head = f"<div class='row'><span><b>{title}</b> – {employer}</span><span>{when}</span></div>"
        return f'<div class="entry">{head}{self.duties(job)}</div>'

    def dated(self, when: str, body: str) -> str:
        if self.layout == "table":
            return (
                f'<table class="entry"><tr><td class="when">{when}</td><td>{body}</td></tr></table>'
            )
        return f'<div class="datecol entry"><div class="muted">{when}</div><div>{body}</div></div>'

    def school(self, school: School) -> str:
        p = self.p
        when = escape(p.date_range(school.start, school.end))
        degree, institution = escape(school.degree), escape(school.institution)
        if self.layout in ("table", "date_column"):
            return self.dated(when, f"<p><b>{degree}</b></p><p>{institution}</p>")
        if self.layout == "tabs":
            return f'<div class="entry">{self.tab(p.date_range(school.start, school.end), *school.degree.split(" "))}{self.tab(*school.institution.split(" "))}</div>'
        if self.job_style in ("employer_then_title", "date_first"):
            return f"<div class='entry'><div class='row'><b>{institution}</b><span>{when}</span></div><p>{degree}</p></div>"
        return f"<div class='entry'><p><b>{degree}</b></p><p>{institution}</p><p class='muted'>{when}</p></div>"

    def experience(self) -> str:
        return self.heading("experience") + "".join(self.job(job) for job in self.p.jobs)

    def education(self) -> str:
        return self.heading("education") + "".join(self.school(s) for s in self.p.schools)

    def skills(self) -> str:
        items = [escape(s) for s in self.p.skills]
        body = (
            f"<p>{', '.join(items)}</p>"
            if self.skills_inline
            else "".join(f"<p>{s}</p>" for s in items)
        )
        return self.heading("skills") + body

    def languages(self) -> str:
        items = [f"{escape(name)} ({escape(level)})" for name, level in self.p.spoken]
        return self.heading("languages") + "".join(f"<p>{item}</p>" for item in items)

    # Pages ----------------------------------------------------------------------------------

    def body(self) -> str:
        layout = self.layout
        main = self.summary() + self.experience() + self.education()
        if layout == "two_columns":
            return (
                self.header()
                + f'<div class="grid two"><div>{self.summary()}{self.experience()}</div><div>{self.education()}{self.skills()}{self.languages()}</div></div>'
            )
        if layout in ("sidebar_left", "sidebar_right"):
            contact = self.heading("contact") + "".join(f"<p>{c}</p>" for c in self.contact_items())
            side = f'<div class="side">{contact}{self.skills()}{self.languages()}</div>'
            name = f"<h1>{escape(self.p.full_name)}</h1><p class='headline'>{escape(self.p.headline)}</p>"
            content = f"<div>{name}{main}</div>"
            columns = side + content if layout == "sidebar_left" else content + side
            return f'<div class="grid {"left" if layout == "sidebar_left" else "right"}">{columns}</div>'
        if layout == "header_footer":
            p = self.p
            top = f'<div class="fixed-top">{escape(p.full_name)} · {self.contact_items()[0]} · {escape(p.email)}</div>'
            bottom = f'<div class="fixed-bottom">{escape(p.full_name)} – Curriculum Vitae</div>'
            return (
                top
                + bottom
                + f'<div class="page-body"><p class="headline">{escape(p.headline)}</p>{main}{self.skills()}{self.languages()}</div>'
            )
        return self.header() + main + self.skills() + self.languages()

    def document(self) -> str:
        classes = {"all_caps": "caps", "letter_spaced": "spaced"}.get(self.layout, "")
        if self.layout not in ("all_caps", "letter_spaced") and self.rng.random() < 0.15:
            classes = "caps"
        font = self.rng.choice(
            ["'DejaVu Sans'", "'Liberation Sans'", "'Liberation Serif'", "'DejaVu Serif'"]
        )
        size = self.rng.choice(["9.5", "10", "10.5", "11"])
        style = CSS % {"font": font, "size": size}
        return (
            f'<!doctype html><html lang="{self.p.language}"><head><meta charset="utf-8">'
            f"<style>{style}</style></head><body class='{classes}'>{self.body()}</body></html>"
        )


def render_html(person: Person, layout: str, rng: random.Random) -> str:
    return HtmlResume(person, layout, rng).document()
