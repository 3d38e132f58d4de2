"""DOC, WPS, RTF, ODT: converted to DOCX by LibreOffice, then read by the DOCX extractor."""

from __future__ import annotations

from crawler.report.document import Document
from crawler.report.extract import docx, formats
from crawler.report.extract.lo import shared_office

_EXT = {formats.DOC: "doc", formats.WPS: "wps", formats.RTF: "rtf", formats.ODT: "odt"}


def extract(data: bytes, kind: str) -> Document:
    # Kingsoft WPS files with a WordDocument stream are Word 97 inside: named .doc, LibreOffice reads them so
    # (as .wps its type detection may try the Microsoft Works filter).
    word_inside = kind == formats.WPS and "WordDocument".encode("utf-16-le") in data
    src_ext = "doc" if word_inside else _EXT.get(kind, "doc")
    converted = shared_office().convert(data, src_ext=src_ext, dst_ext="docx")
    document = docx.extract(converted)
    document.media_type = kind
    return document
