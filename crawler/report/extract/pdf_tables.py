"""Tables from rulings: segments -> grids -> cells with spans, glyphs assigned to cells by their centres."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from crawler.report.extract.pdfium_page import Glyph, Segment
from crawler.report.extract.pdf_text import cell_text

SNAP = 2.0  # rulings closer than this (pt) are one line (double borders, rounding)


@dataclass(slots=True)
class GridCell:
    """A cell on a grid: rows r0..r1-1, columns c0..c1-1 of its table's xs/ys."""

    r0: int
    r1: int
    c0: int
    c1: int
    glyphs: list[Glyph] = field(default_factory=list)
    text: str = ""


@dataclass(slots=True)
class GridTable:
    xs: list[float]
    ys: list[float]
    cells: list[GridCell]
    page: int  # the page it ends on
    first_page: int = -1  # the page it starts on, when it runs across pages

    def __post_init__(self) -> None:
        if self.first_page < 0:
            self.first_page = self.page

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]


class _Union:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def snap(values: list[float]) -> list[float]:
    """Cluster nearly equal coordinates; each cluster is represented by its mean."""
    out: list[list[float]] = []
    for value in sorted(values):
        if out and value - out[-1][-1] <= SNAP:
            out[-1].append(value)
        else:
            out.append([value])
    return [sum(group) / len(group) for group in out]


def merge_collinear(segments: list[Segment]) -> list[Segment]:
    """Join touching or overlapping segments on the same line."""
    merged: list[Segment] = []
    for horizontal in (True, False):
        lines = sorted((s for s in segments if s.horizontal == horizontal), key=lambda s: s.pos)
        groups: list[list[Segment]] = []
        for s in lines:
            if groups and s.pos - groups[-1][-1].pos <= SNAP:
                groups[-1].append(s)
            else:
                groups.append([s])
        for group in groups:
            pos = sum(s.pos for s in group) / len(group)
            group.sort(key=lambda s: s.a)
            current = Segment(horizontal, pos, group[0].a, group[0].b)
            for s in group[1:]:
                if s.a <= current.b + SNAP:
                    current.b = max(current.b, s.b)
                else:
                    merged.append(current)
                    current = Segment(horizontal, pos, s.a, s.b)
            merged.append(current)
    return merged


def components(segments: list[Segment]) -> list[list[Segment]]:
    """Groups of rulings that cross or touch each other: one group per drawn table."""
    union = _Union(len(segments))
    hs = [i for i, s in enumerate(segments) if s.horizontal]
    vs = [i for i, s in enumerate(segments) if not s.horizontal]
    for i in hs:
        h = segments[i]
        for j in vs:
            v = segments[j]
            if h.a - SNAP <= v.pos <= h.b + SNAP and v.a - SNAP <= h.pos <= v.b + SNAP:
                union.join(i, j)
    groups: dict[int, list[Segment]] = {}
    for i, s in enumerate(segments):
        groups.setdefault(union.find(i), []).append(s)
    return list(groups.values())


def _at(lines: list[Segment], positions: list[float]) -> list[list[tuple[float, float]]]:
    """For each grid position, the extents of the rulings drawn there."""
    out: list[list[tuple[float, float]]] = [[] for _ in positions]
    for s in lines:
        for i, pos in enumerate(positions):
            if abs(s.pos - pos) <= SNAP:
                out[i].append((s.a - SNAP, s.b + SNAP))
    return out


def _covered(extents: list[tuple[float, float]], a: float, b: float) -> bool:
    """Is there a ruling across the middle of a..b?"""
    middle = (a + b) / 2
    return any(lo <= middle <= hi for lo, hi in extents)


def _close_open_ends(hs: list[Segment], vs: list[Segment]) -> None:
    """A row cut by a page break may have no ruling on its open side (browsers print tables so): where the
    vertical rulings run past the last horizontal one, close the table there."""
    left, right = min(v.pos for v in vs), max(v.pos for v in vs)
    top, bottom = min(h.pos for h in hs), max(h.pos for h in hs)
    lowest, highest = max(v.b for v in vs), min(v.a for v in vs)
    if lowest > bottom + 2 * SNAP:
        hs.append(Segment(True, lowest, left, right))
    if highest < top - 2 * SNAP:
        hs.append(Segment(True, highest, left, right))


def build_grid(group: list[Segment], page: int) -> GridTable | None:
    hs = [s for s in group if s.horizontal]
    vs = [s for s in group if not s.horizontal]
    if len(hs) < 1 or len(vs) < 2:
        return None
    _close_open_ends(hs, vs)
    if len(hs) < 2:
        return None
    xs, ys = snap([s.pos for s in vs]), snap([s.pos for s in hs])
    if len(xs) < 2 or len(ys) < 2:
        return None
    rows, cols = len(ys) - 1, len(xs) - 1
    verticals, horizontals = _at(vs, xs), _at(hs, ys)
    union = _Union(rows * cols)
    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not _covered(verticals[c + 1], ys[r], ys[r + 1]):
                union.join(r * cols + c, r * cols + c + 1)
            if r + 1 < rows and not _covered(horizontals[r + 1], xs[c], xs[c + 1]):
                union.join(r * cols + c, (r + 1) * cols + c)
    boxes: dict[int, list[int]] = {}
    for r in range(rows):
        for c in range(cols):
            box = boxes.setdefault(union.find(r * cols + c), [r, r + 1, c, c + 1])
            box[0], box[1], box[2], box[3] = min(box[0], r), max(box[1], r + 1), min(box[2], c), max(box[3], c + 1)
    cells = sorted((GridCell(*box) for box in boxes.values()), key=lambda g: (g.r0, g.c0))
    return GridTable(xs, ys, cells, page)


def assign(table: GridTable, glyphs: list[Glyph]) -> list[Glyph]:
    """Put each glyph inside the table into its cell; return the glyphs outside."""
    index = {}
    for cell in table.cells:
        for r in range(cell.r0, cell.r1):
            for c in range(cell.c0, cell.c1):
                index[(r, c)] = cell
    xs, ys = table.xs, table.ys
    x0, x1, y0, y1 = xs[0], xs[-1], ys[0], ys[-1]
    outside = []
    for glyph in glyphs:
        cx, cy = glyph.cx, glyph.cy
        if not (x0 < cx < x1 and y0 < cy < y1):
            outside.append(glyph)
            continue
        cell = index.get((bisect_right(ys, cy) - 1, bisect_right(xs, cx) - 1))
        if cell is None:
            outside.append(glyph)
        else:
            cell.glyphs.append(glyph)
    for cell in table.cells:
        cell.text = cell_text(cell.glyphs)
    return outside


def page_tables(segments: list[Segment], glyphs: list[Glyph], page: int) -> tuple[list[GridTable], list[Glyph]]:
    """The ruled tables of a page and the glyphs that are not in any; a single boxed cell is not a table."""
    tables = []
    free = glyphs
    for group in components(merge_collinear(segments)):
        table = build_grid(group, page)
        if table is None or len(table.cells) < 2:
            continue
        free = assign(table, free)
        tables.append(table)
    tables.sort(key=lambda t: t.top)
    return tables, free
