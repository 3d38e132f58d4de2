"""The slow side of `nianbao status`: rows stored for another as-of date decided again, or everything computed.

A row stored on one date still holds on another when the date is on the same side of its deadline and the
same report versions are visible on both; otherwise it is decided again from its versions and the content
reasons the refresh stored. A newest version the refresh never checked means computing everything afresh.
Deciding again reads Core rows only: importing the SQLModel classes alone took a quarter of a second.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from sqlalchemy import Connection

from monitor.decide import TIME_RULES, OrgStatus, decide
from monitor.reasons import Reason
from monitor.refs import OrgRef, ReportRef, histories_as_of
from monitor.status_view import StatusView, StoredRows, ViewRow
from monitor.versions import load_report_refs


def from_statuses(statuses: list[OrgStatus], orgs: dict[str, OrgRef]) -> list[ViewRow]:
    return [
        ViewRow(orgs[s.org_id], s.status, s.report_id, s.deadline, json.dumps(s.reasons_json(), ensure_ascii=False))
        for s in statuses
    ]


def computed_view(conn: Connection, *, year: int, as_of: date) -> StatusView:
    """Every organisation's status computed afresh from its stored reports."""
    from sqlmodel import Session  # the ORM and the whole engine: only when the stored rows cannot serve

    from monitor.compliance import compute_statuses
    from monitor.evidence import load_orgs

    with Session(bind=conn) as session:
        statuses = compute_statuses(session=session, year=year, as_of=as_of)
        orgs = {o.id: o for o in load_orgs(session=session, aliases=False)}
    return StatusView(year, as_of, from_statuses(statuses, orgs), True)


def _same_side(deadline: date, day: date, as_of: date) -> bool:
    return (day > deadline) == (as_of > deadline)


def _moved_orgs(refs: list[ReportRef], days: set[date], as_of: date) -> set[str]:
    """Orgs with a version visible on one of `days` but not on `as_of`, or the reverse (with several days,
    also those with one visible from between them: deciding those again changes nothing)."""
    first, last = min(*days, as_of), max(*days, as_of)
    return {ref.org_id for ref in refs if first < ref.visible_from <= last}


def _decide_again(row: ViewRow, *, year: int, as_of: date, refs: list[ReportRef]) -> ViewRow | None:
    """`row` decided for `as_of` from its versions and stored content reasons; None when its newest version
    on `as_of` is not the one the refresh checked (its contents must be checked afresh)."""
    history = histories_as_of(refs, as_of=as_of).get((row.org.id, year))
    if history is not None and history.newest.id != row.report_id:
        return None
    stored = json.loads(row.reasons_json) if history is not None else []
    content = [Reason.from_json(r) for r in stored if r["rule"] not in TIME_RULES]
    status = decide(org=row.org, year=year, as_of=as_of, history=history, content=content)
    return from_statuses([status], {row.org.id: row.org})[0]


def _versions_of(refs: list[ReportRef], org_ids: set[str]) -> dict[str, list[ReportRef]]:
    by_org: dict[str, list[ReportRef]] = defaultdict(list)
    for ref in refs:
        if ref.org_id in org_ids:
            by_org[ref.org_id].append(ref)
    return by_org


def redecided_rows(conn: Connection, *, year: int, as_of: date, stored: StoredRows) -> list[ViewRow] | None:
    """The stored rows, those stored for another date decided again where the date changes them; None when
    one must be computed afresh."""
    rows = list(stored.rows)
    refs = load_report_refs(conn, years=(year,), titles=False)
    moved = _moved_orgs(refs, {day for _, day in stored.shifted}, as_of)
    again = [i for i, day in stored.shifted if rows[i].org.id in moved or not _same_side(rows[i].deadline, day, as_of)]
    by_org = _versions_of(refs, {rows[i].org.id for i in again})
    for i in again:
        row = _decide_again(rows[i], year=year, as_of=as_of, refs=by_org.get(rows[i].org.id, []))
        if row is None:
            return None
        rows[i] = row
    return rows
