"""Documents and report versions.

The same bytes (or the same parsed content in new bytes, e.g. a page with a visitor counter) seen
again only move `last_seen`; changed content becomes a new version, and the old version and its
findings stay. `is_latest` marks the version pages and statuses use.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from crawler.report.model import Report as ParsedReport
from db.models import Document, FindingRow, Org, Report
from db.store import DocumentStore

# Publication dates are calendar dates where the bodies are; first_seen falls back to this zone.
CHINA = ZoneInfo("Asia/Shanghai")


def record_documents(*, session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Upsert document rows (sha256, media_type, size, source_url, first_seen, last_seen) in one statement:
    a known sha256 only widens its seen interval. Rows go in sha256 order, so concurrent writers lock alike."""
    if not rows:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(Document)
    new_first, new_last = stmt.excluded.first_seen, stmt.excluded.last_seen
    stmt = stmt.on_conflict_do_update(
        index_elements=["sha256"],
        set_={"first_seen": case((new_first < Document.first_seen, new_first), else_=Document.first_seen),  # type: ignore[operator]
              "last_seen": case((new_last > Document.last_seen, new_last), else_=Document.last_seen)},  # type: ignore[operator]
        where=or_(new_last > Document.last_seen, new_first < Document.first_seen),  # type: ignore[operator]
    )
    unique = {row["sha256"]: row for row in rows}
    session.execute(stmt, [unique[sha] for sha in sorted(unique)])


def document_row(*, sha256: str, data: bytes, media_type: str, source_url: str | None,
                 seen_at: datetime) -> dict[str, Any]:
    return {"sha256": sha256, "media_type": media_type, "size": len(data), "source_url": source_url,
            "first_seen": seen_at, "last_seen": seen_at}


def record_document(*, session: Session, store: DocumentStore, data: bytes, media_type: str,
                    source_url: str | None, seen_at: datetime) -> Document:
    """Store the bytes once and upsert their row: a known sha256 only moves last_seen forward."""
    sha256 = store.put(data)
    record_documents(session=session, rows=[document_row(sha256=sha256, data=data, media_type=media_type,
                                                         source_url=source_url, seen_at=seen_at)])
    return session.get_one(Document, sha256, populate_existing=True)


def content_hash(report: ParsedReport) -> str:
    """sha256 of the parsed report without its source: equal for the same content in other bytes."""
    return _hash_of(report.to_json())


def _hash_of(data: dict[str, Any]) -> str:
    content = {k: v for k, v in data.items() if k != "source"}
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Sighting:
    """A parsed report seen in a stored document at `seen_at`."""

    org_id: str | None  # None: a body not in the registry (keyed by document only)
    document_sha256: str
    report: ParsedReport
    seen_at: datetime
    source_url: str | None = None
    page_url: str | None = None
    published_on: date | None = None  # None: "first seen" (a date in China)
    published_source: str | None = None
    year: int | None = None  # None: the report's own
    parser_version: str | None = None
    claimed_org: str | None = None  # None: the name the report prints

    @property
    def key(self) -> tuple[str | None, int | None]:
        return self.org_id, self.report.year if self.year is None else self.year


def _key(org_id: str | None, year: int | None) -> ColumnElement[bool]:
    org = Report.org_id.is_(None) if org_id is None else Report.org_id == org_id  # type: ignore[union-attr]
    yr = Report.year.is_(None) if year is None else Report.year == year  # type: ignore[union-attr]
    return and_(org, yr)


def record_report(*, session: Session, org_id: str | None, document: Document, report: ParsedReport,
                  source_url: str | None, page_url: str | None, published_on: date | None,
                  published_source: str | None, seen_at: datetime, year: int | None = None,
                  parser_version: str | None = None) -> Report:
    """Record one parsed report (see `record_reports`); returns the version it is."""
    session.flush()
    sighting = Sighting(org_id=org_id, document_sha256=document.sha256, report=report, seen_at=seen_at,
                        source_url=source_url, page_url=page_url, published_on=published_on,
                        published_source=published_source, year=year, parser_version=parser_version)
    [(report_id, _new)] = record_reports(session=session, sightings=[sighting])
    session.expire_all()  # the versions were written with Core: loaded rows may be stale
    return session.get_one(Report, report_id)


def record_reports(*, session: Session, sightings: Sequence[Sighting]) -> list[tuple[int, bool]]:
    """Record parsed reports in one transaction; (report id, new version?) per sighting, in order.

    A report whose bytes or parsed content (registered bodies only) match a known version of the same body
    and year widens that version's seen interval; anything else becomes the next version and the latest.
    Written with a few Core statements per batch: the ORM's unit of work cost more than the parse.
    """
    versions = _known_versions(session, sightings)
    outcomes: list[tuple[dict[str, Any], bool]] = []  # the version row each sighting is, and whether new
    new_rows: list[dict[str, Any]] = []
    for sighting in sightings:
        data = sighting.report.to_json()
        chash = _hash_of(data)
        key_versions = versions.setdefault(sighting.key, [])
        known = _match(key_versions, sighting, chash)
        if known is not None:  # a version stored before, or one this batch made (counted new once)
            _seen_again(known, sighting)
            outcomes.append((known, False))
            continue
        # An unregistered body's documents are versions of nothing else (their bytes matched no version).
        older = key_versions if sighting.org_id is not None else []
        for version in older:
            version["is_latest"] = False
        row = _new_version(sighting, data, chash, version=max((v["version"] for v in older), default=0) + 1)
        key_versions.append(row)
        new_rows.append(row)
        outcomes.append((row, True))
    _write(session, versions, new_rows)
    return [(row["id"], new) for row, new in outcomes]


_VERSION_COLUMNS = ("id", "org_id", "year", "version", "is_latest", "document_sha256", "content_hash",
                    "first_seen_at", "last_seen_at", "published_on", "published_source", "claimed_org")


def _known_versions(session: Session, sightings: Sequence[Sighting]) -> dict[tuple[str | None, int | None],
                                                                             list[dict[str, Any]]]:
    """The stored versions the sightings may match, by (org id, year), oldest first; each remembers what it
    was (`_stored`) so only changed rows are written back."""
    table = Report.__table__  # type: ignore[attr-defined]
    columns = [table.c[name] for name in _VERSION_COLUMNS]
    org_ids = sorted({s.org_id for s in sightings if s.org_id is not None})
    unregistered = sorted({s.document_sha256 for s in sightings if s.org_id is None})
    if org_ids and session.get_bind().dialect.name == "postgresql":
        # Serialise writers of one organisation, in id order so two batches never wait on each other
        # (SQLite already runs one writer at a time).
        session.execute(select(Org.id).where(Org.id.in_(org_ids)).order_by(Org.id).with_for_update())  # type: ignore[attr-defined]
    rows: list[Any] = []
    for start in range(0, len(org_ids), 500):
        rows += session.execute(select(*columns).where(table.c.org_id.in_(org_ids[start:start + 500]))).all()
    for start in range(0, len(unregistered), 500):
        rows += session.execute(select(*columns).where(
            table.c.org_id.is_(None), table.c.document_sha256.in_(unregistered[start:start + 500]))).all()
    versions: dict[tuple[str | None, int | None], list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r.version):
        stored = dict(row._mapping)
        versions[(row.org_id, row.year)].append({**stored, "_stored": stored})
    return versions


def _match(versions: list[dict[str, Any]], sighting: Sighting, chash: str) -> dict[str, Any] | None:
    """The version this sighting is: the same bytes, or the same content of a registered body.
    An unregistered body's document stands alone, as its own version 1."""
    for known in versions:
        if known["document_sha256"] == sighting.document_sha256:
            return known
        if sighting.org_id is not None and known["content_hash"] == chash:
            return known
    return None


def _seen_again(known: dict[str, Any], sighting: Sighting) -> None:
    """Widen the version's seen interval; an older capture replayed moves first_seen (and its date) back."""
    seen_at = sighting.seen_at
    if seen_at > known["last_seen_at"]:
        known["last_seen_at"] = seen_at
    elif seen_at < known["first_seen_at"]:
        known["first_seen_at"] = seen_at
        if known["published_source"] == "first_seen":
            known["published_on"] = seen_at.astimezone(CHINA).date()
    if sighting.org_id is None and sighting.claimed_org:
        known["claimed_org"] = sighting.claimed_org


def _new_version(sighting: Sighting, data: dict[str, Any], chash: str, *, version: int) -> dict[str, Any]:
    report, seen_at = sighting.report, sighting.seen_at
    published_on, published_source = sighting.published_on, sighting.published_source
    if published_on is None:
        published_on, published_source = seen_at.astimezone(CHINA).date(), "first_seen"
    errors, warnings = _counts(report)
    return {
        "org_id": sighting.org_id, "claimed_org": sighting.claimed_org or report.org, "year": sighting.key[1],
        "version": version, "is_latest": True, "template": report.template, "title": report.title,
        "printed_on": report.published_on, "published_on": published_on,
        "published_source": published_source or "page", "first_seen_at": seen_at, "last_seen_at": seen_at,
        "content_hash": chash, "document_sha256": sighting.document_sha256, "source_url": sighting.source_url,
        "page_url": sighting.page_url, "parser_version": sighting.parser_version, "data": data,
        "error_count": errors, "warning_count": warnings, "created_at": seen_at, "parsed_at": seen_at,
        "_findings": report.findings,
    }


def _write(session: Session, versions: dict[tuple[str | None, int | None], list[dict[str, Any]]],
           new_rows: list[dict[str, Any]]) -> None:
    """Known versions that changed (seen interval, no longer latest) first: the unique latest-per-year
    index must never see two latest versions; then the new versions and their findings."""
    table = Report.__table__  # type: ignore[attr-defined]
    for key_versions in versions.values():
        for row in key_versions:
            stored = row.get("_stored")
            changes = {k: row[k] for k in stored or () if k != "id" and row[k] != stored[k]}  # type: ignore[index]
            if changes:
                session.execute(update(table).where(table.c.id == row["id"]).values(**changes))
    if not new_rows:
        return
    columns = [c.name for c in table.columns if c.name != "id"]
    inserted = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                               [{c: row[c] for c in columns} for row in new_rows]).scalars().all()
    findings = []
    for row, report_id in zip(new_rows, inserted):
        row["id"] = report_id
        findings += _finding_rows(report_id, row["_findings"])
    if findings:
        session.execute(insert(FindingRow.__table__), findings)  # type: ignore[attr-defined]


def _finding_rows(report_id: int, findings: Iterable[Any]) -> list[dict[str, Any]]:
    return [{"report_id": report_id, "rule": f.rule, "severity": f.severity, "message": f.message,
             "cells": list(f.cells)} for f in findings]


def _counts(report: ParsedReport) -> tuple[int, int]:
    errors = sum(1 for f in report.findings if f.severity == "error")
    return errors, sum(1 for f in report.findings if f.severity == "warning")


def add_findings(*, session: Session, report_id: int, report: ParsedReport) -> None:
    """Store the report's findings against one report version."""
    session.add_all(FindingRow(**row) for row in _finding_rows(report_id, report.findings))


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
