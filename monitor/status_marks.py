"""Watermarks of what the database held when statuses were last refreshed, so readers can tell whether they hold.

Core only (tables reflected, no SQLModel import): `nianbao status` checks them on every answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Column, Connection, Date, Integer, MetaData, Table, delete, func, insert, inspect, select

from db.tables import reflect_tables
from db.types import UTCDateTime

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
    t = reflect_tables(conn, "report", "reportparse", "org")
    row = conn.execute(
        select(
            select(func.coalesce(func.max(t["report"].c.id), 0)).scalar_subquery(),
            select(func.coalesce(func.max(t["reportparse"].c.id), 0)).scalar_subquery(),
            select(func.max(t["org"].c.updated_at, type_=UTCDateTime())).scalar_subquery(),
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


def record_marks(conn: Connection, year: int, as_of: date, now: datetime, marks: Marks) -> None:
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
