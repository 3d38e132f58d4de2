"""Page items in reading order -> blocks: paragraphs re-flowed across lines and pages, page numbers dropped,
tables continued on the next page joined into one (with cells that the page break cut in two re-joined)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from crawler.report.document import Block, Cell, Paragraph, Table
from crawler.report.extract.pdf_tables import GridCell, GridTable, snap
from crawler.report.extract.pdf_text import Line
from crawler.report.extract.textutil import clean, join_lines

PAGE_NUMBER = re.compile(r"^[-—–－_\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–－_\s]*$")
_ENUMERATED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])")
_NUMBER = re.compile(r"^[\d,，.\s]+$")
MARGIN_BAND = 0.1  # page numbers live in the top and bottom tenth of the page
EDGE = 3.0


@dataclass(slots=True)
class Geometry:
    """Where body text sits on the pages of this document."""

    left: float
    right: float
    top: float
    bottom: float


def is_page_furniture(line: Line, page_height: float) -> bool:
    """A page number line in the header or footer band."""
    in_band = line.bottom > page_height * (1 - MARGIN_BAND) or line.top < page_height * MARGIN_BAND
    return in_band and bool(PAGE_NUMBER.match(line.text))


def _mode(values: list[float]) -> float:
    return Counter(round(v / 2) * 2 for v in values).most_common(1)[0][0]


def geometry(items: list[Line | GridTable]) -> Geometry:
    lines = [i for i in items if isinstance(i, Line)]
    tops = [i.top for i in items]
    bottoms = [i.bottom for i in items]
    if not lines:
        return Geometry(0.0, 0.0, min(tops, default=0.0), max(bottoms, default=0.0))
    return Geometry(_mode([ln.x0 for ln in lines]), max(_mode([ln.x1 for ln in lines]), max(ln.x1 for ln in lines) - 4),
                    min(tops), max(bottoms))


def _continues(previous: Line, line: Line, geo: Geometry) -> bool:
    """Does `line` carry on the paragraph `previous` ended with (a wrap, not a new paragraph)?"""
    em = max(previous.size, 1.0)
    if line.x0 > geo.left + 0.8 * em or previous.x1 < geo.right - 1.5 * em:
        return False
    if abs(line.size - previous.size) > 0.25 * em:
        return False
    if line.page == previous.page:
        return line.top - previous.bottom < 0.9 * em
    return line.page == previous.page + 1


def _flows_on(first: GridTable, second: GridTable, geo: Geometry) -> bool:
    """Is `second` (first on its page) the rest of `first` (last on the page before)?"""
    if second.page != first.page + 1:
        return False
    if abs(first.xs[0] - second.xs[0]) > EDGE or abs(first.xs[-1] - second.xs[-1]) > EDGE:
        return False
    first_row = second.ys[1] - second.ys[0]
    return second.top <= geo.top + 8 and first.bottom + first_row > geo.bottom - 2


def _respan(table: GridTable, xs: list[float]) -> None:
    """Re-express cell columns on a finer common grid `xs`."""
    def column(x: float) -> int:
        return min(range(len(xs)), key=lambda i: abs(xs[i] - x))

    for cell in table.cells:
        cell.c0, cell.c1 = column(table.xs[cell.c0]), column(table.xs[cell.c1])
    table.xs = xs


def _numeric(text: str) -> bool:
    return bool(_NUMBER.match(text))


def _joins(above: GridCell, below: GridCell) -> bool:
    """A merged (label) cell the page break cut in two: the lower part is empty or carries on its text."""
    if not above.text:
        return False
    if (above.r1 - above.r0) == 1 and (below.r1 - below.r0) == 1:
        return False
    if not below.text:
        return True
    return not (_numeric(above.text) or _numeric(below.text) or _ENUMERATED.match(below.text))


def join_tables(first: GridTable, second: GridTable) -> GridTable:
    xs = snap(first.xs + second.xs)
    _respan(first, xs)
    _respan(second, xs)
    offset = len(first.ys) - 1
    boundary = {(c.c0, c.c1): c for c in first.cells if c.r1 == offset}
    cells = list(first.cells)
    for cell in second.cells:
        cell.r0 += offset
        cell.r1 += offset
        above = boundary.get((cell.c0, cell.c1)) if cell.r0 == offset else None
        if above is not None and _joins(above, cell):
            above.text = join_lines([above.text, cell.text])
            above.r1 = cell.r1
        else:
            cells.append(cell)
    ys = first.ys + [y - second.ys[0] + first.ys[-1] for y in second.ys[1:]]
    return GridTable(xs, ys, sorted(cells, key=lambda g: (g.r0, g.c0)), first.page)


def to_table(grid: GridTable) -> Table:
    """Rows of Cells; grid lines that start no cell (a ruling drawn through part of a table only) collapse."""
    row_starts = sorted({c.r0 for c in grid.cells})
    col_starts = sorted({c.c0 for c in grid.cells})
    row_of = {r: i for i, r in enumerate(row_starts)}
    col_of = {c: i for i, c in enumerate(col_starts)}

    def index(starts: list[int], of: dict[int, int], end: int) -> int:
        return sum(1 for s in starts if s < end) if end not in of else of[end]

    rows: list[list[Cell]] = [[] for _ in row_starts]
    for cell in sorted(grid.cells, key=lambda g: (g.r0, g.c0)):
        r0, c0 = row_of[cell.r0], col_of[cell.c0]
        r1, c1 = index(row_starts, row_of, cell.r1), index(col_starts, col_of, cell.c1)
        rows[r0].append(Cell(clean(cell.text), max(r1 - r0, 1), max(c1 - c0, 1)))
    return Table(rows, page=grid.page + 1)


def blocks(items: list[Line | GridTable]) -> list[Block]:
    """Reading-order items of all pages -> document blocks."""
    geo = geometry(items)
    out: list[Block] = []
    paragraph: list[Line] = []
    previous_table: GridTable | None = None

    def flush() -> None:
        if paragraph:
            text = clean(join_lines([line.text for line in paragraph]))
            if text:
                out.append(Paragraph(text, page=paragraph[0].page + 1))
            paragraph.clear()

    for item in items:
        if isinstance(item, Line):
            if paragraph and not _continues(paragraph[-1], item, geo):
                flush()
            paragraph.append(item)
            previous_table = None
            continue
        flush()
        if previous_table is not None and _flows_on(previous_table, item, geo):
            item = join_tables(previous_table, item)
            out.pop()
        out.append(to_table(item))
        previous_table = item
    flush()
    return out
