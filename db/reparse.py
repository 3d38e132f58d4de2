"""Re-run the parser over stored documents; the replaced parse of each version is kept in ReportParse."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import unquote, urlsplit

from sqlalchemy import delete, exists, select
from sqlmodel import Session

from crawler.report.model import Report as ParsedReport
from db.models import Document, Fetch, FindingRow, Report, ReportParse, utcnow
from db.reports import _counts, add_findings, content_hash, record_report
from db.store import DocumentStore

# The crawler records a document it could not parse as a fetch with this error prefix.
PARSE_FAILED = "无法解析"

ReadReport = Callable[..., ParsedReport]


def file_name(url: str | None) -> str | None:
    """The last path segment of a document URL, the name the parser sniffs formats by."""
    if not url:
        return None
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or None


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
    parsed = read(store.get(row.document_sha256), name=file_name(row.source_url), media_type=document.media_type)
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


def failed_documents(*, session: Session) -> list[tuple[str, str | None, str]]:
    """(sha256, portal org id, url) of stored documents whose parse failed and that no report uses yet."""
    used = exists().where(Report.document_sha256 == Fetch.sha256)
    query = (select(Fetch.sha256, Fetch.org_id, Fetch.url)
             .where(Fetch.sha256.is_not(None), Fetch.error.startswith(PARSE_FAILED), ~used)  # type: ignore[union-attr]
             .distinct().order_by(Fetch.sha256))
    return [(sha, org, url) for sha, org, url in session.execute(query)]


def retry_failed(*, session: Session, store: DocumentStore, sha256: str, org_id: str | None, url: str,
                 read: ReadReport, parser_version: str | None) -> Report:
    """Parse a document that failed before; on success record it as a report of the portal's org.

    Its first capture stands in for the publication date. Raises DocumentError when it still fails.
    """
    document = session.get_one(Document, sha256)
    parsed = read(store.get(sha256), name=file_name(url), media_type=document.media_type)
    row = record_report(session=session, org_id=org_id, document=document, report=parsed, source_url=url,
                        page_url=None, published_on=None, published_source=None, seen_at=document.first_seen,
                        parser_version=parser_version)
    if document.last_seen > row.last_seen_at:
        row.last_seen_at = document.last_seen
        session.add(row)
    return row
