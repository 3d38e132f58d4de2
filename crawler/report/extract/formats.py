"""Format sniffing: magic bytes decide, file name and Content-Type are only hints (portals send wrong ones)."""

from __future__ import annotations

import io
import zipfile

PDF = "application/pdf"
HTML = "text/html"
TEXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
DOC = "application/msword"
WPS = "application/vnd.ms-works"
XLS = "application/vnd.ms-excel"
RTF = "application/rtf"
ZIP = "application/zip"
BINARY = "application/octet-stream"
ENCRYPTED_OFFICE = "application/x-encrypted-office"  # an OOXML file with a password (an OLE2 EncryptedPackage)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<table", b"<div", b"<p>", b"<p ",
                 b"<title", b"<!--", b"<?xml")
_EXTENSIONS = {".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX, ".doc": DOC, ".wps": WPS, ".xls": XLS, ".et": XLS,
               ".html": HTML, ".htm": HTML, ".shtml": HTML, ".jhtml": HTML, ".txt": TEXT, ".odt": ODT, ".rtf": RTF}


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def sniff_ole2(data: bytes, hint: str | None) -> str:
    """DOC, WPS or XLS: the OLE2 directory names its streams (UTF-16), so look for them."""
    if _utf16("EncryptedPackage") in data:
        return ENCRYPTED_OFFICE
    if _utf16("Workbook") in data or _utf16("Book\x00") in data:
        return XLS
    if hint == WPS:
        return WPS
    if _utf16("WordDocument") in data:
        return DOC
    return hint if hint in (DOC, WPS, XLS) else DOC


def sniff_zip(data: bytes) -> str:
    """DOCX, XLSX or ODT by the names in the archive (a truncated archive still has local headers)."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        names = set()
    blob = data if not names else b""
    if "word/document.xml" in names or b"word/document.xml" in blob:
        return DOCX
    if "xl/workbook.xml" in names or b"xl/workbook.xml" in blob:
        return XLSX
    if b"application/vnd.oasis.opendocument.text" in data[:200]:
        return ODT
    return ZIP


def _hint(name: str | None, media_type: str | None) -> str | None:
    if name:
        lowered = name.lower().split("?")[0]
        for ext, kind in _EXTENSIONS.items():
            if lowered.endswith(ext):
                return kind
    if media_type:
        base = media_type.split(";")[0].strip().lower()
        if "html" in base:
            return HTML
        if base in (PDF, DOCX, XLSX, DOC, XLS, WPS, ODT, RTF, TEXT):
            return base
        if base in ("application/kswps", "application/wps-office.wps", "application/vnd.ms-wps"):
            return WPS
    return None


def looks_binary(data: bytes) -> bool:
    """Control bytes other than whitespace in the head: not text in any Chinese encoding."""
    head = data[:8192]
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) // 100


def sniff(data: bytes, *, name: str | None = None, media_type: str | None = None) -> str:
    """The media type of `data`, trusting magic bytes over a portal's (often wrong) Content-Type."""
    hint = _hint(name, media_type)
    if b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(OLE2_MAGIC):
        return sniff_ole2(data, hint)
    if data.startswith(b"PK\x03\x04"):
        return sniff_zip(data)
    if data.startswith(b"{\\rtf"):
        return RTF
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and (head.startswith(_HTML_MARKERS) or b"<html" in head or b"<body" in head):
        return HTML
    if looks_binary(data):
        return BINARY
    if hint == HTML and b"<" in head:
        return HTML
    return TEXT
