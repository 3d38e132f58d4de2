"""Compliance status per organisation and report year, for any as-of date.

`compute_statuses` computes everything from stored reports; `refresh_statuses` also writes ComplianceStatus
and appends StatusChange rows where a status changed. `monitor.status_view.status_view` answers quickly from
the last refresh (what `nianbao status` uses).
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlmodel import Session

from monitor.content import content_reasons
from monitor.decide import STATUSES, OrgStatus, decide
from monitor.evidence import load_orgs
from monitor.reasons import Reason
from monitor.refs import histories_as_of
from monitor.status_marks import current_marks
from monitor.status_store import RefreshResult, write_statuses
from monitor.versions import load_report_refs

__all__ = ["STATUSES", "OrgStatus", "Reason", "RefreshResult", "compute_statuses", "refresh_statuses"]


def compute_statuses(*, session: Session, year: int, as_of: date) -> list[OrgStatus]:
    """Every registered organisation's status for `year` as it stood on `as_of` (reports seen later are ignored)."""
    orgs = load_orgs(session=session)
    histories = histories_as_of(load_report_refs(session.connection(), years=(year, year - 1)), as_of=as_of)
    content = content_reasons(session=session, orgs=orgs, year=year, histories=histories)
    return [
        decide(org=o, year=year, as_of=as_of, history=histories.get((o.id, year)), content=content.get(o.id, []))
        for o in orgs
    ]


def refresh_statuses(*, session: Session, year: int, as_of: date, now: datetime | None = None) -> RefreshResult:
    """Recompute every status for `year`; write ComplianceStatus, append StatusChange only where the status changed."""
    marks = current_marks(session.connection())
    statuses = compute_statuses(session=session, year=year, as_of=as_of)
    written, changes = write_statuses(
        session=session, year=year, statuses=statuses, now=now or datetime.now(timezone.utc), marks=marks
    )
    return RefreshResult(year, as_of, len(statuses), written, changes)
