"""Bytes in any supported format -> `Document`. Sniffs the format from content first, then name/media type."""

from __future__ import annotations

import os
from pathlib import Path

from crawler.report.document import Document
from crawler.report.extract import formats
from crawler.report.extract import text
from crawler.report.extract.formats import sniff
from nianbao.errors import UnreadableDocument, UnsupportedFormat

MAX_BYTES = 50 * 1024 * 1024

__all__ = ["MAX_BYTES", "extract", "read_capped", "sniff"]


def _too_large(size: int) -> UnreadableDocument:
    return UnreadableDocument(f"文件过大（{size // (1024 * 1024)} MB，上限 {MAX_BYTES // (1024 * 1024)} MB）")


def read_capped(path: str | os.PathLike[str]) -> bytes:
    """Read a file for extraction, refusing one over MAX_BYTES before it is read into memory."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise _too_large(size)
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UnreadableDocument(f"无法读取文件：{file}（{exc.strerror or exc}）") from exc
    if len(data) > MAX_BYTES:
        raise _too_large(len(data))
    return data


def _dispatch(kind: str, data: bytes, media_type: str | None) -> Document:
    # Imported lazily: `nianbao parse` of a text file should not pay for pdfium or python-docx.
    if kind == formats.TEXT:
        return text.extract(data)
    if kind == formats.HTML:
        from crawler.report.extract import html

        return html.extract(data, media_type=media_type)
    if kind == formats.PDF:
        from crawler.report.extract import pdf

        return pdf.extract(data)
    if kind == formats.DOCX:
        from crawler.report.extract import docx

        return docx.extract(data)
    if kind in (formats.XLSX, formats.XLS):
        from crawler.report.extract import sheet

        return sheet.extract(data, kind)
    if kind in (formats.DOC, formats.WPS, formats.RTF, formats.ODT):
        from crawler.report.extract import office

        return office.extract(data, kind)
    if kind == formats.ENCRYPTED_OFFICE:
        raise UnreadableDocument("Office 文件已加密（需要密码），无法读取")
    if kind == formats.BINARY:
        raise UnreadableDocument("无法识别的文件格式：不是文本、HTML、PDF、Word 或 Excel 文档")
    raise UnsupportedFormat(f"不支持的文件格式：{kind}")


def extract(data: bytes, *, name: str | None = None, media_type: str | None = None) -> Document:
    """Read `data` into the document model; raises a DocumentError subclass with a Chinese message."""
    if not data.strip():
        raise UnreadableDocument("文件为空")
    if len(data) > MAX_BYTES:
        raise _too_large(len(data))
    return _dispatch(sniff(data, name=name, media_type=media_type), data, media_type)
