"""Glyphs -> visual lines -> text, for a table cell or the page body."""

from __future__ import annotations

from crawler.report.extract.pdfium_page import Glyph
from crawler.report.extract.textutil import join_lines

GAP_SPACE = 0.8  # a gap wider than this many glyph heights is a space


class Line:
    """Glyphs on one baseline, left to right, with their extent computed once."""

    __slots__ = ("glyphs", "page", "x0", "x1", "top", "bottom", "size")

    def __init__(self, glyphs: list[Glyph], page: int = 0) -> None:
        self.glyphs, self.page = glyphs, page
        self.x0 = glyphs[0].x0
        self.x1 = max(g.x1 for g in glyphs)
        self.top = min(g.top for g in glyphs)
        self.bottom = max(g.bottom for g in glyphs)
        # The typical glyph height: mixed fonts give some glyphs taller boxes.
        heights = sorted(g.height for g in glyphs)
        self.size = heights[len(heights) // 2]

    @property
    def text(self) -> str:
        parts: list[str] = []
        previous: Glyph | None = None
        for glyph in self.glyphs:
            if previous is not None and glyph.x0 - previous.x1 > GAP_SPACE * glyph.height:
                parts.append(" ")
            parts.append(glyph.text)
            previous = glyph
        return "".join(parts)


def _centre(glyph: Glyph) -> float:
    return glyph.cy


def _left(glyph: Glyph) -> float:
    return glyph.x0


def lines(glyphs: list[Glyph], page: int = 0) -> list[Line]:
    """Group glyphs whose vertical centres align into lines, top to bottom, each left to right."""
    out: list[Line] = []
    current: list[Glyph] = []
    centre = height = 0.0
    for glyph in sorted(glyphs, key=_centre):
        size = glyph.height
        if current and abs(glyph.cy - centre) <= 0.4 * max(size, height):
            current.append(glyph)
            continue
        if current:
            out.append(Line(sorted(current, key=_left), page))
        current, centre, height = [glyph], glyph.cy, size
    if current:
        out.append(Line(sorted(current, key=_left), page))
    return out


def cell_text(glyphs: list[Glyph]) -> str:
    return join_lines([line.text for line in lines(glyphs)])
