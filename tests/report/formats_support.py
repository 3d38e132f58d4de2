"""Helpers shared by the format tests: comparing documents, truth, and building odd inputs."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from crawler.report.document import Document, Table

TABLES = ("art20", "applications", "review_litigation")
META = ("title", "org", "year", "template")


def shape(document: Document) -> list[tuple[Any, ...]]:
    """Blocks as comparable tuples; whitespace dropped (formats differ in spacing, never in characters)."""
    out: list[tuple[Any, ...]] = []
    for block in document.blocks:
        if isinstance(block, Table):
            out.append(("table", tuple(tuple((re.sub(r"\s", "", c.text), c.rowspan, c.colspan) for c in row)
                                       for row in block.rows)))
        elif text := re.sub(r"\s", "", block.text):
            out.append(("p", text))
    return out


def truth_of(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def differences(got: dict[str, Any], truth: dict[str, Any]) -> list[str]:
    """Every metadata field, cell (value and type) and finding rule that differs from the truth."""
    bad = [f"{k}: {got[k]!r} != {truth[k]!r}" for k in META if got[k] != truth[k]]
    for table in TABLES:
        for row, fields in truth[table].items():
            for name, expected in fields.items():
                value = got[table].get(row, {}).get(name, "missing")
                if value != expected or type(value) is not type(expected):
                    bad.append(f"{table}.{row}.{name}: {value!r} != {expected!r}")
    rules = sorted({f["rule"] for f in got["findings"]})
    if rules != sorted(truth["expected_findings"]):
        bad.append(f"findings {rules} != {truth['expected_findings']}: {[f['message'] for f in got['findings']]}")
    return bad


def pdf_with_text(lines: list[str], *, encrypt: str | None = None) -> bytes:
    """A small PDF with a real text layer (CJK via reportlab's built-in STSong-Light)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    page.setFont("STSong-Light", 12)
    for index, line in enumerate(lines):
        page.drawString(72, 780 - 18 * index, line)
    page.save()
    return buffer.getvalue()


def image_only_pdf(pages: int = 2) -> bytes:
    """A 'scan': pages holding only a picture, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (400, 560), "white")
    ImageDraw.Draw(picture).rectangle((40, 40, 360, 120), outline="black", width=3)
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        page.drawImage(ImageReader(picture), 50, 100, width=480, height=670)
        page.showPage()
    page.save()
    return buffer.getvalue()
