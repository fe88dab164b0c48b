"""Geometry of the server-drawn SVG bar charts (templates/candidates/_bar_chart.html): widths are
percentages of the longest bar, formatted here so that no locale can turn the dot into a comma."""

from dataclasses import dataclass

from candidates.analytics import Figures, percent

OUTCOMES = [
    ("new", "New"),
    ("previously_submitted", "Previously submitted"),
    ("duplicate", "Duplicate"),
    ("blocked", "Blocked"),
]
FUNNEL = [
    ("submissions", "Submissions"),
    ("presented", "Presented"),
    ("interviews", "Interviews"),
    ("offers", "Offers"),
    ("hires", "Hires"),
]


@dataclass(frozen=True)
class Segment:
    series: str
    label: str
    value: int
    x: str
    width: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    segments: list[Segment]
    note: str = ""


def outcome_bars(lines: list[Figures], limit: int = 10) -> list[Bar]:
    """The `limit` busiest lines, each bar split by submission outcome."""
    busiest = sorted(
        (line for line in lines if line.submissions), key=lambda line: -line.submissions
    )
    longest = max((line.submissions for line in busiest), default=1)
    return [_stacked(line.label, line, longest) for line in busiest[:limit]]


def _stacked(label: str, line: Figures, longest: int) -> Bar:
    segments, x = [], 0.0
    for series, series_label in OUTCOMES:
        value = getattr(line, series)
        width = 100 * value / longest
        segments.append(Segment(series, series_label, value, f"{x:.2f}", f"{width:.2f}"))
        x += width
    return Bar(label, line.submissions, [s for s in segments if s.value])


def funnel_bars(total: Figures) -> list[Bar]:
    """From every submission down to hires; each step after Presented notes its share of it."""
    longest = max(total.submissions, 1)
    bars = []
    for series, label in FUNNEL:
        value = getattr(total, series)
        share = value / total.presented if total.presented else None
        note = (
            f"{percent(share)} of presented" if series in ("interviews", "offers", "hires") else ""
        )
        width = f"{100 * value / longest:.2f}"
        bars.append(Bar(label, value, [Segment(series, label, value, "0", width)], note))
    return bars
