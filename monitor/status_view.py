"""The fast read behind `nianbao status`: the last refresh, re-deciding only what the as-of date changes.

A stored row is reused verbatim (its reasons spliced into the output as stored JSON text, never decoded)
when nothing has been crawled, reparsed or re-registered since the refresh, the as-of date is on the same
side of the organisation's deadline, and no report version appears or disappears between the two dates.
Other rows are re-decided from their versions; a stale refresh falls back to a full computation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import Connection, Text, and_, cast, select
from sqlmodel import Session, col

from db.models import ComplianceStatus, Org
from monitor.compliance import compute_statuses
from monitor.deadlines import deadline_for
from monitor.decide import TIME_RULES, OrgStatus, decide
from monitor.evidence import OrgRef, histories_as_of, load_report_refs
from monitor.reasons import Reason
from monitor.status_store import current_marks, stored_marks


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


@dataclass(slots=True)
class _Stored:
    org: OrgRef
    status: str | None
    report_id: int | None
    reasons: str | None
    as_of: date | None


def _stored(conn: Connection, year: int) -> list[_Stored]:
    cs = ComplianceStatus
    columns: tuple[Any, ...] = (
        Org.id,
        Org.name,
        Org.kind,
        Org.level,
        Org.region_code,
        Org.deadline,
        Org.parent_id,
        cs.status,
        cs.report_id,
        cast(cs.reasons, Text),
        cast(cs.as_of, Text),
    )
    query = (
        select(*columns)
        .select_from(Org)
        .outerjoin(cs, and_(col(cs.org_id) == Org.id, col(cs.year) == year))
        .order_by(Org.id)
    )
    days: dict[str | None, date | None] = {None: None}  # few distinct as-of dates: parse each once
    out = []
    for r in conn.execute(query).all():
        day = days[r[10]] if r[10] in days else days.setdefault(r[10], date.fromisoformat(r[10]))
        out.append(_Stored(OrgRef(r[0], r[1], (), r[2], r[3], r[4], r[5], r[6]), r[7], r[8], r[9], day))
    return out


def _fresh(conn: Connection, year: int, stored: list[_Stored]) -> bool:
    """Whether the last refresh saw every organisation, report version, reparse and registry change there is."""
    if not stored or any(s.status is None for s in stored):
        return False
    marks = stored_marks(conn, year)
    return marks is not None and marks == current_marks(conn)


def from_statuses(statuses: list[OrgStatus], orgs: dict[str, OrgRef]) -> list[ViewRow]:
    return [
        ViewRow(orgs[s.org_id], s.status, s.report_id, s.deadline, json.dumps(s.reasons_json(), ensure_ascii=False))
        for s in statuses
    ]


def _moved_orgs(*, session: Session, year: int, dates: set[date], as_of: date) -> set[str]:
    """Orgs with a version visible on one of the stored as-of dates but not on `as_of`, or the reverse."""
    moved = set()
    for ref in load_report_refs(session=session, years=(year,)):
        if any((ref.visible_from <= d) != (ref.visible_from <= as_of) for d in dates):
            moved.add(ref.org_id)
    return moved


def _redecide(*, session: Session, year: int, as_of: date, rows: list[_Stored]) -> dict[str, ViewRow] | None:
    """Decide `rows` again for `as_of` from their versions and stored content reasons; None when a row's
    newest version on `as_of` is not the one the refresh checked (its contents must be checked afresh)."""
    wanted = {r.org.id for r in rows}
    refs = [ref for ref in load_report_refs(session=session, years=(year,)) if ref.org_id in wanted]
    histories = histories_as_of(refs, as_of=as_of)
    out = {}
    for row in rows:
        history = histories.get((row.org.id, year))
        if history is not None and history.newest.id != row.report_id:
            return None
        stored = json.loads(row.reasons or "[]") if history is not None else []
        content = [Reason.from_json(r) for r in stored if r["rule"] not in TIME_RULES]
        st = decide(org=row.org, year=year, as_of=as_of, history=history, content=content)
        out[row.org.id] = from_statuses([st], {row.org.id: row.org})[0]
    return out


def _computed(*, session: Session, year: int, as_of: date, stored: list[_Stored]) -> StatusView:
    orgs = {s.org.id: s.org for s in stored}
    return StatusView(year, as_of, from_statuses(compute_statuses(session=session, year=year, as_of=as_of), orgs), True)


def status_view(*, session: Session, year: int, as_of: date) -> StatusView:
    """Every organisation's status for `year` on `as_of`, from the last refresh where it still holds."""
    conn = session.connection()
    stored = _stored(conn, year)
    if not _fresh(conn, year, stored):
        return _computed(session=session, year=year, as_of=as_of, stored=stored)
    dates = {s.as_of for s in stored if s.as_of is not None and s.as_of != as_of}
    moved = _moved_orgs(session=session, year=year, dates=dates, as_of=as_of) if dates else set()
    deadlines: dict[tuple[str, str | None], date] = {}
    rows: list[ViewRow | None] = []
    again: list[_Stored] = []
    for s in stored:
        key = (s.org.kind, s.org.deadline)
        deadline = deadlines.get(key) or deadlines.setdefault(
            key, deadline_for(kind=key[0], year=year, override=key[1])
        )
        if s.as_of == as_of or (s.org.id not in moved and (s.as_of > deadline) == (as_of > deadline)):  # type: ignore[operator]
            rows.append(ViewRow(s.org, s.status, s.report_id, deadline, s.reasons or "[]"))  # type: ignore[arg-type]
        else:
            rows.append(None)
            again.append(s)
    if again:
        redone = _redecide(session=session, year=year, as_of=as_of, rows=again)
        if redone is None:
            return _computed(session=session, year=year, as_of=as_of, stored=stored)
        rows = [row or redone[s.org.id] for row, s in zip(rows, stored, strict=True)]
    return StatusView(year, as_of, rows, False)  # type: ignore[arg-type]


def _js(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def row_json(row: ViewRow) -> str:
    """One organisation's entry in `nianbao status --json`, reasons spliced in as stored."""
    o = row.org
    rid = "null" if row.report_id is None else str(row.report_id)
    return (
        f'{{"org_id": {_js(o.id)}, "name": {_js(o.name)}, "kind": {_js(o.kind)}, "level": {_js(o.level)}, '
        f'"region_code": {_js(o.region_code)}, "parent_id": {_js(o.parent_id)}, "status": "{row.status}", '
        f'"report_id": {rid}, "deadline": "{row.deadline.isoformat()}", "reasons": {row.reasons_json}}}'
    )
