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
# Words on one line farther apart than this many line heights are not TAB-separated words
# (a TAB is a few spaces wide; the gap between two columns is wider).
MAX_TAB_GAP_HEIGHTS = 2.0
# Points by which the baselines of the parts of one line of text may differ.
BASELINE_POINTS = 0.5


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
    return [line for box in page if isinstance(box, LTTextBox) for line in box_lines(page, box)]


def box_lines(page: LTPage, box: LTTextBox) -> list[Line]:
    return [
        Line(
            line.x0,
            line.x1,
            page.y1 - line.y1,
            page.y1 - line.y0,
            " ".join(line.get_text().split()),
        )
        for line in box
        if isinstance(line, LTTextLine) and line.get_text().strip()
    ]


def page_text(page: LTPage) -> str:
    """Columns read in turn when the page has them; otherwise pdfminer's own box order, with
    boxes holding the TAB-separated words of the same lines read together, row by row."""
    lines = page_lines(page)
    if find_gutter(lines) is None:
        return boxes_text(page)
    return "\n".join(read_lines(lines))


def boxes_text(page: LTPage) -> str:
    """The page as stream_text writes it, except for the words of a line that pdfminer cut at
    its TAB stops ("Tel.:<TAB>010<TAB>689 2543"), into one box per stop holding that stop's
    words of several lines, or into lines of one box: those boxes are read as one, by rows."""
    boxes = [item for item in page if isinstance(item, LTTextBox)]
    lines = [box_lines(page, box) for box in boxes]
    owner = {id(line): index for index, own in enumerate(lines) for line in own}
    pairs = row_neighbours([line for own in lines for line in own])
    with_neighbour = {id(line) for pair in pairs for line in pair}
    partnered = [all(id(line) in with_neighbour for line in own) for own in lines]
    group = list(range(len(boxes)))
    cut_inside = [False] * len(boxes)
    for a, b in pairs:
        i, j = owner[id(a)], owner[id(b)]
        # A date column or a bullet beside wrapped text also shares rows with it; a cut line
        # is a box of one line, or a grid of boxes whose every line has its neighbour.
        if i == j:
            cut_inside[i] = True
        elif len(lines[i]) == 1 or len(lines[j]) == 1 or (partnered[i] and partnered[j]):
            merged, kept = group[j], group[i]
            group = [kept if g == merged else g for g in group]
    written: set[int] = set()
    parts: list[str] = []
    boxes_seen = 0
    for item in page:
        if not isinstance(item, LTTextBox):
            parts.append(stream_text(item))
            continue
        index, boxes_seen = boxes_seen, boxes_seen + 1
        if group.count(group[index]) == 1 and not cut_inside[index]:
            parts.append(stream_text(item))
        elif group[index] not in written:
            written.add(group[index])
            members = [
                line for j, own in enumerate(lines) if group[j] == group[index] for line in own
            ]
            parts.append("".join(f"{row}\n" for row in joined_rows(members)))
    return "".join(parts)


def row_neighbours(lines: list[Line]) -> list[tuple[Line, Line]]:
    """The pairs of lines next to each other on one row (next_on_the_row)."""
    ordered = sorted(lines, key=lambda line: line.bottom)
    pairs = []
    for index, line in enumerate(ordered):
        for other in ordered[index + 1 :]:
            if other.bottom - line.bottom > BASELINE_POINTS:
                break
            if next_on_the_row(line, other):
                pairs.append((line, other))
    return pairs


def next_on_the_row(a: Line, b: Line) -> bool:
    """Two lines of one font size on one baseline with at most a TAB's gap between them (not a
    right-aligned date or a second column, farther away)."""
    gap = max(a.x0, b.x0) - min(a.x1, b.x1)
    return (
        abs(a.bottom - b.bottom) <= BASELINE_POINTS
        and abs(a.height - b.height) <= BASELINE_POINTS
        and -1 <= gap <= MAX_TAB_GAP_HEIGHTS * a.height
    )


def joined_rows(lines: list[Line]) -> list[str]:
    rows = grouped_rows(lines)
    return [" ".join(line.text for line in sorted(row, key=lambda item: item.x0)) for row in rows]


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


def grouped_rows(lines: list[Line]) -> list[list[Line]]:
    """The lines, top to bottom, in rows of those sharing a baseline (same_row)."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda item: (item.top, item.x0)):
        if rows and same_row(rows[-1][0], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows


def rows_text(lines: list[Line]) -> list[str]:
    """Lines grouped by baseline, left to right, with a blank line at each wide vertical gap."""
    rows = grouped_rows(lines)
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
