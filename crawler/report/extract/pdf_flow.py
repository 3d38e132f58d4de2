"""Page items in reading order -> blocks: paragraphs re-flowed across lines and pages, page numbers dropped,
tables continued on the next page joined into one (with cells that the page break cut in two re-joined)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from crawler.report.document import Block, Cell, Paragraph, Table
from crawler.report.extract.pdf_tables import GridCell, GridTable, snap
from crawler.report.extract.pdf_positions import PositionTable
from crawler.report.extract.pdf_text import Line, lines
from crawler.report.extract.textutil import clean, join_lines

PAGE_NUMBER = re.compile(r"^[-—–－_\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–－_\s]*$")
_ENUMERATED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])")
_NUMBER = re.compile(r"^[\d,，.\s]+$")
_NO_LINE_START = set("，。、；：？！）》」』】〕”’…%,.;:?!)]}·—")
_QUOTES = set("“”‘’\"'")  # Unicode line breaking keeps quotation marks with both neighbours (UAX #14 QU)
_NO_LINE_START |= _QUOTES
_NO_LINE_END = set("（《「『【〔([{") | _QUOTES
MARGIN_BAND = 0.1  # page numbers live in the top and bottom tenth of the page
EDGE = 3.0


@dataclass(slots=True)
class Geometry:
    """Where body text sits on the pages of this document."""

    left: float
    right: float
    top: float
    bottom: float
    em: float = 10.0  # typical body glyph height


def in_margin(line: Line, page_height: float) -> bool:
    """In the header or footer band of its page."""
    return line.bottom > page_height * (1 - MARGIN_BAND) or line.top < page_height * MARGIN_BAND


def is_page_furniture(line: Line, page_height: float) -> bool:
    """A page number line in the header or footer band."""
    return in_margin(line, page_height) and bool(PAGE_NUMBER.match(line.text))


def geometry(items: list[Line | GridTable | PositionTable], page_width: float) -> Geometry:
    """Margins from the text itself; with too few full lines to show the right margin, assume it mirrors the left."""
    lines = [i for i in items if isinstance(i, Line)]
    top, bottom = _body_band(items)
    if not lines:
        return Geometry(0.0, 0.0, top, bottom)
    sizes = sorted(ln.size for ln in lines)
    em = sizes[len(sizes) // 2]
    lefts = [ln.x0 for ln in lines if len(ln.glyphs) >= 10] or [ln.x0 for ln in lines]
    left = min(lefts)
    rights = [ln.x1 for ln in lines]
    right = max(rights)
    if sum(1 for x in rights if x >= right - em) < 3:
        right = max(right, page_width - left)
    return Geometry(left, right, top, bottom, em)


def _body_band(items: list[Line | GridTable | PositionTable]) -> tuple[float, float]:
    """Top and bottom of the text area: the median over pages of where their content starts and ends
    (one page's stray line, a sign-off or an unremoved header, does not move it)."""
    firsts: dict[int, float] = {}
    lasts: dict[int, float] = {}
    for item in items:
        firsts[item.page] = min(firsts.get(item.page, item.top), item.top)
        lasts[item.page] = max(lasts.get(item.page, item.bottom), item.bottom)
    if not firsts:
        return 0.0, 0.0
    pages = sorted(firsts)
    full = pages[:-1] or pages  # the last page usually ends early
    return median(firsts[p] for p in pages), median(lasts[p] for p in full)


def _first_word(line: Line) -> float:
    """Width of what the line starts with that could not be broken: a Chinese character with the closing
    punctuation that may not begin a line (禁则), or a Latin word."""
    first = previous = line.glyphs[0]
    end = first.x1
    for glyph in line.glyphs[1:]:
        latin = previous.text.isascii() and glyph.text.isascii() and glyph.text != " "
        bound = latin or glyph.text in _NO_LINE_START or previous.text in _NO_LINE_END
        if not bound or glyph.x0 - end > 0.2 * line.size:
            break
        end, previous = glyph.x1, glyph
    return end - first.x0


def _continues(previous: Line, line: Line, geo: Geometry) -> bool:
    """Does `line` carry on the paragraph `previous` ended with (a wrap: its first word did not fit above)?"""
    em = max(previous.size, 1.0)
    if line.x0 > geo.left + 0.8 * em or previous.x1 + _first_word(line) < geo.right - 0.6 * em:
        return False
    if abs(line.size - previous.size) > 0.3 * em:
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
    nearest = [min(range(len(xs)), key=lambda i: abs(xs[i] - x)) for x in table.xs]
    for cell in table.cells:
        cell.c0, cell.c1 = nearest[cell.c0], nearest[cell.c1]
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


def _wraps(above: GridCell, below: GridCell, xs: list[float]) -> bool:
    """Does the text of `below` carry on `above` (its first word did not fit on the last line above)?"""
    upper, lower = lines(above.glyphs), lines(below.glyphs)
    if not upper or not lower:
        return True
    padding = max(min(ln.x0 for ln in upper) - xs[above.c0], 0.0)
    last = upper[-1]
    return last.x1 + _first_word(lower[0]) > xs[above.c1] - padding - 0.6 * max(last.size, 1.0)


def _row_split(above: dict[tuple[int, int], GridCell], below: dict[tuple[int, int], GridCell],
               xs: list[float]) -> bool:
    """One row the page break cut in two: same cells, no column with a number on both sides, and text
    that carries on where it broke off."""
    if set(above) != set(below):
        return False
    pairs = [(a, below[key]) for key, a in above.items()]
    if any(a.text and b.text and (_numeric(a.text) or _numeric(b.text)) for a, b in pairs):
        return False
    return all(_wraps(a, b, xs) for a, b in pairs if a.text and b.text)


def _rows_signature(table: GridTable, rows: int) -> set[tuple[int, int, int, int, str]] | None:
    """The cells of the first `rows` grid rows, or None when one of them reaches below."""
    cells = [c for c in table.cells if c.r0 < rows]
    if any(c.r1 > rows for c in cells):
        return None
    return {(c.r0, c.r1, c.c0, c.c1, c.text) for c in cells}


def _drop_repeated_header(first: GridTable, second: GridTable) -> None:
    """Word and WPS repeat header rows on each page ("重复标题行"): keep them once."""
    for rows in (3, 2, 1):
        if len(second.ys) - 1 <= rows:
            continue
        repeated = _rows_signature(second, rows)
        # A header names columns: two label cells at least (one repeated label may just be data).
        labelled = repeated and sum(1 for *_, text in repeated if text and not _numeric(text)) >= 2
        if labelled and repeated == _rows_signature(first, rows):
            second.cells = [c for c in second.cells if c.r0 >= rows]
            for cell in second.cells:
                cell.r0, cell.r1 = cell.r0 - rows, cell.r1 - rows
            second.ys = second.ys[rows:]
            return


def join_tables(first: GridTable, second: GridTable, *, at_page_end: bool) -> GridTable:
    xs = snap(first.xs + second.xs)
    _respan(first, xs)
    _respan(second, xs)
    _drop_repeated_header(first, second)
    offset = len(first.ys) - 1
    boundary = {(c.c0, c.c1): c for c in first.cells if c.r1 == offset}
    split_row = at_page_end and _row_split(boundary, {(c.c0, c.c1): c for c in second.cells if c.r0 == 0}, xs)
    cells = list(first.cells)
    for cell in second.cells:
        cell.r0 += offset
        cell.r1 += offset
        above = boundary.get((cell.c0, cell.c1)) if cell.r0 == offset else None
        if above is not None and (split_row or _joins(above, cell)):
            above.text = join_lines([above.text, cell.text])
            above.r1 = cell.r1
        else:
            cells.append(cell)
    ys = first.ys + [y - second.ys[0] + first.ys[-1] for y in second.ys[1:]]
    return GridTable(xs, ys, sorted(cells, key=lambda g: (g.r0, g.c0)), second.page, first.first_page)


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
    return Table(rows, page=grid.first_page + 1)


def blocks(items: list[Line | GridTable | PositionTable], page_width: float) -> list[Block]:
    """Reading-order items of all pages -> document blocks."""
    geo = geometry(items, page_width)
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
        if isinstance(item, PositionTable):
            out.append(item.table)
            previous_table = None
            continue
        if previous_table is not None and _flows_on(previous_table, item, geo):
            item = join_tables(previous_table, item, at_page_end=previous_table.bottom >= geo.bottom - 1.6 * geo.em)
            out.pop()
        out.append(to_table(item))
        previous_table = item
    flush()
    return out
