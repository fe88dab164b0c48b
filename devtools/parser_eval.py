"""Accuracy and speed of candidates.parsing on the labelled sample resumes (no Django).

The samples live outside the project, in ../shared/resumes relative to the repository root, or
wherever RESUME_SAMPLES_DIR points. `evaluate` returns plain data so that tests and a benchmark
command can both use it.
"""

import csv
import os
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from candidates.parsing import ParseError, parse_resume

SAMPLES_ENV_VAR = "RESUME_SAMPLES_DIR"
CONTACT_LABELS = Path("labels") / "contact_fields.tsv"
FIELDS = ("name", "email", "phone", "phone_as_printed", "experience")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def resume_samples_dir() -> Path:
    configured = os.environ.get(SAMPLES_ENV_VAR)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[1] / ".." / "shared" / "resumes"


@dataclass(frozen=True)
class Expectation:
    full_name: str
    emails: tuple[str, ...]
    phones_as_printed: tuple[str, ...]
    e164: str  # "" where the resume prints no phone, or only an invalid or fictional one


def load_expectations(resume_dir: Path) -> dict[str, Expectation]:
    expectations: dict[str, Expectation] = {}
    previous_e164 = ""
    with open(resume_dir / CONTACT_LABELS, newline="", encoding="utf-8") as labels:
        for row in csv.DictReader(labels, delimiter="\t"):
            previous_e164 = judge_e164(row["expected_e164 (region assumed)"], previous_e164)
            expectations[row["file"]] = Expectation(
                full_name=row["expected_full_name"],
                emails=split_list(row["expected_emails"].lower()),
                phones_as_printed=split_list(row["expected_phones_as_printed"]),
                e164=previous_e164,
            )
    return expectations


def judge_e164(label: str, previous: str) -> str:
    """The E.164 number a parser should return, from the free-text label column.

    Judgement after reviewing every row: the label gives an E.164 form even for numbers it calls
    invalid ("123 is not a valid NANP area code") or fictional (555-01xx); ParsedResume.phone only
    holds valid numbers, so those rows expect "". "see above" repeats the previous row.
    """
    if label.strip().lower() == "see above":
        return previous
    if re.search(r"invalid|not a valid|fictional", label, re.IGNORECASE):
        return ""
    number = re.match(r"\s*(\+\d{7,15})", label)
    return number.group(1) if number else ""


def split_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(";") if item.strip())


def rendercv_experience(yaml_path: Path) -> list[dict[str, str]]:
    """Experience entries (company, position, start_date, end_date) of a rendercv YAML input.

    A small reader for this one, regular structure, to avoid a YAML dependency.
    """
    entries: list[dict[str, str]] = []
    in_experience = False
    for line in yaml_path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^ {4}\w", line):
            in_experience = line.strip() == "experience:"
            continue
        field = re.match(r"^ {6}(- |  )(company|position|start_date|end_date): ?(.*)$", line)
        if in_experience and field:
            if field.group(1) == "- ":
                entries.append({})
            entries[-1][field.group(2)] = field.group(3).strip().strip("'\"")
    return entries


def month_year(printed: str) -> str:
    """ "Sept 2018" -> "2018-09"; other forms ("present", "2018") are returned lower-cased."""
    match = re.match(r"([a-z]{3})[a-z]*\.?\s+(\d{4})$", printed.strip().lower())
    if match and match.group(1) in MONTHS:
        return f"{match.group(2)}-{MONTHS.index(match.group(1)) + 1:02d}"
    return printed.strip().lower()


def experience_matches(parsed: list[dict[str, str]], expected: list[dict[str, str]]) -> bool:
    actual = [
        (entry["employer"], entry["title"], month_year(entry["start"]), month_year(entry["end"]))
        for entry in parsed
    ]
    wanted = [(e["company"], e["position"], e["start_date"], e["end_date"]) for e in expected]
    return actual == wanted


def same_name(parsed: str, expected: str) -> bool:
    return " ".join(parsed.split()).casefold() == " ".join(expected.split()).casefold()


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def evaluate_file(
    path: Path, expectation: Expectation | None, default_region: str
) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        parsed = parse_resume(path.read_bytes(), path.name, default_region=default_region)
        error = ""
    except ParseError as failure:
        parsed, error = None, failure.reason
    row: dict[str, Any] = {
        "file": path.name,
        "seconds": time.perf_counter() - started,
        "error": error,
    }
    if parsed:
        row.update(
            name=parsed.full_name,
            email=parsed.email,
            phone=parsed.phone,
            phone_as_printed=parsed.phone_as_printed,
            experience=parsed.experience,
        )
    if expectation:
        row["checks"] = checks(parsed, expectation, path)
    return row


def checks(parsed: Any, expectation: Expectation, path: Path) -> dict[str, bool]:
    """Per-field pass/fail; a resume that failed to parse fails every field."""
    yaml_label = path.parent / "labels" / f"{path.stem}.yaml"
    result: dict[str, bool] = {}
    if parsed is None:
        return dict.fromkeys(FIELDS[:4] + (("experience",) if yaml_label.exists() else ()), False)
    primary_phone = expectation.phones_as_printed[0] if expectation.phones_as_printed else ""
    result["name"] = same_name(parsed.full_name, expectation.full_name)
    result["email"] = parsed.email in expectation.emails
    result["phone"] = parsed.phone == expectation.e164
    result["phone_as_printed"] = digits(parsed.phone_as_printed) == digits(primary_phone)
    if yaml_label.exists():
        result["experience"] = experience_matches(
            parsed.experience, rendercv_experience(yaml_label)
        )
    return result


def evaluate(resume_dir: Path, *, default_region: str = "US") -> dict[str, Any]:
    """Parse every PDF in `resume_dir` and compare with labels/contact_fields.tsv.

    Returns {"rows": [...], "accuracy": {field: share of passing files}, "counts": {field: files
    checked}, "seconds": {"p50", "max", "total"}, "unlabelled": [...], "missing": [...]}.
    """
    expectations = load_expectations(resume_dir)
    paths = sorted(resume_dir.glob("*.pdf"))
    rows = [evaluate_file(path, expectations.get(path.name), default_region) for path in paths]
    checked = [row["checks"] for row in rows if "checks" in row]
    counts = {name: sum(1 for c in checked if name in c) for name in FIELDS}
    seconds = [row["seconds"] for row in rows]
    return {
        "rows": rows,
        "accuracy": {
            name: sum(1 for c in checked if c.get(name)) / counts[name]
            for name in FIELDS
            if counts[name]
        },
        "counts": counts,
        "seconds": {
            "p50": statistics.median(seconds) if seconds else 0.0,
            "max": max(seconds, default=0.0),
            "total": sum(seconds),
        },
        "unlabelled": [path.name for path in paths if path.name not in expectations],
        "missing": sorted(set(expectations) - {path.name for path in paths}),
    }
