"""Documents and report versions.

The same bytes (or the same parsed content in new bytes, e.g. a page with a visitor counter) seen
again only move `last_seen`; changed content becomes a new version, and the old version and its
findings stay. `is_latest` marks the version pages and statuses use.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from crawler.report.model import Report as ParsedReport
from db.models import Document, FindingRow, Org, Report
from db.store import DocumentStore

# Publication dates are calendar dates where the bodies are; first_seen falls back to this zone.
CHINA = ZoneInfo("Asia/Shanghai")


def record_document(*, session: Session, store: DocumentStore, data: bytes, media_type: str,
                    source_url: str | None, seen_at: datetime) -> Document:
    """Store the bytes once and upsert their row: a known sha256 only moves last_seen forward."""
    sha256 = store.put(data)
    values = {"sha256": sha256, "media_type": media_type, "size": len(data), "source_url": source_url,
              "first_seen": seen_at, "last_seen": seen_at}
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(Document).values(**values)
    new_first, new_last = stmt.excluded.first_seen, stmt.excluded.last_seen
    stmt = stmt.on_conflict_do_update(
        index_elements=["sha256"],
        set_={"first_seen": case((new_first < Document.first_seen, new_first), else_=Document.first_seen),  # type: ignore[operator]
              "last_seen": case((new_last > Document.last_seen, new_last), else_=Document.last_seen)},  # type: ignore[operator]
        where=or_(new_last > Document.last_seen, new_first < Document.first_seen),  # type: ignore[operator]
    )
    row = session.scalars(stmt.returning(Document), execution_options={"populate_existing": True}).first()
    # No row back: known bytes seen earlier than their last_seen (an old capture replayed).
    return row if row is not None else session.get_one(Document, sha256)


def content_hash(report: ParsedReport) -> str:
    """sha256 of the parsed report without its source: equal for the same content in other bytes."""
    data = report.to_json()
    data.pop("source", None)
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _key(org_id: str | None, year: int | None) -> ColumnElement[bool]:
    org = Report.org_id.is_(None) if org_id is None else Report.org_id == org_id  # type: ignore[union-attr]
    yr = Report.year.is_(None) if year is None else Report.year == year  # type: ignore[union-attr]
    return and_(org, yr)


def record_report(*, session: Session, org_id: str | None, document: Document, report: ParsedReport,
                  source_url: str | None, page_url: str | None, published_on: date | None,
                  published_source: str | None, seen_at: datetime, year: int | None = None,
                  parser_version: str | None = None) -> Report:
    """Record a parsed report seen at `seen_at`; returns the version it is (new when first_seen_at == seen_at).

    `year` defaults to the report's own; `published_on` None means "first seen" (a date in China).
    Reports of bodies not in the registry (org_id None) are keyed by document only.
    """
    year = report.year if year is None else year
    if org_id is not None and session.get_bind().dialect.name == "postgresql":
        # Serialise writers of one organisation (SQLite already runs one writer at a time).
        session.execute(select(Org.id).where(Org.id == org_id).with_for_update())
    chash = content_hash(report)
    query = select(Report).where(_key(org_id, year)).order_by(Report.version)
    if org_id is None:  # an unregistered body: each document stands alone, as its version 1
        query = query.where(Report.document_sha256 == document.sha256)
    versions = list(session.execute(query).scalars())
    for known in versions:
        same_bytes = known.document_sha256 == document.sha256
        if same_bytes or (org_id is not None and known.content_hash == chash):
            _seen_again(session, known, seen_at)
            return known
    if versions:
        session.execute(update(Report).where(_key(org_id, year), Report.is_latest).values(is_latest=False))
    row = _new_version(org_id=org_id, year=year, version=max((v.version for v in versions), default=0) + 1,
                       document=document, report=report, chash=chash, source_url=source_url, page_url=page_url,
                       published_on=published_on, published_source=published_source, seen_at=seen_at,
                       parser_version=parser_version)
    session.add(row)
    session.flush()
    add_findings(session=session, report_id=row.id, report=report)  # type: ignore[arg-type]
    return row


def _seen_again(session: Session, known: Report, seen_at: datetime) -> None:
    """Widen the version's seen interval; an older capture replayed moves first_seen (and its date) back."""
    if known.first_seen_at <= seen_at <= known.last_seen_at:
        return
    if seen_at > known.last_seen_at:
        known.last_seen_at = seen_at
    else:
        known.first_seen_at = seen_at
        if known.published_source == "first_seen":
            known.published_on = seen_at.astimezone(CHINA).date()
    session.add(known)
    session.flush()


def _new_version(*, org_id: str | None, year: int | None, version: int, document: Document,
                 report: ParsedReport, chash: str, source_url: str | None, page_url: str | None,
                 published_on: date | None, published_source: str | None, seen_at: datetime,
                 parser_version: str | None) -> Report:
    if published_on is None:
        published_on, published_source = seen_at.astimezone(CHINA).date(), "first_seen"
    errors, warnings = _counts(report)
    return Report(
        org_id=org_id, claimed_org=report.org, year=year, version=version, is_latest=True,
        template=report.template, title=report.title, printed_on=report.published_on,
        published_on=published_on, published_source=published_source or "page",
        first_seen_at=seen_at, last_seen_at=seen_at, content_hash=chash, document_sha256=document.sha256,
        source_url=source_url, page_url=page_url, parser_version=parser_version, data=report.to_json(),
        error_count=errors, warning_count=warnings, created_at=seen_at, parsed_at=seen_at,
    )


def _counts(report: ParsedReport) -> tuple[int, int]:
    errors = sum(1 for f in report.findings if f.severity == "error")
    return errors, sum(1 for f in report.findings if f.severity == "warning")


def add_findings(*, session: Session, report_id: int, report: ParsedReport) -> None:
    """Store the report's findings against one report version."""
    session.add_all(FindingRow(report_id=report_id, rule=f.rule, severity=f.severity, message=f.message,
                               cells=list(f.cells)) for f in report.findings)


def latest_reports(*, session: Session, year: int | None) -> list[Report]:
    """The newest version of every report for `year` (every year when None), by org id."""
    query = select(Report).where(Report.is_latest)
    if year is not None:
        query = query.where(Report.year == year)
    return list(session.execute(query.order_by(Report.org_id, Report.year, Report.id)).scalars())  # type: ignore[arg-type]


def report_versions(*, session: Session, org_id: str, year: int) -> list[Report]:
    """Every version of one org's report for one year, oldest first."""
    return list(session.execute(select(Report).where(_key(org_id, year)).order_by(Report.version)).scalars())


def findings_for(*, session: Session, report_ids: Iterable[int]) -> dict[int, list[FindingRow]]:
    """Findings per report id (ids without findings map to nothing)."""
    ids = list(report_ids)
    found: dict[int, list[FindingRow]] = defaultdict(list)
    for start in range(0, len(ids), 1000):
        query = select(FindingRow).where(FindingRow.report_id.in_(ids[start:start + 1000])).order_by(FindingRow.id)  # type: ignore[attr-defined,arg-type]
        for row in session.execute(query).scalars():
            found[row.report_id].append(row)
    return dict(found)


def status_inputs(*, session: Session, year: int) -> list[Any]:
    """One row per organisation, by id: what compliance needs, and its latest report for `year`.

    Columns: org_id, kind, deadline, report_id, version, published_on, published_source,
    error_count, warning_count (report columns None when the org has no report for the year).
    """
    join = and_(Report.org_id == Org.id, Report.year == year, Report.is_latest)
    query = (
        select(Org.id.label("org_id"), Org.kind, Org.deadline, Report.id.label("report_id"), Report.version,  # type: ignore[union-attr]
               Report.published_on, Report.published_source, Report.error_count, Report.warning_count)
        .select_from(Org).outerjoin(Report, join).order_by(Org.id)
    )
    # Core rows straight from the connection: the ORM result layer costs more than the query here.
    return list(session.connection().execute(query).all())
