"""Compliance status per organisation and report year, for any as-of date.

`compute_statuses` computes everything from stored reports; `refresh_statuses` also writes ComplianceStatus
and appends StatusChange rows where a status changed; `statuses_as_of` answers quickly from the last refresh.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlmodel import Session

from monitor.content import content_reasons
from monitor.decide import STATUSES, TIME_RULES, OrgStatus, decide
from monitor.evidence import histories_as_of, load_orgs, load_report_refs
from monitor.reasons import Reason
from monitor.status_store import RefreshResult, stored_statuses, write_statuses

__all__ = ["STATUSES", "OrgStatus", "Reason", "RefreshResult", "compute_statuses", "refresh_statuses",
           "statuses_as_of"]


def compute_statuses(*, session: Session, year: int, as_of: date) -> list[OrgStatus]:
    """Every registered organisation's status for `year` as it stood on `as_of` (reports seen later are ignored)."""
    orgs = load_orgs(session=session)
    histories = histories_as_of(load_report_refs(session=session, years=(year, year - 1)), as_of=as_of)
    content = content_reasons(session=session, orgs=orgs, year=year, histories=histories)
    return [decide(org=o, year=year, as_of=as_of, history=histories.get((o.id, year)), content=content.get(o.id, []))
            for o in orgs]


def refresh_statuses(*, session: Session, year: int, as_of: date, now: datetime | None = None) -> RefreshResult:
    """Recompute every status for `year`; write ComplianceStatus, append StatusChange only where the status changed."""
    statuses = compute_statuses(session=session, year=year, as_of=as_of)
    written, changes = write_statuses(session=session, year=year, statuses=statuses,
                                      now=now or datetime.now(timezone.utc))
    return RefreshResult(year, as_of, len(statuses), written, changes)


def statuses_as_of(*, session: Session, year: int, as_of: date) -> list[OrgStatus]:
    """Like compute_statuses, but reuses the content reasons stored by the last refresh when they are about the
    same report version; dates and versions are always re-decided. Falls back to a full computation otherwise."""
    orgs = load_orgs(session=session, aliases=False)
    histories = histories_as_of(load_report_refs(session=session, years=(year,)), as_of=as_of)
    stored = stored_statuses(session=session, year=year)
    out = []
    for org in orgs:
        history = histories.get((org.id, year))
        row = stored.get(org.id)
        if row is None or row.report_id != (history.newest.id if history else None):
            return compute_statuses(session=session, year=year, as_of=as_of)
        content = [Reason.from_json(r) for r in row.reasons if r["rule"] not in TIME_RULES]
        out.append(decide(org=org, year=year, as_of=as_of, history=history, content=content))
    return out
