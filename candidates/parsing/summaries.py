"""The summary (the Summary section, or else the first prose) and the education summary."""

import re

from candidates.parsing.contacts import EMAIL
from candidates.parsing.sections import Section
from candidates.parsing.text import strip_bullet

MAX_SUMMARY_CHARS = 600


def join_wrapped_lines(lines: list[str]) -> str:
    text = ""
    for line in filter(None, (strip_bullet(line) for line in lines)):
        if re.search(r"[a-z]-$", text) and line[0].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return text


def shorten(text: str, limit: int = MAX_SUMMARY_CHARS) -> str:
    """Cut at the last sentence end (or else word) that fits the limit."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    sentence_end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if sentence_end > limit // 2:
        return cut[: sentence_end + 1]
    return cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"


def build_summary(sections: list[Section]) -> str:
    summary_lines = [line for s in sections if s.kind == "summary" for line in s.lines]
    if any(summary_lines):
        return shorten(join_wrapped_lines(summary_lines))
    return shorten(first_prose_paragraph(sections))


def first_prose_paragraph(sections: list[Section]) -> str:
    """The first sentences of the resume, for resumes without a Summary/Profile section."""
    for section in sections:
        if section.kind == "references":
            continue
        start = next((index for index, line in enumerate(section.lines) if is_prose(line)), None)
        if start is not None:
            return join_wrapped_lines(prose_run(section.lines[start:]))
    return ""


def prose_run(lines: list[str]) -> list[str]:
    """Lines from the first prose line on, across blank lines while sentences continue."""
    run: list[str] = []
    after_blank = False
    for line in lines:
        if not line:
            after_blank = True
            continue
        if is_contact_line(line) or (after_blank and not (is_prose(line) or line.endswith("."))):
            break
        run.append(line)
        after_blank = False
        if sum(map(len, run)) >= MAX_SUMMARY_CHARS:
            break
    return run


def is_prose(line: str) -> bool:
    """Sentence-like: several words, mostly letters, many in lower case (unlike titles)."""
    words = strip_bullet(line).split()
    letters = sum(c.isalpha() for c in line)
    lower_words = sum(1 for word in words if word[0].islower())
    return (
        len(words) >= 8
        and 2 * lower_words >= len(words)
        and letters >= 0.75 * len(line.replace(" ", ""))
        and not is_contact_line(line)
    )


def is_contact_line(line: str) -> bool:
    return bool(EMAIL.search(line) or re.search(r"https?://|www\.", line))


def build_education_summary(sections: list[Section]) -> str:
    lines = [strip_bullet(line) for s in sections if s.kind == "education" for line in s.lines]
    kept: list[str] = []
    for line in filter(None, lines):
        if len("\n".join([*kept, line])) > MAX_SUMMARY_CHARS:
            break
        kept.append(line)
    return "\n".join(kept)
