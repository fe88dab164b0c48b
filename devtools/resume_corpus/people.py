"""Fake people with known resume fields, drawn deterministically from a random.Random.

A Person holds the truth (what a perfect parser returns) and how the resume prints it (date
style, phone format, labels), so that every producer prints the same person the same way.
"""

import random
import re
import unicodedata
from dataclasses import dataclass, field

import phonenumbers

from devtools.resume_corpus import vocabulary as v

DATE_STYLES = ("month_name", "month_abbr", "numeric_slash", "numeric_dot", "iso", "year")
DASHES = (" – ", " - ", "–", " — ", " word ")
NOW_YEAR = 2026


@dataclass
class Job:
    employer: str
    title: str
    start: tuple[int, int | None]
    end: tuple[int, int | None] | None  # None: ongoing
    duties: list[str]
    city: str


@dataclass
class School:
    institution: str
    degree: str
    start: tuple[int, int | None]
    end: tuple[int, int | None]


@dataclass
class Person:
    language: str
    region: str
    first_name: str
    last_name: str
    email: str
    phone_e164: str
    phone_printed: str
    phone_label: str
    email_label: str
    street: str
    city_line: str
    country: str
    headline: str
    summary: str
    jobs: list[Job]
    schools: list[School]
    skills: list[str]
    spoken: list[tuple[str, str]]
    date_style: str
    dash: str
    present: str
    headings: dict[str, str] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def date(self, when: tuple[int, int | None] | None) -> str:
        """A date as this resume prints it; None is the ongoing form ("heute")."""
        if when is None:
            return self.present
        year, month = when
        if month is None or self.date_style == "year":
            return str(year)
        names, abbreviations = v.MONTHS[self.language]
        return {
            "month_name": f"{names[month - 1]} {year}",
            "month_abbr": f"{abbreviations[month - 1]} {year}",
            "numeric_slash": f"{month:02d}/{year}",
            "numeric_dot": f"{month:02d}.{year}",
            "iso": f"{year}-{month:02d}",
        }[self.date_style]

    def date_range(self, start, end) -> str:
        dash = f" {v.RANGE_WORDS[self.language]} " if self.dash == " word " else self.dash
        return f"{self.date(start)}{dash}{self.date(end)}"


def truth_date(when: tuple[int, int | None] | None, style: str) -> str:
    """ "2019-03", "2019" (printed without a month) or "present"."""
    if when is None:
        return "present"
    year, month = when
    return str(year) if month is None or style == "year" else f"{year}-{month:02d}"


def truth(person: Person) -> dict:
    """The fields a perfect parser returns, as plain data."""
    style = person.date_style
    return {
        "full_name": person.full_name,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone_e164,
        "phone_as_printed": person.phone_printed,
        "summary": person.summary,
        "experience": [
            {
                "employer": job.employer,
                "title": job.title,
                "start": truth_date(job.start, style),
                "end": truth_date(job.end, style),
                "description": "\n".join(job.duties),
            }
            for job in person.jobs
        ],
        "education": [
            {
                "institution": school.institution,
                "degree": school.degree,
                "start": truth_date(school.start, style),
                "end": truth_date(school.end, style),
            }
            for school in person.schools
        ],
        "skills": list(person.skills),
        "languages": [name for name, _level in person.spoken],
    }


def make_person(rng: random.Random, language: str, *, jobs: int = 3) -> Person:
    first, last = rng.choice(v.FIRST_NAMES[language]), rng.choice(v.LAST_NAMES[language])
    region, street, city_line, country = rng.choice(v.ADDRESSES[language])
    e164, printed = make_phone(rng, region)
    headline = rng.choice(v.TITLES[language])
    date_style = rng.choice(DATE_STYLES)
    career = make_jobs(rng, language, jobs, date_style)
    return Person(
        language=language,
        region=region,
        first_name=first,
        last_name=last,
        email=make_email(rng, language, first, last),
        phone_e164=e164,
        phone_printed=printed,
        phone_label=rng.choice(v.PHONE_LABELS[language]),
        email_label=rng.choice(v.EMAIL_LABELS[language]),
        street=street.format(n=rng.randint(1, 180)),
        city_line=city_line,
        country=country,
        headline=headline,
        summary=make_summary(rng, language, headline),
        jobs=career,
        schools=make_schools(rng, language, career[-1].start[0], date_style),
        skills=rng.sample(v.SKILLS[language], rng.randint(4, 8)),
        spoken=make_spoken(rng, language),
        date_style=date_style,
        dash=rng.choice(DASHES),
        present=rng.choice(v.PRESENT[language]),
        headings={kind: rng.choice(v.HEADINGS[kind][language]) for kind in v.HEADINGS},
    )


def ascii_letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"[^a-z]", "", decomposed.encode("ascii", "ignore").decode())


def make_email(rng: random.Random, language: str, first: str, last: str) -> str:
    local = rng.choice(
        [
            f"{ascii_letters(first)}.{ascii_letters(last)}",
            f"{ascii_letters(first)[0]}{ascii_letters(last)}",
            f"{ascii_letters(first)}{ascii_letters(last)}{rng.randint(1, 99)}",
            f"{ascii_letters(first)}_{ascii_letters(last)}",
        ]
    )
    return f"{local}@{rng.choice(v.EMAIL_DOMAINS[language])}"


def make_phone(rng: random.Random, region: str) -> tuple[str, str]:
    """(E.164, as printed) of a valid number, printed the national or the international way."""
    kind = rng.choice(
        [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
    )
    example = phonenumbers.example_number_for_type(region, kind)
    national = str(example.national_number)
    while True:
        keep = 3 if region in ("US", "GB") else 2
        digits = national[:keep] + "".join(
            str(rng.randint(0, 9)) for _ in range(len(national) - keep)
        )
        number = phonenumbers.parse(f"+{example.country_code}{digits}")
        if phonenumbers.is_valid_number(number) and "555" not in digits[3:6]:
            break
    style = rng.choice(
        [phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.NATIONAL]
    )
    printed = phonenumbers.format_number(number, style)
    if region == "FR" and rng.random() < 0.4:
        printed = printed.replace(" ", ".")
    elif region in ("DE", "NL") and rng.random() < 0.3:
        printed = printed.replace(" ", "-", 1)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), printed


def make_summary(rng: random.Random, language: str, headline: str) -> str:
    first, *others = v.SUMMARY_SENTENCES[language]
    opening = first.format(
        title=headline, years=rng.randint(3, 15), field=rng.choice(v.FIELDS_OF_WORK[language])
    )
    return " ".join([opening, *rng.sample(others, rng.randint(1, 3))])


def make_jobs(rng: random.Random, language: str, count: int, date_style: str) -> list[Job]:
    """Jobs newest first; the newest may be ongoing."""
    jobs: list[Job] = []
    year, month = NOW_YEAR, rng.randint(1, 10)
    employers = rng.sample(v.EMPLOYERS[language], count)
    for index, employer in enumerate(employers):
        ongoing = index == 0 and rng.random() < 0.6
        end = None if ongoing else (year, month)
        length = rng.randint(8, 50)
        start_index = year * 12 + month - 1 - length
        start = (start_index // 12, start_index % 12 + 1)
        _region, _street, city_line, _country = rng.choice(v.ADDRESSES[language])
        jobs.append(
            Job(
                employer=employer,
                title=rng.choice(v.TITLES[language]),
                start=start if date_style != "year" else (start[0], None),
                end=end if end is None or date_style != "year" else (end[0], None),
                duties=[
                    duty.format(n=rng.randint(3, 40))
                    for duty in rng.sample(v.DUTIES[language], rng.randint(1, 3))
                ],
                city=city_of(city_line),
            )
        )
        gap = rng.randint(0, 4)
        previous = start_index - gap
        year, month = previous // 12, previous % 12 + 1
    return jobs


def city_of(city_line: str) -> str:
    """ "San Francisco, CA 94103" -> "San Francisco"; "1015 CJ Amsterdam" -> "Amsterdam"."""
    return " ".join(re.sub(r"\b\w*\d\w*\b|\b[A-Z]{2}\b|,", " ", city_line).split())


def make_schools(
    rng: random.Random, language: str, before_year: int, date_style: str
) -> list[School]:
    schools: list[School] = []
    end_year = before_year
    for institution in rng.sample(v.SCHOOLS[language], rng.randint(1, 2)):
        length = rng.randint(2, 5)
        months = (rng.choice([9, 10]), rng.choice([6, 7])) if date_style != "year" else (None, None)
        schools.append(
            School(
                institution=institution,
                degree=rng.choice(v.DEGREES[language]),
                start=(end_year - length, months[0]),
                end=(end_year, months[1]),
            )
        )
        end_year -= length
    return schools


def make_spoken(rng: random.Random, language: str) -> list[tuple[str, str]]:
    names, levels = v.SPOKEN[language]
    chosen = [names[0], *rng.sample(names[1:], rng.randint(1, 3))]
    return [
        (name, levels[0] if index == 0 else rng.choice(levels[1:]))
        for index, name in enumerate(chosen)
    ]
