"""Glyphs -> visual lines -> text, for a table cell or the page body."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.report.extract.pdfium_page import Glyph
from crawler.report.extract.textutil import join_lines

GAP_SPACE = 0.8  # a gap wider than this many glyph heights is a space


@dataclass(slots=True)
class Line:
    glyphs: list[Glyph]
    page: int = 0

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs)

    @property
    def top(self) -> float:
        return min(g.top for g in self.glyphs)

    @property
    def bottom(self) -> float:
        return max(g.bottom for g in self.glyphs)

    @property
    def size(self) -> float:
        """The line's typical glyph height (mixed fonts give some glyphs taller boxes)."""
        heights = sorted(g.bottom - g.top for g in self.glyphs)
        return heights[len(heights) // 2]

    @property
    def text(self) -> str:
        parts: list[str] = []
        previous: Glyph | None = None
        for glyph in self.glyphs:
            if previous is not None and glyph.x0 - previous.x1 > GAP_SPACE * (glyph.bottom - glyph.top):
                parts.append(" ")
            parts.append(glyph.text)
            previous = glyph
        return "".join(parts)


def lines(glyphs: list[Glyph], page: int = 0) -> list[Line]:
    """Group glyphs whose vertical centres align into lines, top to bottom, each left to right."""
    out: list[Line] = []
    current: list[Glyph] = []
    centre = height = 0.0
    for glyph in sorted(glyphs, key=lambda g: g.cy):
        size = glyph.bottom - glyph.top
        if current and abs(glyph.cy - centre) <= 0.4 * max(size, height):
            current.append(glyph)
            continue
        if current:
            out.append(Line(sorted(current, key=lambda g: g.x0), page))
        current, centre, height = [glyph], glyph.cy, size
    if current:
        out.append(Line(sorted(current, key=lambda g: g.x0), page))
    return out


def cell_text(glyphs: list[Glyph]) -> str:
    return join_lines([line.text for line in lines(glyphs)])
