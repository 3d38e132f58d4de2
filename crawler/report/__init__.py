"""The report library (no Scrapy): bytes -> Document -> Report with findings."""

from __future__ import annotations

import hashlib

from crawler.report.model import Report, Source

PARSER_VERSION = "1"

__all__ = ["PARSER_VERSION", "read_report"]


def read_report(data: bytes, *, name: str | None = None, media_type: str | None = None) -> Report:
    """Extract, parse and validate one document; raises a DocumentError subclass when it is not a report."""
    from crawler.report.extract import extract
    from crawler.report.parse import parse
    from crawler.report.validate import validate

    document = extract(data, name=name, media_type=media_type)
    source = Source(path=name, media_type=document.media_type, sha256=hashlib.sha256(data).hexdigest())
    report = parse(document, source=source)
    report.findings = validate(report)
    return report
