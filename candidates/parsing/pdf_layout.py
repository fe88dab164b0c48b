"""Reading order of a PDF page from pdfminer's layout objects: columns and sidebars read in turn.

pdfminer's own order interleaves a sidebar with the main column and splits TAB-separated words
into one box each. Here every text line of the page is placed by its coordinates: a vertical
gutter that no line crosses (except a full-width header or footer) splits the page into columns,
each read top to bottom; lines on one baseline that are not separated by a gutter (a date beside
its title, TAB-separated words, table cells) are joined into one line.
"""

from dataclasses import dataclass

from pdfminer.layout import LTComponent, LTContainer, LTPage, LTText, LTTextBox, LTTextLine

# A column needs this many lines; fewer are labels in a table or a date beside a title.
MIN_COLUMN_LINES = 4
# Share of a band's lines on one side that may sit on a baseline shared with the other side,
# above which the two sides are table cells (read row by row), not independent columns.
ROW_ALIGNED_SHARE = 0.7
# Full-width lines above or below the columns (name, contact line, footer) may cross the gutter.
MAX_CROSSING_SHARE = 0.15
GUTTER_POINTS = 6.0


@dataclass(frozen=True)
class Line:
    x0: float
    x1: float
    top: float  # distance from the top of the page, so that sorting reads downwards
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return self.bottom - self.top


def page_lines(page: LTPage) -> list[Line]:
    lines: list[Line] = []
    for box in page:
        if isinstance(box, LTTextBox):
            for line in box:
                if isinstance(line, LTTextLine) and line.get_text().strip():
                    text = " ".join(line.get_text().split())
                    lines.append(Line(line.x0, line.x1, page.y1 - line.y1, page.y1 - line.y0, text))
    return lines


def page_text(page: LTPage) -> str:
    """Columns read in turn when the page has them; otherwise pdfminer's own box order."""
    lines = page_lines(page)
    if find_gutter(lines) is None:
        return stream_text(page)
    return "\n".join(read_lines(lines))


def stream_text(item: LTComponent) -> str:
    """The text as pdfminer's TextConverter writes it: each box's lines, then a line break."""
    if isinstance(item, LTText):
        return item.get_text()
    if isinstance(item, LTContainer):
        text = "".join(stream_text(child) for child in item)
        return text + "\n" if isinstance(item, LTTextBox) else text
    return ""


def read_lines(lines: list[Line]) -> list[str]:
    """The lines' text in reading order, blank lines between columns and vertical gaps."""
    gutter = find_gutter(lines)
    if gutter is None:
        return rows_text(lines)
    left = [line for line in lines if line.x1 <= gutter]
    right = [line for line in lines if line.x0 >= gutter]
    crossing = [line for line in lines if line.x0 < gutter < line.x1]
    above = [
        line for line in crossing if line.bottom <= min(other.top for other in left + right) + 1
    ]
    below = [line for line in crossing if line not in above]
    return [
        *rows_text(above),
        *([""] if above else []),
        *read_lines(left),
        "",
        *read_lines(right),
        *([""] if below else []),
        *rows_text(below),
    ]


def find_gutter(lines: list[Line]) -> float | None:
    """The x of a vertical gap splitting the lines into two columns, if there is one."""
    if len(lines) < 2 * MIN_COLUMN_LINES:
        return None
    best: tuple[int, float] | None = None
    for x in sorted({round(line.x0 - GUTTER_POINTS / 2, 1) for line in lines}):
        left = [line for line in lines if line.x1 <= x]
        right = [line for line in lines if line.x0 >= x]
        crossing = [line for line in lines if line.x0 < x < line.x1]
        if (
            len(left) < MIN_COLUMN_LINES
            or len(right) < MIN_COLUMN_LINES
            or len(crossing) > MAX_CROSSING_SHARE * len(lines)
            or not crossing_only_outside(crossing, left + right)
            or rows_of_a_table(left, right)
        ):
            continue
        if best is None or len(crossing) < best[0]:
            best = (len(crossing), x)
    return best[1] if best else None


def crossing_only_outside(crossing: list[Line], columns: list[Line]) -> bool:
    """Lines crossing the gutter must all lie above or below the columns (header, footer)."""
    if not crossing:
        return True
    top, bottom = min(c.top for c in columns), max(c.bottom for c in columns)
    return all(line.bottom <= top + 1 or line.top >= bottom - 1 for line in crossing)


def rows_of_a_table(left: list[Line], right: list[Line]) -> bool:
    """Most lines of the shorter side share a baseline with the other side: cells of rows."""
    shorter, longer = sorted((left, right), key=len)
    aligned = sum(1 for line in shorter if any(same_row(line, other) for other in longer))
    return aligned >= ROW_ALIGNED_SHARE * len(shorter)


def same_row(a: Line, b: Line) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap > 0.6 * min(a.height, b.height)


def rows_text(lines: list[Line]) -> list[str]:
    """Lines grouped by baseline, left to right, with a blank line at each wide vertical gap."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda item: (item.top, item.x0)):
        if rows and same_row(rows[-1][0], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    texts: list[str] = []
    previous: Line | None = None
    for row in rows:
        row.sort(key=lambda item: item.x0)
        first = row[0]
        if previous and first.top - previous.bottom > 0.8 * first.height:
            texts.append("")
        texts.append(" ".join(line.text for line in row))
        previous = max(row, key=lambda item: item.bottom)
    return texts
