"""Report versions as `ReportRef`s, read through reflected Core tables (no SQLModel import).

The refresh and `nianbao status` for another as-of date both read versions here, so they decide from the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from db.tables import reflect_tables
from monitor.refs import ReportRef


def load_report_refs(conn: Connection, *, years: Iterable[int], titles: bool = True) -> list[ReportRef]:
    """Every version of every report filed under an organisation for `years` (`titles=False` leaves out the
    claimed body and the title, which only the content rules read)."""
    c = reflect_tables(conn, "report")["report"].c
    # first_seen_at as the engine returns it (naive UTC on SQLite): converting 27,000 values was a sixth of the read
    columns = [c.id, c.org_id, c.year, c.version, c.published_on, c.published_source, c.first_seen_at]
    if titles:
        columns += [c.claimed_org, c.title]
    query = select(*columns).where(c.year.in_(list(years)), c.org_id.is_not(None))
    return [ReportRef(*row) for row in conn.execute(query).all()]
