"""Experience entries (employer, title, start, end): each date range paired with its header."""

import re
from collections import deque
from dataclasses import dataclass, field

from candidates.parsing.dates import OPEN_RANGE, RANGE_END, find_period
from candidates.parsing.experience_lines import (
    AT_EMPLOYER,
    COMPANY_WORDS,
    PART_SEPARATORS,
    TITLE_WORDS,
    classify_lines,
    is_location,
    looks_like_entry_header,
)
from candidates.parsing.sections import Section
from candidates.parsing.text import strip_bullet

LOCATION_TOKENS = {
    "usa",
    "us",
    "uk",
    "u.s.",
    "u.s.a.",
    "india",
    "canada",
    "germany",
    "france",
    "china",
    "japan",
    "korea",
    "s.korea",
    "australia",
    "singapore",
    "remote",
    "türkiye",
    "turkey",
    "netherlands",
    "spain",
    "italy",
    "brazil",
    "mexico",
    "ireland",
    "switzerland",
    "sweden",
    "israel",
}
MAX_HEADER_LINES = 3
MAX_DESCRIPTION_CHARS = 2000
# How far below its date a title line may sit in "Employer / date / Title" layouts.
MAX_TITLE_DISTANCE = 6


@dataclass
class DateItem:
    line_index: int
    start: str
    end: str
    # Entry header printed on the date's own line, or on the line right below it.
    inline_header: list[str] = field(default_factory=list)


@dataclass
class HeaderItem:
    line_index: int
    lines: list[str]


@dataclass
class Pairing:
    header_lines: list[str]
    dates: DateItem
    distance: int  # in lines, between the header and the date
    anchor: int  # where the entry's description starts: its header's line, or its date's


def extract_experience(sections: list[Section]) -> list[dict[str, str]]:
    entries: list[dict[str, str]] = []
    for section in sections:
        if section.kind == "experience":
            pairings, lines = experience_pairings(section)
            descriptions = entry_descriptions(pairings, lines)
            for pairing, description in zip(pairings, descriptions, strict=True):
                entries.append({**make_entry(pairing), "description": description})
    return [entry for entry in entries if entry["employer"] or entry["title"]]


def experience_pairings(section: Section) -> tuple[list[Pairing], list[str]]:
    """Pairings of the section and the lines they index, using the date above its heading if
    that pairs dates closer."""
    lines = join_split_date_ranges(section.lines)
    pairings = pair_items(entry_items(lines))
    if section.date_above:
        with_date_above = [section.date_above, "", *lines]
        alternative = pair_items(entry_items(with_date_above))
        if mean_distance(alternative) < mean_distance(pairings):
            return alternative, with_date_above
    return pairings, lines


def entry_descriptions(pairings: list[Pairing], lines: list[str]) -> list[str]:
    """Each entry's bullets and prose: the lines from its first line to the next entry's."""
    kinds = classify_lines(lines)
    anchors = sorted({pairing.anchor for pairing in pairings})
    descriptions = []
    for pairing in pairings:
        following = [anchor for anchor in anchors if anchor > pairing.anchor]
        end = following[0] if following else len(lines)
        texts = [
            strip_bullet(lines[index])
            for index in range(pairing.anchor, end)
            if kinds[index] in ("bullet", "prose", "continuation")
        ]
        descriptions.append("\n".join(text for text in texts if text)[:MAX_DESCRIPTION_CHARS])
    return descriptions


def mean_distance(pairings: list[Pairing]) -> float:
    return sum(p.distance for p in pairings) / len(pairings) if pairings else float("inf")


def join_split_date_ranges(lines: list[str]) -> list[str]:
    """Join "2017 –" and "Present" when a narrow date column wrapped a range."""
    joined: list[str] = []
    for line in lines:
        if joined and RANGE_END.match(line) and OPEN_RANGE.search(joined[-1]):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def pair_items(items: list[DateItem | HeaderItem]) -> list[Pairing]:
    """Pair each date with an entry header.

    Date columns and titles come out in either order (and both orders within one resume), so a
    date pairs with the oldest header still waiting, and a header with the oldest waiting date.
    """
    pairings: list[Pairing] = []
    waiting_dates: deque[DateItem] = deque()
    waiting_headers: deque[HeaderItem] = deque()
    for item in items:
        if isinstance(item, HeaderItem):
            if waiting_dates:
                dates = waiting_dates.popleft()
                distance = abs(item.line_index - dates.line_index)
                pairings.append(Pairing(item.lines, dates, distance, item.line_index))
            else:
                waiting_headers.append(item)
        elif item.inline_header and all(employer_and_title(item.inline_header)):
            pairings.append(Pairing(item.inline_header, item, 0, item.line_index))
        elif waiting_headers:
            # A partial inline header (often the title alone) completes the waiting employer line.
            header = waiting_headers.popleft()
            pairings.append(
                Pairing(
                    without_previous_description(header.lines + item.inline_header),
                    item,
                    item.line_index - header.line_index,
                    header.line_index,
                )
            )
        elif item.inline_header:
            pairings.append(Pairing(item.inline_header, item, 0, item.line_index))
        else:
            waiting_dates.append(item)
    return pairings


def entry_items(lines: list[str]) -> list[DateItem | HeaderItem]:
    """Date ranges and entry-header line groups; bullets, prose and locations are skipped."""
    return drop_description_headers(attach_titles_after_dates(raw_entry_items(lines)))


def attach_titles_after_dates(items: list[DateItem | HeaderItem]) -> list[DateItem | HeaderItem]:
    """In "Employer / date / Title" layouts, make the title line part of the date's header."""
    result: list[DateItem | HeaderItem] = []
    for item in items:
        if (
            isinstance(item, HeaderItem)
            and len(result) >= 2
            and isinstance(dates := result[-1], DateItem)
            and not dates.inline_header
            and isinstance(before := result[-2], HeaderItem)
            and employer_and_title(before.lines)[1] == ""
            and employer_and_title(item.lines)[0] == ""
            and item.line_index - dates.line_index <= MAX_TITLE_DISTANCE
        ):
            dates.inline_header = item.lines
            continue
        result.append(item)
    return result


def raw_entry_items(lines: list[str]) -> list[DateItem | HeaderItem]:
    kinds = classify_lines(lines)
    items: list[DateItem | HeaderItem] = []
    group: HeaderItem | None = None
    for index, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind in ("blank", "location", "ignored"):
            continue
        if (
            kind == "header"
            and group
            and len(group.lines) < MAX_HEADER_LINES
            and not (group_is_complete(group) and lines[index - 1] == "")
        ):
            group.lines.append(strip_bullet(line))
            continue
        header_above = group is not None
        if group:
            items.append(group)
            group = None
        if kind == "header":
            group = HeaderItem(index, [strip_bullet(line)])
        elif kind == "date":
            dates = date_item(index, line)
            # A date right under a header belongs to it; otherwise the lines below it may be its
            # header.
            if not header_above and not all(employer_and_title(dates.inline_header)):
                dates.inline_header += take_header_lines_below(lines, kinds, index)
            items.append(dates)
    if group:
        items.append(group)
    return items


def group_is_complete(group: HeaderItem) -> bool:
    """A header group holding an employer and a title; a line after a blank starts another."""
    return all(employer_and_title(group.lines))


def drop_description_headers(items: list[DateItem | HeaderItem]) -> list[DateItem | HeaderItem]:
    """Drop header-like lines between an entry and the next entry's header.

    Unbulleted accomplishments ("Optimierung der Lagerprozesse mit SAP") look like headers; after
    a date, a header group followed by another group and then a date is the previous entry's
    description, not the next entry's employer.
    """
    kept: list[DateItem | HeaderItem] = []
    waiting_headers = waiting_dates = 0  # as pair_items will count them
    for position, item in enumerate(items):
        following = items[position + 1 : position + 3]
        if isinstance(item, HeaderItem):
            if (
                not waiting_headers
                and not waiting_dates
                and kept
                and isinstance(kept[-1], DateItem)
                and [type(other) for other in following] == [HeaderItem, DateItem]
            ):
                continue
            if waiting_dates:
                waiting_dates -= 1
            else:
                waiting_headers += 1
        elif not all(employer_and_title(item.inline_header)):
            if waiting_headers:
                waiting_headers -= 1
            elif not item.inline_header:
                waiting_dates += 1
        kept.append(item)
    return kept


def take_header_lines_below(lines: list[str], kinds: list[str], date_index: int) -> list[str]:
    """Header lines printed right below a date (no blank line between) belong to that date."""
    taken: list[str] = []
    index = date_index + 1
    while index < len(lines) and kinds[index] == "header" and len(taken) < MAX_HEADER_LINES:
        taken.append(strip_bullet(lines[index]))
        kinds[index] = "ignored"
        index += 1
    return taken


def date_item(index: int, line: str) -> DateItem:
    period = find_period(line)
    assert period is not None
    match, start, end = period
    rest = (line[: match.start()] + " " + line[match.end() :]).strip(" |,–—-()")
    inline = [rest] if rest and not is_location(rest) and looks_like_entry_header(rest) else []
    return DateItem(index, start, end, inline)


def make_entry(pairing: Pairing) -> dict[str, str]:
    employer, title = employer_and_title(pairing.header_lines)
    return {
        "employer": employer,
        "title": title,
        "start": pairing.dates.start,
        "end": pairing.dates.end,
    }


def without_previous_description(lines: list[str]) -> list[str]:
    """The lines of a header printed above its date, without the previous entry's unbulleted
    description lines that look like header lines ("Leitung eines Teams von 9 Mitarbeitern",
    "Softwareentwickler, Bäckerei Krause"): the first line goes as long as the others still
    name an employer and a job title."""
    while len(lines) > 1 and names_employer_and_title(lines[1:]):
        lines = lines[1:]
    return lines


def names_employer_and_title(lines: list[str]) -> bool:
    employer, title = employer_and_title(lines)
    return bool(employer) and bool(TITLE_WORDS.search(title))


def employer_and_title(header_lines: list[str]) -> tuple[str, str]:
    parts = [part for line in header_lines for part in header_parts(line)]
    if not parts:
        return "", ""
    titled = [part for part in parts if TITLE_WORDS.search(part)]
    # An employer's name may hold a title word ("Allianz Versicherungs-AG", "Capital Partners").
    title = next(
        (part for part in titled if not has_company_word(part)), titled[0] if titled else ""
    )
    if not title:
        # Without a job-title word, fall back to the common "Employer, Title" order.
        return parts[0], parts[1] if len(parts) == 2 else ""
    others = [part for part in parts if part != title]
    return (others[0] if others else ""), title


def has_company_word(text: str) -> bool:
    return any(word.lower().strip(".,") in COMPANY_WORDS for word in text.replace("-", " ").split())


def header_parts(line: str) -> list[str]:
    """Split "Nexus AI, Co-Founder & CTO – San Francisco, CA" into parts, dropping the location."""
    parts: list[str] = []
    for chunk in split_title_at_employer(PART_SEPARATORS.split(line)):
        chunk = chunk.strip(" ,;|")
        if chunk and not is_location(chunk):
            parts.extend(piece.strip() for piece in chunk.split(",") if piece.strip())
    return drop_trailing_location(parts)


def split_title_at_employer(chunks: list[str]) -> list[str]:
    """ "Ingénieur chez Thales", "Técnico en Indra": split only after a job title."""
    parts: list[str] = []
    for chunk in chunks:
        match = AT_EMPLOYER.search(chunk)
        if match and TITLE_WORDS.search(chunk[: match.start()]):
            parts += [chunk[: match.start()], chunk[match.end() :]]
        else:
            parts.append(chunk)
    return parts


def drop_trailing_location(parts: list[str]) -> list[str]:
    """Drop "…, Mountain View, CA, USA": a country or state code and the city before it."""
    dropped = False
    while len(parts) > 1 and (
        parts[-1].lower() in LOCATION_TOKENS or re.fullmatch(r"[A-Z]{2}", parts[-1])
    ):
        parts.pop()
        dropped = True
    if (
        dropped
        and len(parts) > 1
        and len(parts[-1].split()) <= 3
        and not TITLE_WORDS.search(parts[-1])
    ):
        parts.pop()
    return parts
