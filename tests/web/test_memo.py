"""The aggregate memo: reused while the data is unchanged, recomputed when statuses, reports or orgs change."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session

from db.models import ComplianceStatus, Org, StatusChange
from monitor.web.cache import Memo
from monitor.web.queries import OrgFilter, list_orgs, overview
from monitor.web.scope import Viewer
from tests.web.fixtures import seed

ADMIN = Viewer(1, "admin@example.cn", None, True)


def test_memo_follows_the_data(sqlite_engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seed(sqlite_engine, tmp_path / "documents")
    now = datetime.now(timezone.utc)
    clock = [0.0]
    memo = Memo(ttl=60, clock=lambda: clock[0])
    with Session(sqlite_engine) as session:
        first = overview(session=session, viewer=ADMIN, year=2023, now=now, memo=memo)
        assert first.by_status["missing"] == 2
        session.execute(update(ComplianceStatus).where(ComplianceStatus.org_id == "230502-gov",
                                                       ComplianceStatus.year == 2023).values(status="missing"))
        session.commit()
        assert overview(session=session, viewer=ADMIN, year=2023, now=now, memo=memo) is first  # no evidence yet
        session.add(StatusChange(org_id="230502-gov", year=2023, old_status="ok", new_status="missing", changed_at=now))
        session.commit()
        second = overview(session=session, viewer=ADMIN, year=2023, now=now, memo=memo)
        assert second.by_status["missing"] == 3 and second.changes[0]["org_id"] == "230502-gov"

        assert list_orgs(session=session, viewer=ADMIN, flt=OrgFilter(year=2023), memo=memo).total == 7
        session.add(Org(id="230503-gov", name="新设区人民政府", kind="government", parent_id="230500-gov",
                        homepage="http://127.0.0.1:9/"))
        session.commit()
        assert list_orgs(session=session, viewer=ADMIN, flt=OrgFilter(year=2023), memo=memo).total == 8

        departments = OrgFilter(year=2023, kind="department")
        assert list_orgs(session=session, viewer=ADMIN, flt=departments, memo=memo).total == 2
        session.execute(update(Org).where(Org.id == "230503-gov").values(kind="department"))
        session.commit()
        assert list_orgs(session=session, viewer=ADMIN, flt=departments, memo=memo).total == 2  # no evidence
        clock[0] += 61  # the time bound catches what the evidence cannot see
        assert list_orgs(session=session, viewer=ADMIN, flt=departments, memo=memo).total == 3
        sys_viewer = Viewer(2, "sys@example.cn", None, False)
        assert list_orgs(session=session, viewer=sys_viewer, flt=OrgFilter(year=2023), memo=memo).total == 4
