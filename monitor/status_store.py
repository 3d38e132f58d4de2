"""Reading and writing ComplianceStatus rows and appending StatusChange history (bulk, for 30,000 organisations)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session

from db.models import ComplianceStatus, StatusChange
from monitor.decide import OrgStatus


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
    cols = (ComplianceStatus.org_id, ComplianceStatus.status, ComplianceStatus.report_id,
            ComplianceStatus.reasons, ComplianceStatus.as_of)
    rows = session.execute(select(*cols).where(ComplianceStatus.year == year)).all()
    return {r[0]: StoredStatus(r[1], r[2], r[3] or [], r[4]) for r in rows}


def _row(status: OrgStatus, now: datetime) -> dict[str, Any]:
    return {"org_id": status.org_id, "year": status.year, "status": status.status, "reasons": status.reasons_json(),
            "report_id": status.report_id, "as_of": status.as_of, "computed_at": now}


def write_statuses(*, session: Session, year: int, statuses: list[OrgStatus], now: datetime) -> tuple[int, int]:
    """Upsert statuses; append a StatusChange for every new or changed status. Returns (rows written, changes)."""
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
            changes.append({"org_id": st.org_id, "year": year, "old_status": old.status if old else None,
                            "new_status": st.status, "changed_at": now})
    if inserts:
        session.execute(insert(ComplianceStatus), inserts)
    if updates:
        session.execute(update(ComplianceStatus), updates)
    if changes:
        session.execute(insert(StatusChange), changes)
    session.flush()
    return len(inserts) + len(updates), len(changes)
