"""Parsing in worker processes: a PDF's parse must not hold the crawler's GIL (only the report library imports)."""

from __future__ import annotations

from crawler.report import read_report
from crawler.report.model import Report
from nianbao.errors import DocumentError


def parse(data: bytes, name: str | None, media_type: str | None) -> tuple[Report | None, str | None]:
    """(report, None), or (None, the Chinese reason) when the document is not a readable report."""
    try:
        return read_report(data, name=name, media_type=media_type), None
    except DocumentError as exc:
        return None, str(exc)
