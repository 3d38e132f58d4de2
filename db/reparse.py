"""Re-run the parser over stored documents; the replaced parse of each version is kept in ReportParse."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, select
from sqlmodel import Session

from crawler.report.model import Report as ParsedReport
from db.models import Document, FindingRow, Report, ReportParse, utcnow
from db.reports import _counts, add_findings, content_hash
from db.store import DocumentStore

ReadReport = Callable[..., ParsedReport]


def report_ids(*, session: Session, year: int | None = None) -> list[int]:
    """Every stored report version (of `year`, when given), oldest first."""
    query = select(Report.id).order_by(Report.id)  # type: ignore[arg-type]
    if year is not None:
        query = query.where(Report.year == year)
    return list(session.execute(query).scalars())


def reparse_report(*, session: Session, store: DocumentStore, report_id: int, read: ReadReport,
                   parser_version: str | None, now: datetime | None = None) -> bool:
    """Parse one version's document again; True when the stored parse changed (the old one is archived).

    Raises DocumentError when the document cannot be read now and NotFound when its bytes are missing.
    """
    row = session.get_one(Report, report_id)
    document = session.get_one(Document, row.document_sha256)
    parsed = read(store.get(row.document_sha256), name=row.source_url, media_type=document.media_type)
    data = parsed.to_json()
    if data == row.data and parser_version == row.parser_version:
        return False
    now = now or utcnow()
    session.add(ReportParse(report_id=report_id, parser_version=row.parser_version, data=row.data,
                            error_count=row.error_count, warning_count=row.warning_count,
                            parsed_at=row.parsed_at, replaced_at=now))
    session.execute(delete(FindingRow).where(FindingRow.report_id == report_id))  # type: ignore[arg-type]
    row.error_count, row.warning_count = _counts(parsed)
    row.data, row.parser_version, row.parsed_at = data, parser_version, now
    row.template, row.title, row.claimed_org, row.printed_on = parsed.template, parsed.title, parsed.org, parsed.published_on
    row.content_hash = content_hash(parsed)
    session.add(row)
    session.flush()
    add_findings(session=session, report_id=report_id, report=parsed)
    return True


def parse_history(*, session: Session, report_id: int) -> list[ReportParse]:
    """Earlier parses of one report version, oldest first."""
    query = select(ReportParse).where(ReportParse.report_id == report_id).order_by(ReportParse.id)  # type: ignore[arg-type]
    return list(session.execute(query).scalars())
