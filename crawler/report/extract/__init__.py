"""Bytes in any supported format -> `Document`. Sniffs the format from content first, then name/media type."""

from __future__ import annotations

from crawler.report.document import Document
from crawler.report.extract import text
from nianbao.errors import UnreadableDocument, UnsupportedFormat

MAX_BYTES = 50 * 1024 * 1024


def sniff(data: bytes, *, name: str | None = None, media_type: str | None = None) -> str:
    """The media type of `data`, trusting magic bytes over a portal's (often wrong) Content-Type."""
    head = data[:2048].lstrip()
    lowered = head.lower()
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if lowered.startswith((b"<!doctype html", b"<html", b"<meta", b"<head", b"<body", b"<div", b"<table", b"<p")):
        return "text/html"
    if name and name.lower().endswith((".html", ".htm", ".shtml", ".jhtml")):
        return "text/html"
    if media_type and "html" in media_type:
        return "text/html"
    return "text/plain"


def extract(data: bytes, *, name: str | None = None, media_type: str | None = None) -> Document:
    """Read `data` into the document model; raises a DocumentError subclass with a Chinese message."""
    if not data.strip():
        raise UnreadableDocument("文件为空")
    if len(data) > MAX_BYTES:
        raise UnreadableDocument(f"文件过大（{len(data) // (1024 * 1024)} MB，上限 {MAX_BYTES // (1024 * 1024)} MB）")
    kind = sniff(data, name=name, media_type=media_type)
    if kind == "text/plain":
        return text.extract(data)
    raise UnsupportedFormat(f"不支持的文件格式：{kind}")
