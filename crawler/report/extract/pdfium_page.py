"""Raw pdfium access for one page: glyph boxes and ruling segments, in top-down page coordinates.

pypdfium2's object wrappers cost ~2 ms a page; the raw calls used here are a few µs each.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

MAX_SEGMENTS = 4000  # a path with more is artwork (a logo, a seal), not table rulings
THIN = 3.0  # a filled shape thinner than this (pt) is drawn as a line


class Glyph:
    """One character's box (top-down coordinates) and its centre, computed once: layout reads them often."""

    __slots__ = ("text", "x0", "top", "x1", "bottom", "cx", "cy", "height")

    def __init__(self, text: str, x0: float, top: float, x1: float, bottom: float) -> None:
        self.text, self.x0, self.top, self.x1, self.bottom = text, x0, top, x1, bottom
        self.cx, self.cy, self.height = (x0 + x1) / 2, (top + bottom) / 2, bottom - top

    def __repr__(self) -> str:
        return f"Glyph({self.text!r}, {self.x0:.1f}, {self.top:.1f}, {self.x1:.1f}, {self.bottom:.1f})"


@dataclass(slots=True)
class Segment:
    """A horizontal (y fixed, a..b along x) or vertical (x fixed, a..b along y) ruling."""

    horizontal: bool
    pos: float
    a: float
    b: float


@dataclass(slots=True)
class PageContent:
    width: float
    height: float
    glyphs: list[Glyph]
    segments: list[Segment]
    images: int
    unmapped: int  # glyphs with no usable Unicode (broken fonts: the text layer is unreadable)


def _codes(textpage: ctypes.c_void_p, count: int) -> list[int]:
    """Every char's code point in one call (pdfium returns one UTF-16 unit per char index in the BMP)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)
    codes = list(buffer[:count])
    if any(0xD800 <= code <= 0xDFFF for code in codes):  # surrogates shift indices: ask char by char
        codes = [pdfium_c.FPDFText_GetUnicode(textpage, index) for index in range(count)]
    return codes


def glyphs(textpage: ctypes.c_void_p, height: float) -> tuple[list[Glyph], int]:
    rect = pdfium_c.FS_RECTF()
    ref = ctypes.byref(rect)
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    out: list[Glyph] = []
    seen: set[tuple[int, int, int]] = set()
    unmapped = 0
    for index, code in enumerate(_codes(textpage, pdfium_c.FPDFText_CountChars(textpage))):
        if code < 32 or code in (0xFFFE, 0xFFFF):
            unmapped += code == 0
            continue
        if 0xE000 <= code <= 0xF8FF:
            unmapped += 1
            continue
        get_box(textpage, index, ref)
        if rect.right - rect.left <= 0.01:
            continue  # degenerate boxes are pdfium's implied spaces; gaps decide spacing instead
        # Fake bold prints a character twice, a fraction of a point apart: keep one. Centres in 1 pt columns
        # (neighbours checked, for an offset across a column edge) and 4 pt rows (lines are further apart).
        bx, by = round(rect.left + rect.right) >> 1, round(rect.top + rect.bottom) >> 3
        if (code, bx, by) in seen or (code, bx - 1, by) in seen or (code, bx + 1, by) in seen:
            continue
        seen.add((code, bx, by))
        out.append(Glyph(chr(code), rect.left, height - rect.top, rect.right, height - rect.bottom))
    return out, unmapped


def _matrix(obj: ctypes.c_void_p) -> tuple[float, ...]:
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m))
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _visible(obj: ctypes.c_void_p, stroke: bool) -> bool:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    getter = pdfium_c.FPDFPageObj_GetStrokeColor if stroke else pdfium_c.FPDFPageObj_GetFillColor
    if not getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return True
    return a.value > 0 and min(r.value, g.value, b.value) < 200  # white or transparent lines are not rulings


def _bounds(obj: ctypes.c_void_p) -> tuple[float, float, float, float]:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    pdfium_c.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                                   ctypes.byref(top))
    return left.value, bottom.value, right.value, top.value


def _points(obj: ctypes.c_void_p, matrix: tuple[float, ...]) -> list[list[tuple[float, float]]]:
    """The path's sub-paths as point lists (closed ones repeat their start), in page space."""
    count = pdfium_c.FPDFPath_CountSegments(obj)
    if count <= 0 or count > MAX_SEGMENTS:
        return []
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    paths: list[list[tuple[float, float]]] = []
    for index in range(count):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not paths:
            paths.append([point])
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            paths[-1].append(point)
        else:
            paths[-1].append((float("nan"), float("nan")))  # a curve breaks straight edges
            paths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(seg) and paths[-1]:
            paths[-1].append(paths[-1][0])
    return paths


def _edges(paths: list[list[tuple[float, float]]], height: float, out: list[Segment]) -> None:
    for points in paths:
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            if abs(y0 - y1) < 0.5 and abs(x0 - x1) >= THIN:
                out.append(Segment(True, height - y0, min(x0, x1), max(x0, x1)))
            elif abs(x0 - x1) < 0.5 and abs(y0 - y1) >= THIN:
                out.append(Segment(False, x0, height - max(y0, y1), height - min(y0, y1)))


def _path_segments(obj: ctypes.c_void_p, matrix: tuple[float, ...], height: float, out: list[Segment]) -> None:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
    stroked = bool(stroke.value) and _visible(obj, True)
    filled = fill.value != 0 and _visible(obj, False)
    if not stroked and not filled:
        return
    left, bottom, right, top = _bounds(obj)
    if right - left < THIN or top - bottom < THIN:  # a line, or a thin filled bar drawn as one
        if right - left >= top - bottom:
            out.append(Segment(True, height - (top + bottom) / 2, left, right))
        else:
            out.append(Segment(False, (left + right) / 2, height - top, height - bottom))
        return
    if stroked:  # a filled-only wide shape is cell shading, not a border
        _edges(_points(obj, matrix), height, out)


def walk_objects(page: ctypes.c_void_p, height: float) -> tuple[list[Segment], int]:
    """Ruling segments and the count of images, descending into form XObjects."""
    segments: list[Segment] = []
    images = 0
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    stack: list[tuple[ctypes.c_void_p, int, bool, tuple[float, ...]]] = [(page, 0, False, identity)]
    while stack:
        parent, _, is_form, outer = stack.pop()
        count = (pdfium_c.FPDFFormObj_CountObjects if is_form else pdfium_c.FPDFPage_CountObjects)(parent)
        get = pdfium_c.FPDFFormObj_GetObject if is_form else pdfium_c.FPDFPage_GetObject
        for index in range(max(count, 0)):
            obj = get(parent, index)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                _path_segments(obj, _compose(_matrix(obj), outer), height, segments)
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                images += 1
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and len(stack) < 8:
                stack.append((obj, 0, True, _compose(_matrix(obj), outer)))
    return segments, images


def read_page(document: ctypes.c_void_p, index: int) -> PageContent:
    page = pdfium_c.FPDF_LoadPage(document, index)
    if not page:
        raise ValueError(f"page {index + 1} cannot be loaded")
    try:
        width, height = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
        textpage = pdfium_c.FPDFText_LoadPage(page)
        try:
            found, unmapped = glyphs(textpage, height) if textpage else ([], 0)
        finally:
            if textpage:
                pdfium_c.FPDFText_ClosePage(textpage)
        segments, images = walk_objects(page, height)
        return PageContent(width, height, found, segments, images, unmapped)
    finally:
        pdfium_c.FPDF_ClosePage(page)
