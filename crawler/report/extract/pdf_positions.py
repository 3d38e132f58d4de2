"""Tables without rulings, from text positions: lines split at wide gaps become rows of cells.

A fallback for PDFs whose tables have no drawn borders; a line broken inside a cell (a short line
between two rows) is joined to the nearer row's cell under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.report.document import Cell, Table
from crawler.report.extract.pdf_text import GAP_SPACE, Line
from crawler.report.extract.textutil import join_lines

COLUMN_GAP = 1.5  # a gap wider than this many glyph heights separates cells
_NUMBER = re.compile(r"^[-\d,，.\s/—]+$")


@dataclass(slots=True)
class Piece:
    text: str
    x0: float
    x1: float


@dataclass(slots=True)
class PositionTable:
    table: Table
    page: int
    top: float
    bottom: float


def pieces(line: Line) -> list[Piece]:
    """The line cut at column gaps."""
    out: list[Piece] = []
    start = 0
    glyphs = line.glyphs
    for index in range(1, len(glyphs) + 1):
        if index == len(glyphs) or glyphs[index].x0 - glyphs[index - 1].x1 > COLUMN_GAP * line.size:
            part = Line(glyphs[start:index], line.page)
            out.append(Piece(part.text, part.x0, part.x1))
            start = index
    return out


def _is_row(cut: list[Piece]) -> bool:
    return len(cut) >= 3 or (len(cut) == 2 and bool(_NUMBER.match(cut[-1].text)))


def _attach(row: list[Piece], line: Line, before: bool) -> None:
    """Join a wrapped line's text to the cell of `row` it sits under (most horizontal overlap)."""
    def overlap(piece: Piece) -> float:
        return min(piece.x1, line.x1) - max(piece.x0, line.x0)

    target = max(row, key=overlap)
    target.text = join_lines([line.text, target.text] if before else [target.text, line.text])


def _columns(found: list[Piece], em: float) -> list[float]:
    """Left edges of the columns: the pieces' left edges, clustered."""
    anchors: list[float] = []
    for x in sorted(p.x0 for p in found):
        if not anchors or x - anchors[-1] > em:
            anchors.append(x)
    return anchors


def _aligned(cut: list[Piece], anchors: list[float]) -> list[Cell]:
    """A row with one cell per column, blank where the row prints nothing."""
    texts = [""] * len(anchors)
    for piece in cut:
        column = max(i for i, x in enumerate(anchors) if x <= piece.x0 + 1.0)
        texts[column] = join_lines([texts[column], piece.text])
    return [Cell(text) for text in texts]


def _table(run: list[tuple[Line, list[Piece]]]) -> PositionTable:
    rows = [(line, cut) for line, cut in run if _is_row(cut)]
    for line, cut in run:
        if _is_row(cut):
            continue
        nearest = min(rows, key=lambda r: min(abs(r[0].top - line.bottom), abs(line.top - r[0].bottom)))
        _attach(nearest[1], line, before=line.top < nearest[0].top)
    anchors = _columns([p for _, cut in rows for p in cut], min(line.size for line, _ in rows))
    table = Table([_aligned(cut, anchors) for _, cut in rows], page=run[0][0].page + 1)
    return PositionTable(table, run[0][0].page, run[0][0].top, run[-1][0].bottom)


def _runs(cuts: list[list[Piece]], body: list[Line]) -> list[tuple[int, int]]:
    """Index ranges of row lines, with short non-row lines between two rows kept inside."""
    ranges: list[tuple[int, int]] = []
    index = 0
    while index < len(body):
        if not _is_row(cuts[index]):
            index += 1
            continue
        end = index + 1
        while end < len(body):
            if _is_row(cuts[end]):
                end += 1
                continue
            ahead = next((k for k in range(end, min(end + 3, len(body))) if _is_row(cuts[k])), None)
            width = max(ln.x1 for ln in body[index:end]) - min(ln.x0 for ln in body[index:end])
            if ahead is None or any(ln.x1 - ln.x0 > 0.6 * width for ln in body[end:ahead]):
                break
            end = ahead
        if sum(1 for k in range(index, end) if _is_row(cuts[k])) >= 2:
            ranges.append((index, end))
        index = end
    return ranges


def group(body: list[Line]) -> list[Line | PositionTable]:
    """Body lines of one page (top to bottom) with runs of table rows replaced by tables."""
    cuts = [pieces(line) for line in body]
    out: list[Line | PositionTable] = []
    previous = 0
    for start, end in _runs(cuts, body):
        out.extend(body[previous:start])
        out.append(_table(list(zip(body[start:end], cuts[start:end]))))
        previous = end
    out.extend(body[previous:])
    return out


assert COLUMN_GAP > GAP_SPACE  # a column gap is always also a word space
