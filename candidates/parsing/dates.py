"""Dates and date ranges as resumes print them, in English, German, French, Spanish and Dutch.

"Jan 2019 – Present", "03/2020 bis heute", "janv. 2019 à aujourd'hui", "2018-05",
"mrt. 2017 - heden".
normalise_date turns a printed date into "2019-03", "2019" or "present".
"""

import re
import unicodedata

# Month names and abbreviations by month number, all five languages together.
MONTH_NAMES = {
    1: ["january", "jan", "januar", "janvier", "janv", "enero", "ene", "januari", "jänner"],
    2: ["february", "feb", "februar", "février", "févr", "fevrier", "fevr", "febrero", "februari"],
    3: ["march", "mar", "märz", "marz", "maerz", "mars", "marzo", "maart", "mrt", "mär"],
    4: ["april", "apr", "avril", "avr", "abril", "abr"],
    5: ["may", "mai", "mayo", "mei"],
    6: ["june", "jun", "juni", "juin", "junio"],
    7: ["july", "jul", "juli", "juillet", "juil", "julio"],
    8: ["august", "aug", "août", "aout", "agosto", "ago", "augustus"],
    9: ["september", "sep", "sept", "septembre", "septiembre", "setiembre"],
    10: ["october", "oct", "oktober", "okt", "octobre", "octubre"],
    11: ["november", "nov", "novembre", "noviembre"],
    12: ["december", "dec", "dezember", "dez", "décembre", "déc", "decembre", "diciembre", "dic"],
}
MONTH_NUMBERS = {name: number for number, names in MONTH_NAMES.items() for name in names}
MONTH = (
    "(?:" + "|".join(sorted((re.escape(n) for n in MONTH_NUMBERS), key=len, reverse=True)) + r")\.?"
)
YEAR = r"(?:19|20)\d{2}"
DATE = rf"(?:{MONTH}\s*{YEAR}|\d{{1,2}}\s?[/.]\s?{YEAR}|{YEAR}-\d{{2}}(?!\d)|{YEAR})"
ONGOING_WORDS = (
    "present",
    "current",
    "now",
    "ongoing",
    "today",
    "date",
    "heute",
    "aktuell",
    "jetzt",
    "dato",
    "aujourd'hui",
    "aujourd’hui",
    "présent",
    "ce jour",
    "à ce jour",
    "actualidad",
    "presente",
    "hoy",
    "la fecha",
    "actual",
    "heden",
    "nu",
    "huidig",
)
ONGOING = (
    r"(?:(?:bis\s+|to\s+|à\s+|a\s+)?(?:"
    + "|".join(re.escape(w) for w in sorted(ONGOING_WORDS, key=len, reverse=True))
    + r"))"
)
RANGE_SEPARATOR = r"(?:\s*[-–—‒]+\s*|\s+(?:to|until|till|bis|à|au|a|hasta|tot|t/m)\s+)"
DATE_RANGE = re.compile(
    rf"(?<![\w/.])(?:(?:since|seit|depuis|desde|sinds|von|de|du|van)\s+)?"
    rf"(?P<start>{DATE}){RANGE_SEPARATOR}(?P<end>{DATE}|{ONGOING})(?![\w/])",
    re.IGNORECASE,
)
SINGLE_DATE = re.compile(
    rf"(?<![\w/.])(?P<start>{MONTH}\s*{YEAR}|\d{{1,2}}\s?[/.]\s?{YEAR})(?![\w/])", re.IGNORECASE
)
# "seit 03/2020", "depuis 2019", "desde 2021": an ongoing period with its start only.
SINCE_DATE = re.compile(
    rf"(?<![\w/])(?:since|seit|depuis|desde|sinds)\s+(?P<start>{DATE})(?![\w/])", re.IGNORECASE
)
# "February 10, 2026": a day-precise date is a print date in a footer, not an employment period.
FULL_DATE = re.compile(rf"^{MONTH}\s+\d{{1,2}},?\s+{YEAR}$", re.IGNORECASE)
OPEN_RANGE = re.compile(rf"{DATE}\s*[-–—]+$", re.IGNORECASE)
RANGE_END = re.compile(rf"^(?:{DATE}|{ONGOING})(?!\w)", re.IGNORECASE)
DURATION = re.compile(
    r"^\(?(?:\d+\s+(?:years?|yrs?|months?|mos?|jahre?n?|monate?n?|ans?|mois|años?|meses|"
    r"ja(?:ar)?|maanden)\s*)+\)?$",
    re.IGNORECASE,
)


def is_date_only(line: str) -> bool:
    match = DATE_RANGE.search(line) or SINCE_DATE.search(line) or SINGLE_DATE.search(line)
    return bool(match) and not line.replace(match.group(), "").strip(" |,–—-()")


def find_period(line: str) -> tuple[re.Match, str, str] | None:
    """(match, start, end) of the first date range, "since" date or single month in the line."""
    if match := DATE_RANGE.search(line):
        return match, match.group("start"), match.group("end")
    if match := SINCE_DATE.search(line):
        return match, match.group("start"), "present"
    if match := SINGLE_DATE.search(line):
        return match, match.group("start"), ""
    return None


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise_date(printed: str) -> str:
    """ "März 2019" -> "2019-03", "03/2019" -> "2019-03", "2019" -> "2019", "heute" -> "present";
    "" when the text is not a date."""
    text = " ".join(printed.strip().casefold().replace("’", "'").split())
    if not text:
        return ""
    if re.fullmatch(ONGOING, text, re.IGNORECASE):
        return "present"
    if match := re.fullmatch(r"((?:19|20)\d{2})-(\d{1,2})", text):
        return f"{match.group(1)}-{int(match.group(2)):02d}"
    if match := re.fullmatch(r"(\d{1,2})\s?[/.]\s?((?:19|20)\d{2})", text):
        month = int(match.group(1))
        return f"{match.group(2)}-{month:02d}" if 1 <= month <= 12 else match.group(2)
    if re.fullmatch(YEAR, text):
        return text
    if match := re.fullmatch(r"([^\W\d]+)\.?\s*((?:19|20)\d{2})", text):
        month = MONTH_NUMBERS.get(match.group(1)) or MONTH_NUMBERS.get(
            strip_accents(match.group(1))
        )
        if month:
            return f"{match.group(2)}-{month:02d}"
    return ""
