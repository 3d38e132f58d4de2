"""PDF with a text layer (pypdfium2): ruled tables, re-flowed paragraphs, tables continued across pages.

A scan (pages of images with no text) raises NeedsOCR; an encrypted PDF a clear error.
"""

from __future__ import annotations

import re
from collections import Counter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from crawler.report.document import Document
from crawler.report.extract import pdf_flow, pdf_positions
from crawler.report.extract.pdf_tables import GridTable, page_tables
from crawler.report.extract.pdf_positions import PositionTable
from crawler.report.extract.pdf_text import Line, lines
from crawler.report.extract.pdfium_page import PageContent, read_page
from nianbao.errors import NeedsOCR, UnreadableDocument

MAX_PAGES = 500
MIN_TEXT = 20  # glyphs on a page below which it has no real text layer


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise UnreadableDocument("PDF 文件已加密（需要密码），无法读取") from exc
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_SECURITY:
            raise UnreadableDocument("PDF 文件使用了不支持的加密方式，无法读取") from exc
        raise UnreadableDocument(f"PDF 文件已损坏或不完整，无法读取（{exc}）") from exc


def _check_text_layer(pages: list[PageContent]) -> None:
    """No text at all, or mostly pages that are pictures with (almost) no text: a scan."""
    glyph_count = sum(len(p.glyphs) for p in pages)
    scanned = sum(1 for p in pages if p.images and len(p.glyphs) < MIN_TEXT)
    if glyph_count == 0 or 2 * scanned > len(pages):
        raise NeedsOCR("PDF 没有文字层（扫描件或图片），需要OCR识别")
    if sum(p.unmapped for p in pages) > glyph_count:
        raise NeedsOCR("PDF 文字层无法识别（字体缺少编码映射），需要OCR识别")


def _running_key(line: Line) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s", "", line.text))


def _running(pages: list[tuple[PageContent, list[Line]]]) -> set[str]:
    """Header and footer lines printed on at least half the pages (numbers ignored): running heads."""
    seen: Counter[str] = Counter()
    for content, body in pages:
        seen.update({_running_key(ln) for ln in body if pdf_flow.in_margin(ln, content.height)})
    return {key for key, count in seen.items() if count >= 2 and 2 * count >= len(pages)}


def _items(contents: list[PageContent]) -> list[Line | GridTable | PositionTable]:
    """Every page's tables and body lines in reading order; page numbers and running heads dropped."""
    laid_out = []
    for index, content in enumerate(contents):
        tables, free = page_tables(content.segments, content.glyphs, index)
        laid_out.append((content, tables, lines(free, index)))
    running = _running([(content, body) for content, _, body in laid_out])
    items: list[Line | GridTable | PositionTable] = []
    for content, tables, body in laid_out:
        kept = [ln for ln in body if not (pdf_flow.is_page_furniture(ln, content.height)
                                          or (pdf_flow.in_margin(ln, content.height) and _running_key(ln) in running))]
        page_items: list[Line | GridTable | PositionTable] = [*pdf_positions.group(kept), *tables]
        items.extend(sorted(page_items, key=lambda item: item.top))
    return items


def _meta(document: pdfium.PdfDocument) -> dict[str, str]:
    try:
        found = document.get_metadata_dict(skip_empty=True)
    except (pdfium.PdfiumError, UnicodeDecodeError):
        return {}
    return {key.lower() if key == "Title" else key: str(value) for key, value in found.items()}


def extract(data: bytes) -> Document:
    document = _open(data)
    try:
        count = len(document)
        if count == 0:
            raise UnreadableDocument("PDF 文件没有页面")
        if count > MAX_PAGES:
            raise UnreadableDocument(f"PDF 页数过多（{count} 页），不像年度报告")
        pages = [read_page(document.raw, index) for index in range(count)]
        _check_text_layer(pages)
        return Document(blocks=pdf_flow.blocks(_items(pages), pages[0].width), media_type="application/pdf", pages=count,
                        meta=_meta(document))
    except ValueError as exc:
        raise UnreadableDocument(f"PDF 文件已损坏，无法读取（{exc}）") from exc
    finally:
        document.close()
