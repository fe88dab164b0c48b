"""Dates and date ranges as resumes print them ("Jan 2019 – Present", "03/2020", "2018")."""

import re

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
YEAR = r"(?:19|20)\d{2}"
DATE = rf"(?:{MONTH}\s*{YEAR}|\d{{1,2}}/{YEAR}|{YEAR}-\d{{2}}(?!\d)|{YEAR})"
ONGOING = r"(?:present|current|now|ongoing|today|date)"
DATE_RANGE = re.compile(
    rf"(?<![\w/])(?P<start>{DATE})\s*(?:[-–—]+|to|until|till)\s*(?P<end>{DATE}|{ONGOING})(?![\w/])",
    re.IGNORECASE,
)
SINGLE_DATE = re.compile(
    rf"(?<![\w/])(?P<start>{MONTH}\s*{YEAR}|\d{{1,2}}/{YEAR})(?![\w/])", re.IGNORECASE
)
# "February 10, 2026": a day-precise date is a print date in a footer, not an employment period.
FULL_DATE = re.compile(rf"^{MONTH}\s+\d{{1,2}},?\s+{YEAR}$", re.IGNORECASE)
OPEN_RANGE = re.compile(rf"{DATE}\s*[-–—]+$", re.IGNORECASE)
RANGE_END = re.compile(rf"^(?:{DATE}|{ONGOING})\b", re.IGNORECASE)
DURATION = re.compile(r"^(?:\d+\s+(?:years?|yrs?|months?|mos?)\s*)+$", re.IGNORECASE)


def is_date_only(line: str) -> bool:
    match = DATE_RANGE.search(line) or SINGLE_DATE.search(line)
    return bool(match) and not line.replace(match.group(), "").strip(" |,–—-()")
