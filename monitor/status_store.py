"""Reading and writing ComplianceStatus rows and appending StatusChange history (bulk, for 30,000 organisations)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    Table,
    Text,
    cast,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlmodel import Session, col

from db.models import ComplianceStatus, Org, Report, ReportParse, StatusChange, UTCDateTime
from monitor.decide import OrgStatus

# What the database held when statuses were last refreshed, so readers can tell whether they still hold.
# Owned by monitor and created on first refresh (like APScheduler's job table), outside the Alembic schema.
_META = MetaData()
REFRESH_MARKS = Table(
    "monitor_status_refresh",
    _META,
    Column("year", Integer, primary_key=True),
    Column("as_of", Date, nullable=False),
    Column("refreshed_at", UTCDateTime(), nullable=False),
    Column("max_report_id", Integer, nullable=False),
    Column("max_parse_id", Integer, nullable=False),
    Column("orgs_updated_at", UTCDateTime(), nullable=True),
)


@dataclass(frozen=True, slots=True)
class Marks:
    """Watermarks of the tables a status depends on."""

    max_report_id: int
    max_parse_id: int
    orgs_updated_at: datetime | None


def current_marks(conn: Connection) -> Marks:
    row = conn.execute(
        select(
            select(func.coalesce(func.max(Report.id), 0)).scalar_subquery(),
            select(func.coalesce(func.max(ReportParse.id), 0)).scalar_subquery(),
            select(func.max(Org.updated_at)).scalar_subquery(),
        )
    ).one()
    return Marks(row[0], row[1], row[2])


def stored_marks(conn: Connection, year: int) -> Marks | None:
    """The watermarks recorded by the last refresh of `year`, if any."""
    if not inspect(conn).has_table(REFRESH_MARKS.name):
        return None
    t = REFRESH_MARKS.c
    row = conn.execute(select(t.max_report_id, t.max_parse_id, t.orgs_updated_at).where(t.year == year)).first()
    return Marks(row[0], row[1], row[2]) if row else None


def _record_marks(conn: Connection, year: int, as_of: date, now: datetime, marks: Marks) -> None:
    _META.create_all(conn, checkfirst=True)
    conn.execute(delete(REFRESH_MARKS).where(REFRESH_MARKS.c.year == year))
    conn.execute(
        insert(REFRESH_MARKS).values(
            year=year,
            as_of=as_of,
            refreshed_at=now,
            max_report_id=marks.max_report_id,
            max_parse_id=marks.max_parse_id,
            orgs_updated_at=marks.orgs_updated_at,
        )
    )


_LOCK_BASE = 0x6E62_0000  # advisory lock ids 'nb' + year


@dataclass(frozen=True, slots=True)
class RefreshResult:
    year: int
    as_of: date
    organisations: int
    written: int  # ComplianceStatus rows inserted or updated
    changes: int  # StatusChange rows appended


@dataclass(frozen=True, slots=True)
class StoredStatus:
    status: str
    report_id: int | None
    reasons: list[dict[str, Any]]
    as_of: date


def stored_statuses(*, session: Session, year: int) -> dict[str, StoredStatus]:
    """Org id -> its stored status for `year`."""
    # Reasons are decoded here rather than by the JSON column type: a third faster on 30,000 rows.
    cols: tuple[Any, ...] = (
        ComplianceStatus.org_id,
        ComplianceStatus.status,
        ComplianceStatus.report_id,
        cast(ComplianceStatus.reasons, Text),
        ComplianceStatus.as_of,
    )
    rows = session.connection().execute(select(*cols).where(col(ComplianceStatus.year) == year)).all()
    loads = json.loads
    return {r[0]: StoredStatus(r[1], r[2], loads(r[3]) if r[3] else [], r[4]) for r in rows}


def _row(status: OrgStatus, now: datetime) -> dict[str, Any]:
    return {
        "org_id": status.org_id,
        "year": status.year,
        "status": status.status,
        "reasons": status.reasons_json(),
        "report_id": status.report_id,
        "as_of": status.as_of,
        "computed_at": now,
    }


def _serialise_writers(session: Session, year: int) -> None:
    """On PostgreSQL, one refresh of a year writes at a time (until commit): two service instances may both
    refresh, and each must see the other's rows, or both would insert them."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_BASE + year})


def write_statuses(
    *, session: Session, year: int, statuses: list[OrgStatus], now: datetime, marks: Marks | None = None
) -> tuple[int, int]:
    """Upsert statuses; append a StatusChange for every new or changed status. Returns (rows written, changes).

    `marks` are the watermarks taken before the statuses were computed (default: now), so a report stored
    while they were being computed leaves them stale rather than falsely current."""
    _serialise_writers(session, year)
    stored = stored_statuses(session=session, year=year)
    inserts, updates, changes = [], [], []
    for st in statuses:
        old = stored.get(st.org_id)
        row = _row(st, now)
        if old is None:
            inserts.append(row)
        elif (old.status, old.report_id, old.reasons, old.as_of) != (st.status, st.report_id, row["reasons"], st.as_of):
            updates.append(row)
        if old is None or old.status != st.status:
            changes.append(
                {
                    "org_id": st.org_id,
                    "year": year,
                    "old_status": old.status if old else None,
                    "new_status": st.status,
                    "changed_at": now,
                }
            )
    if inserts:
        session.execute(insert(ComplianceStatus), inserts)
    if updates:
        session.execute(update(ComplianceStatus), updates)
    if changes:
        session.execute(insert(StatusChange), changes)
    session.execute(update(ComplianceStatus).where(col(ComplianceStatus.year) == year).values(computed_at=now))
    conn = session.connection()
    _record_marks(conn, year, statuses[0].as_of if statuses else now.date(), now, marks or current_marks(conn))
    session.flush()
    return len(inserts) + len(updates), len(changes)
