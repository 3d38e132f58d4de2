"""The fast read behind `nianbao status`: the last refresh, re-deciding only what the as-of date changes.

A stored row is reused verbatim (its reasons spliced into the output as stored JSON text, never decoded)
when nothing has been crawled, reparsed or re-registered since the refresh and it was stored for the same
as-of date. Rows stored for another date go to `monitor.status_redo`, as does a stale refresh. This module
imports no SQLModel class (tables are reflected): on 30,000 bodies those imports cost as much as the answer.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import Connection, Select, Text, and_, cast, select

from db.tables import reflect_tables
from monitor.deadlines import deadline_for
from monitor.refs import OrgRef
from monitor.status_marks import current_marks, stored_marks


@dataclass(slots=True)  # not frozen: 30,000 are built per answer, and frozen init costs twice as much
class ViewRow:
    org: OrgRef
    status: str
    report_id: int | None
    deadline: date
    reasons_json: str  # the reasons list as JSON text


@dataclass(frozen=True, slots=True)
class StatusView:
    year: int
    as_of: date
    rows: list[ViewRow]
    recomputed: bool  # True when the stored statuses were stale and everything was computed afresh


@dataclass(frozen=True, slots=True)
class StoredRows:
    rows: list[ViewRow]  # as stored, in org id order
    shifted: list[tuple[int, date]]  # (index in rows, as-of date) of the rows stored for another as-of date


def _query(conn: Connection, year: int) -> Select[Any]:
    tables = reflect_tables(conn, "org", "compliancestatus")
    org, cs = tables["org"], tables["compliancestatus"]
    o, c = org.c, cs.c
    return (
        select(o.id, o.name, o.kind, o.level, o.region_code, o.deadline, o.parent_id)
        .add_columns(c.status, c.report_id, cast(c.reasons, Text), cast(c.as_of, Text))
        .select_from(org)
        .outerjoin(cs, and_(c.org_id == o.id, c.year == year))
        .order_by(o.id)
    )


def _stored(conn: Connection, year: int, as_of: date) -> StoredRows | None:
    """Every organisation's stored row for `year`; None when one has none."""
    day = as_of.isoformat()
    deadlines: dict[tuple[str, str | None], date] = {}
    rows: list[ViewRow] = []
    shifted: list[tuple[int, date]] = []
    for r in conn.execute(_query(conn, year)):
        if r[7] is None:
            return None
        key = (r[2], r[5])
        deadline = deadlines.get(key) or deadlines.setdefault(key, deadline_for(kind=r[2], year=year, override=r[5]))
        if r[10] != day:
            shifted.append((len(rows), date.fromisoformat(r[10])))
        org = OrgRef(r[0], r[1], (), r[2], r[3], r[4], r[5], r[6])
        rows.append(ViewRow(org, r[7], r[8], deadline, r[9] or "[]"))
    return StoredRows(rows, shifted)


def status_view(*, conn: Connection, year: int, as_of: date) -> StatusView:
    """Every organisation's status for `year` on `as_of`, from the last refresh where it still holds."""
    with _cyclic_gc_paused():
        view = _from_refresh(conn, year, as_of)
    if view is not None:
        return view
    from monitor.status_redo import computed_view  # imports this module

    return computed_view(conn, year=year, as_of=as_of)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """No cyclic collection while the rows are built: they hold no cycles, yet each collection rescans them all
    (a fifth of the answer for another as-of date on 30,000 bodies)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _from_refresh(conn: Connection, year: int, as_of: date) -> StatusView | None:
    """The stored rows, those stored for another date decided again; None when they cannot answer."""
    marks = stored_marks(conn, year)
    stored = _stored(conn, year, as_of) if marks is not None and marks == current_marks(conn) else None
    if stored is None or not stored.rows:
        return None
    if not stored.shifted:
        return StatusView(year, as_of, stored.rows, False)
    from monitor.status_redo import redecided_rows  # imports this module

    rows = redecided_rows(conn, year=year, as_of=as_of, stored=stored)
    return None if rows is None else StatusView(year, as_of, rows, False)


def row_json(row: ViewRow) -> str:
    """One organisation's entry in `nianbao status --json`, reasons spliced in as stored."""
    o, js = row.org, encode_basestring
    rid = "null" if row.report_id is None else str(row.report_id)
    return (
        f'{{"org_id": {js(o.id)}, "name": {js(o.name)}, "kind": {js(o.kind)}, '
        f'"level": {"null" if o.level is None else js(o.level)}, '
        f'"region_code": {"null" if o.region_code is None else js(o.region_code)}, '
        f'"parent_id": {"null" if o.parent_id is None else js(o.parent_id)}, "status": "{row.status}", '
        f'"report_id": {rid}, "deadline": "{row.deadline.isoformat()}", "reasons": {row.reasons_json}}}'
    )
