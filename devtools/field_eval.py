"""Field-level precision, recall and F1 of candidates.parsing, on the generated corpus and the samples.

A field's true positives are parsed values equal to the truth after normalisation (case, spacing,
punctuation, dates to "2019-03" / "2019" / "present"); precision divides them by the values the
parser returned, recall by the values the resume holds. An experience entry is right when its
employer, title, start and end all are; an education entry when institution, degree, start and
end are. The per-part rows (employer, title, …) align each true entry with the parsed entry that
shares most parts. Dates are normalised here, independently of the parser's own reading.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from candidates.parsing import ParsedResume, ParseError, parse_resume
from devtools import parser_eval
from devtools.resume_corpus import vocabulary
from devtools.resume_corpus.corpus import Item, ensure_corpus

CONTACT_FIELDS = ("name", "email", "phone")
ENTRY_PARTS = {
    "experience": ("employer", "title", "start", "end"),
    "education": ("institution", "degree", "start", "end"),
}
GOALS = {"name": 0.99, "email": 0.99, "phone": 0.99, "experience": 0.92, "education": 0.90}
# A field holding more than this share of the document's text has swallowed other sections.
SWALLOWED_SHARE = 0.5
TABLE_FIELDS = (
    "name",
    "email",
    "phone",
    "summary",
    "experience",
    "experience.employer",
    "experience.title",
    "experience.start",
    "experience.end",
    "experience.description",
    "education",
    "education.institution",
    "education.degree",
    "education.start",
    "education.end",
    "skills",
    "languages",
)


# Normalisation ----------------------------------------------------------------------------


def norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").casefold()
    text = re.sub(r"[‐‑‒–—−]", "-", text).replace("’", "'")
    text = re.sub(r"[^\w&'+#/-]+", " ", text)
    return " ".join(text.split()).strip(" -/")


MONTH_WORDS = {
    re.sub(r"\W", "", name.casefold()): number
    for names, abbreviations in vocabulary.MONTHS.values()
    for number, (name, abbreviation) in enumerate(zip(names, abbreviations, strict=True), start=1)
    for name in (name, abbreviation, name[:3], name[:4])
}
PRESENT_WORDS = {norm(word) for words in vocabulary.PRESENT.values() for word in words} | {
    "current",
    "now",
    "today",
    "ongoing",
    "bis heute",
    "à ce jour",
    "a la fecha",
    "actual",
}


def norm_date(printed: str) -> str:
    text = norm(printed)
    if not text:
        return ""
    if text in PRESENT_WORDS:
        return "present"
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return f"{match.group(1)}-{int(match.group(2)):02d}"
    if match := re.fullmatch(r"(\d{1,2})\s?[/.]\s?(\d{4})", printed.strip()):
        return f"{match.group(2)}-{int(match.group(1)):02d}"
    if re.fullmatch(r"\d{4}", text):
        return text
    if match := re.fullmatch(r"([^\W\d]+)\s*(\d{4})", text.replace("'", "")):
        month = MONTH_WORDS.get(match.group(1))
        if month:
            return f"{match.group(2)}-{month:02d}"
    return text


def part_value(part: str, value: str) -> str:
    return norm_date(value) if part in ("start", "end") else norm(value)


# Counting ---------------------------------------------------------------------------------


@dataclass
class Count:
    correct: int = 0
    returned: int = 0
    expected: int = 0

    def add(self, correct: int, returned: int, expected: int) -> None:
        self.correct += correct
        self.returned += returned
        self.expected += expected

    def scores(self) -> dict[str, float | None]:
        precision = self.correct / self.returned if self.returned else None
        recall = self.correct / self.expected if self.expected else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision and recall
            else (0.0 if self.expected or self.returned else None)
        )
        return {"precision": precision, "recall": recall, "f1": f1}


@dataclass
class DocumentScore:
    counts: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))
    swallowed: list[str] = field(default_factory=list)
    error: str = ""


def score_single(score: DocumentScore, name: str, parsed: str, expected: Iterable[str]) -> None:
    """One value: right when it equals one of the expected forms."""
    expected = [value for value in expected if value]
    score.counts[name].add(
        int(bool(parsed) and parsed in expected), int(bool(parsed)), int(bool(expected))
    )


def score_entries(score: DocumentScore, kind: str, parsed: list[dict], truth: list[dict]) -> None:
    parts = ENTRY_PARTS[kind]
    parsed_keys, truth_keys = entry_keys(parsed, parts), entry_keys(truth, parts)
    remaining = list(parsed_keys)
    correct = 0
    for key in truth_keys:
        if key in remaining:
            remaining.remove(key)
            correct += 1
    score.counts[kind].add(correct, len(parsed), len(truth))
    for truth_entry, parsed_entry in align(truth_keys, parsed_keys):
        for position, part in enumerate(parts):
            wanted = truth_entry[position]
            right = parsed_entry is not None and parsed_entry[position] == wanted != ""
            score.counts[f"{kind}.{part}"].add(int(right), 0, int(wanted != ""))
    for key in parsed_keys:
        for position, part in enumerate(parts):
            score.counts[f"{kind}.{part}"].add(0, int(key[position] != ""), 0)
    if kind == "experience" and all("description" in entry for entry in truth):
        score_descriptions(score, parsed, truth, align(truth_keys, parsed_keys, indices=True))


def entry_keys(entries: list[dict], parts: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [tuple(part_value(part, entry.get(part, "")) for part in parts) for entry in entries]


def align(truth_keys: list[tuple], parsed_keys: list[tuple], *, indices: bool = False) -> list:
    """Each true entry with the unused parsed entry sharing most parts (None when none shares)."""
    used: set[int] = set()
    pairs = []
    for truth_index, key in enumerate(truth_keys):
        best, best_shared = None, 0
        for index, candidate in enumerate(parsed_keys):
            shared = sum(1 for a, b in zip(key, candidate, strict=True) if a and a == b)
            if index not in used and shared > best_shared:
                best, best_shared = index, shared
        if best is not None:
            used.add(best)
        if indices:
            pairs.append((truth_index, best))
        else:
            pairs.append((key, parsed_keys[best] if best is not None else None))
    return pairs


def score_descriptions(score: DocumentScore, parsed: list[dict], truth: list[dict], pairs) -> None:
    """A description is right when it holds most of the true words and little else."""
    for truth_index, parsed_index in pairs:
        expected = set(norm(truth[truth_index]["description"]).split())
        got = (
            set(norm(parsed[parsed_index].get("description", "")).split())
            if parsed_index is not None
            else set()
        )
        right = (
            bool(got)
            and len(expected & got) >= 0.8 * len(expected)
            and len(got - expected) <= 0.3 * len(got)
        )
        score.counts["experience.description"].add(int(right), 0, 1)
    score.counts["experience.description"].returned += sum(
        1 for e in parsed if e.get("description")
    )


def score_items(score: DocumentScore, name: str, parsed: list[str], truth: list[str]) -> None:
    got, expected = {norm(item) for item in parsed}, {norm(item) for item in truth}
    score.counts[name].add(len(got & expected), len(got), len(expected))


def swallowed_fields(parsed: ParsedResume) -> list[str]:
    """Fields holding most of the document's text."""
    limit = SWALLOWED_SHARE * len(parsed.text)
    values: dict[str, str] = {
        "summary": parsed.summary,
        "education_summary": parsed.education_summary,
        "full_name": parsed.full_name,
    }
    for kind in ("experience", "education"):
        for index, entry in enumerate(getattr(parsed, kind, []) or []):
            for key, value in entry.items():
                values[f"{kind}[{index}].{key}"] = str(value)
    return [name for name, value in values.items() if len(parsed.text) > 200 and len(value) > limit]


# The generated corpus -----------------------------------------------------------------------


def parse_file(path: Path, region: str) -> tuple[ParsedResume | None, str]:
    try:
        return parse_resume(path.read_bytes(), path.name, default_region=region), ""
    except ParseError as error:
        return None, error.reason


def score_generated(args: tuple[Path, Item]) -> DocumentScore:
    path, item = args
    parsed, error = parse_file(path, item.agency_region)
    truth = item.truth
    score = DocumentScore(error=error)
    parsed = parsed or ParsedResume()
    score_single(score, "name", norm(parsed.full_name), [norm(truth["full_name"])])
    score_single(score, "email", parsed.email.lower(), [truth["email"].lower()])
    score_single(score, "phone", parsed.phone, [truth["phone"]])
    summary_words = set(norm(truth["summary"]).split())
    got_words = set(norm(parsed.summary).split())
    score.counts["summary"].add(
        int(
            len(summary_words & got_words) >= 0.8 * len(summary_words)
            and len(got_words) <= 2 * len(summary_words)
        ),
        int(bool(parsed.summary)),
        1,
    )
    score_entries(score, "experience", parsed.experience, truth["experience"])
    score_entries(score, "education", getattr(parsed, "education", []), truth["education"])
    score_items(score, "skills", getattr(parsed, "skills", []), truth["skills"])
    score_items(score, "languages", getattr(parsed, "languages", []), truth["languages"])
    score.swallowed = swallowed_fields(parsed)
    return score


def evaluate_generated(
    seed: int | None = None, count: int | None = None, workers: int = 2
) -> dict[str, Any]:
    options = {k: v for k, v in {"seed": seed, "count": count}.items() if v is not None}
    folder, items = ensure_corpus(**options)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        scores = list(
            pool.map(score_generated, [(folder / item.file, item) for item in items], chunksize=8)
        )
    groups: dict[str, list[tuple[Item, DocumentScore]]] = defaultdict(list)
    for item, score in zip(items, scores, strict=True):
        text_layer = "scanned" if item.scanned else "text"
        groups[f"all ({text_layer})"].append((item, score))
        if not item.scanned:
            groups[f"layout: {item.layout}"].append((item, score))
            groups[f"language: {item.language}"].append((item, score))
            groups[f"producer: {item.producer}"].append((item, score))
    return {
        "folder": str(folder),
        "files": len(items),
        "scanned": sum(1 for item in items if item.scanned),
        "groups": {
            name: summarise(members) for name, members in sorted(groups.items(), key=group_order)
        },
    }


def group_order(entry: tuple[str, list]) -> tuple[int, str]:
    name = entry[0]
    return ({"all (text)": 0, "all (scanned)": 1}.get(name, 2), name)


def summarise(members: list[tuple[Any, DocumentScore]]) -> dict[str, Any]:
    totals: dict[str, Count] = defaultdict(Count)
    for _item, score in members:
        for name, count in score.counts.items():
            totals[name].add(count.correct, count.returned, count.expected)
    return {
        "files": len(members),
        "errors": sum(1 for _item, score in members if score.error),
        "swallowed": sorted(
            f"{getattr(item, 'file', item)}: {', '.join(score.swallowed)}"
            for item, score in members
            if score.swallowed
        ),
        "fields": {
            name: totals[name].scores() | vars(totals[name])
            for name in TABLE_FIELDS
            if name in totals
        },
    }


# The shared samples ---------------------------------------------------------------------------


def rendercv_entries(yaml_path: Path, section: str, keys: dict[str, str]) -> list[dict[str, str]]:
    """Entries of one section of a rendercv YAML input (a reader for its one regular structure)."""
    entries: list[dict[str, str]] = []
    inside = False
    pattern = re.compile(r"^ {6}(- |  )(\w+): ?(.*)$")
    for line in yaml_path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^ {4}\w", line):
            inside = line.strip() == f"{section}:"
            continue
        match = pattern.match(line)
        if inside and match:
            if match.group(1) == "- ":
                entries.append({})
            if match.group(2) in keys:
                entries[-1][keys[match.group(2)]] = match.group(3).strip().strip("'\"")
    return entries


def sample_education(yaml_path: Path) -> list[dict[str, str]]:
    keys = {
        "institution": "institution",
        "degree": "degree",
        "area": "area",
        "start_date": "start",
        "end_date": "end",
    }
    return [
        {
            **entry,
            "degree": " ".join(filter(None, [entry.get("degree", ""), entry.get("area", "")])),
        }
        for entry in rendercv_entries(yaml_path, "education", keys)
    ]


def score_sample(path: Path, expectation: parser_eval.Expectation | None) -> DocumentScore:
    parsed, error = parse_file(path, "US")
    score = DocumentScore(error=error)
    parsed = parsed or ParsedResume()
    if expectation:
        score_single(score, "name", norm(parsed.full_name), [norm(expectation.full_name)])
        score_single(score, "email", parsed.email.lower(), expectation.emails)
        score_single(score, "phone", parsed.phone, [expectation.e164])
    yaml_path = path.parent / "labels" / f"{path.stem}.yaml"
    if yaml_path.exists():
        experience = rendercv_entries(
            yaml_path,
            "experience",
            {"company": "employer", "position": "title", "start_date": "start", "end_date": "end"},
        )
        score_entries(score, "experience", parsed.experience, experience)
        score_entries(
            score, "education", getattr(parsed, "education", []), sample_education(yaml_path)
        )
    score.swallowed = swallowed_fields(parsed)
    return score


def evaluate_samples(resume_dir: Path | None = None) -> dict[str, Any]:
    resume_dir = resume_dir or parser_eval.resume_samples_dir()
    if not resume_dir.is_dir():
        return {"skipped": f"no samples at {resume_dir}"}
    expectations = parser_eval.load_expectations(resume_dir)
    members = [
        (path.name, score_sample(path, expectations.get(path.name)))
        for path in sorted(resume_dir.glob("*.pdf"))
    ]
    with_yaml = [m for m in members if (resume_dir / "labels" / f"{Path(m[0]).stem}.yaml").exists()]
    return {
        "files": len(members),
        "groups": {
            "all samples": summarise(members),
            "rendercv samples (entries labelled)": summarise(with_yaml),
        },
    }


# Report ---------------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def field_table(groups: dict[str, dict], fields: Iterable[str] = TABLE_FIELDS) -> list[str]:
    lines = [
        "| field | "
        + " | ".join(f"{name} ({g['files']}) P / R / F1" for name, g in groups.items())
        + " |",
        "|---|" + "---:|" * len(groups),
    ]
    for name in fields:
        cells = []
        for group in groups.values():
            scores = group["fields"].get(name)
            cells.append(
                "–"
                if not scores
                else f"{percent(scores['precision'])} / {percent(scores['recall'])} / {percent(scores['f1'])}"
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def f1_table(groups: dict[str, dict], title: str) -> list[str]:
    """One row per group, the F1 of each field: the per-layout and per-language views."""
    fields = ("name", "email", "phone", "summary", "experience", "education", "skills", "languages")
    lines = [
        f"| {title} | files | " + " | ".join(fields) + " | swallowed |",
        "|---|---:|" + "---:|" * (len(fields) + 1),
    ]
    for name, group in groups.items():
        cells = [percent(group["fields"].get(f, {}).get("f1")) for f in fields]
        lines.append(
            f"| {name.split(': ', 1)[-1]} | {group['files']} | "
            + " | ".join(cells)
            + f" | {len(group['swallowed'])} |"
        )
    return lines


def shortfalls(group: dict[str, Any]) -> list[str]:
    misses = []
    for name, goal in GOALS.items():
        scores = group["fields"].get(name)
        measure = "f1"
        value = scores.get(measure) if scores else None
        if value is None or value < goal:
            misses.append(f"{name} F1 {percent(value)} < {goal:.0%}")
    if group["swallowed"]:
        misses.append(f"{len(group['swallowed'])} files with a field holding most of the text")
    return misses


def render_markdown(generated: dict[str, Any], samples: dict[str, Any]) -> str:
    groups = generated["groups"]
    main = groups["all (text)"]
    misses = shortfalls(main)
    lines = [
        "## Resume fields",
        "",
        f"Generated corpus: {generated['files']} files ({generated['scanned']} scanned, reported apart: "
        f"they need OCR) in `{generated['folder']}`; devtools/field_eval.py. "
        f"Goals on the text files: contacts F1 >= 99%, experience entries >= 92%, education entries >= 90%, "
        "no field holding most of the document.",
        "",
        "Goals: " + ("**PASS**" if not misses else "**FAIL**: " + "; ".join(misses)),
        "",
        *field_table(
            {"generated, text": main, "generated, scanned": groups.get("all (scanned)", main)}
            | ({name: g for name, g in samples["groups"].items()} if "groups" in samples else {})
        ),
        "",
        *f1_table({k: v for k, v in groups.items() if k.startswith("layout: ")}, "layout (F1)"),
        "",
        *f1_table(
            {k: v for k, v in groups.items() if k.startswith(("language: ", "producer: "))},
            "language / producer (F1)",
        ),
        "",
    ]
    if main["swallowed"]:
        lines += [
            "Fields holding most of the document:",
            "",
            *(f"- {s}" for s in main["swallowed"][:20]),
            "",
        ]
    if "skipped" in samples:
        lines += [f"Shared samples skipped: {samples['skipped']}.", ""]
    return "\n".join(lines)
