"""The slow side of `nianbao status`: rows stored for another as-of date decided again, or everything computed.

A row stored on one date still holds on another when the date is on the same side of its deadline and the
same report versions are visible on both; otherwise it is decided again from its versions and the content
reasons the refresh stored. A newest version the refresh never checked means computing everything afresh.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from sqlalchemy import Connection
from sqlmodel import Session

from monitor.compliance import compute_statuses
from monitor.decide import TIME_RULES, OrgStatus, decide
from monitor.evidence import histories_as_of, load_orgs, load_report_refs
from monitor.reasons import Reason
from monitor.refs import OrgRef, ReportRef
from monitor.status_view import StatusView, StoredRows, ViewRow


def from_statuses(statuses: list[OrgStatus], orgs: dict[str, OrgRef]) -> list[ViewRow]:
    return [
        ViewRow(orgs[s.org_id], s.status, s.report_id, s.deadline, json.dumps(s.reasons_json(), ensure_ascii=False))
        for s in statuses
    ]


def computed_view(conn: Connection, *, year: int, as_of: date) -> StatusView:
    """Every organisation's status computed afresh from its stored reports."""
    with Session(bind=conn) as session:
        statuses = compute_statuses(session=session, year=year, as_of=as_of)
        orgs = {o.id: o for o in load_orgs(session=session, aliases=False)}
    return StatusView(year, as_of, from_statuses(statuses, orgs), True)


def _still_holds(row: ViewRow, day: date, as_of: date, visible: list[date]) -> bool:
    """Whether `row`, stored for `day`, is also the answer on `as_of`."""
    same_side = (day > row.deadline) == (as_of > row.deadline)
    return same_side and all((v <= day) == (v <= as_of) for v in visible)


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


def redecided_view(conn: Connection, *, year: int, as_of: date, stored: StoredRows) -> StatusView:
    """The stored rows, those stored for another date decided again where the date changes them."""
    with Session(bind=conn) as session:
        by_org: dict[str, list[ReportRef]] = defaultdict(list)
        for ref in load_report_refs(session=session, years=(year,)):
            by_org[ref.org_id].append(ref)
    rows = list(stored.rows)
    for i, day in stored.shifted:
        refs = by_org.get(rows[i].org.id, [])
        if _still_holds(rows[i], day, as_of, [ref.visible_from for ref in refs]):
            continue
        again = _decide_again(rows[i], year=year, as_of=as_of, refs=refs)
        if again is None:
            return computed_view(conn, year=year, as_of=as_of)
        rows[i] = again
    return StatusView(year, as_of, rows, False)
