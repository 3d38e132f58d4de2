"""DOC, WPS, RTF, ODT: converted to DOCX by LibreOffice, then read by the DOCX extractor."""

from __future__ import annotations

from crawler.report.document import Document
from crawler.report.extract import docx, formats
from crawler.report.extract.lo import shared_office

_EXT = {formats.DOC: "doc", formats.WPS: "wps", formats.RTF: "rtf", formats.ODT: "odt"}


def extract(data: bytes, kind: str) -> Document:
    converted = shared_office().convert(data, src_ext=_EXT.get(kind, "doc"), dst_ext="docx")
    document = docx.extract(converted)
    document.media_type = kind
    return document
