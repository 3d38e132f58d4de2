"""PDF specifics beyond the real report: tables without rulings, shading that is not a ruling, spacing."""

from __future__ import annotations

import io

import pytest

from crawler.report.document import Cell, Paragraph, Table
from crawler.report.extract import extract

ROWS = [("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "1", "", "11"),
        ("行政规范性文件", "8", "26", "66")]
COLUMNS = [72, 230, 320, 410]


def _pdf(*, rulings: bool, shading: bool = False, style: str = "lines") -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    if shading:  # a filled header band and a white box: neither draws a table
        page.setFillColorRGB(0.78, 0.85, 0.95)
        page.rect(66, 722, 440, 22, stroke=0, fill=1)
        page.setFillColorRGB(1, 1, 1)
        page.rect(60, 600, 460, 30, stroke=0, fill=1)
    page.setFillColorRGB(0, 0, 0)
    page.setFont("STSong-Light", 10.5)
    page.drawString(72, 760, "二、主动公开政府信息情况")
    for index, row in enumerate(ROWS):
        for x, text in zip(COLUMNS, row):
            page.drawString(x, 730 - 22 * index, text)
    xs, ys = [66, 224, 314, 404, 506], [744, 722, 700, 678]
    if rulings and style == "lines":
        for y in ys:
            page.line(xs[0], y, xs[-1], y)
        for x in xs:
            page.line(x, ys[-1], x, ys[0])
    elif rulings and style == "grid":  # one path holding every ruling
        page.grid(xs, ys)
    elif rulings:  # a stroked rectangle per cell
        for top, bottom in zip(ys, ys[1:]):
            for left, right in zip(xs, xs[1:]):
                page.rect(left, bottom, right - left, top - bottom, stroke=1, fill=0)
    page.drawString(72, 640, "三、收到和处理政府信息公开申请情况")
    page.save()
    return buffer.getvalue()


def _expected() -> Table:
    return Table([[Cell(text) for text in row] for row in ROWS], page=1)


@pytest.mark.parametrize("style", ["lines", "grid", "rects"])
def test_ruled_table_with_shading(style: str) -> None:
    blocks = extract(_pdf(rulings=True, shading=True, style=style)).blocks
    assert blocks == [Paragraph("二、主动公开政府信息情况", 1), _expected(), Paragraph("三、收到和处理政府信息公开申请情况", 1)]


def test_table_without_rulings_from_text_positions() -> None:
    blocks = extract(_pdf(rulings=False)).blocks
    assert blocks == [Paragraph("二、主动公开政府信息情况", 1), _expected(), Paragraph("三、收到和处理政府信息公开申请情况", 1)]


def test_shading_alone_makes_no_table() -> None:
    tables = [b for b in extract(_pdf(rulings=False, shading=True)).blocks if isinstance(b, Table)]
    assert tables == [_expected()]  # from positions; the filled bands add no cells


def _paged(texts: list[list[str]]) -> bytes:
    """Pages with a running head, a page-number footer, and the given body lines."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for number, lines in enumerate(texts, start=1):
        page.setFont("STSong-Light", 9)
        page.drawString(250, 815, "某市人民政府办公室")
        page.drawString(270, 30, f"第 {number} 页 共 {len(texts)} 页")
        page.setFont("STSong-Light", 12)
        for index, line in enumerate(lines):
            page.drawString(72 if index else 96, 740 - 18 * index, line)
        page.showPage()
    page.save()
    return buffer.getvalue()


def test_running_heads_and_page_numbers_dropped() -> None:
    full = "这一行写满了整整一行的文字内容用来测试跨页的段落是否接续起来没有"  # 36 characters fill the line
    texts = [["一、总体情况", full], ["二、主动公开政府信息情况", "本页正文。"], ["三、收到和处理政府信息公开申请情况"]]
    blocks = extract(_paged(texts)).blocks
    assert [b.text for b in blocks] == ["一、总体情况", full, "二、主动公开政府信息情况", "本页正文。",
                                        "三、收到和处理政府信息公开申请情况"]


def test_fake_bold_title_printed_twice_reads_once() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light", 16)
    for offset in (0.0, 0.3):  # how WPS and Word embolden a CJK font that has no bold face
        page.drawString(150 + offset, 760, "某市2023年政府信息公开工作年度报告")
    page.save()
    assert [b.text for b in extract(buffer.getvalue()).blocks] == ["某市2023年政府信息公开工作年度报告"]
