"""A reporting season driven by the scheduler's clock: scripted portals, daily crawls, status refreshes."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from db.engine import session_scope
from db.models import ComplianceStatus, StatusChange
from tests.monitor import jobfuncs
from tests.monitor.factory import A01, import_small_registry, make_report
from tests.monitor.service_helpers import running_service, wait_runs

SH = ZoneInfo("Asia/Shanghai")
GOV, EDU, STREET, HEALTH = "230500-gov", "230500-jyj", "230502-jd", "230500-wjw"


@pytest.fixture
def season_plan() -> list:  # type: ignore[type-arg]
    jobfuncs.PLAN[:] = [
        (GOV, make_report(org="双鸭山市人民政府", year=2023, carried_forward=5, seed=1), date(2024, 3, 1), None),
        (EDU, make_report(org="双鸭山市教育局", year=2024, seed=2), date(2025, 1, 22), date(2025, 1, 20)),
        (HEALTH, make_report(org="双鸭山市卫生健康委员会", year=2024, seed=3), date(2025, 2, 10), None),
        (STREET, make_report(org="尖山区二马路街道办事处", year=2024, findings=[A01], seed=4), date(2025, 2, 14), None),
        (GOV, make_report(org="双鸭山市人民政府", year=2024, carried_over=3, seed=5), date(2025, 3, 20), None),
    ]
    yield jobfuncs.PLAN
    jobfuncs.PLAN.clear()


def _statuses(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        rows = session.execute(
            select(ComplianceStatus.org_id, ComplianceStatus.status).where(ComplianceStatus.year == 2024)
        ).all()
    return dict(rows)  # type: ignore[arg-type]


def _history(engine, org_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        rows = session.execute(
            select(StatusChange.new_status)
            .where(StatusChange.org_id == org_id, StatusChange.year == 2024)
            .order_by(StatusChange.id)
        ).scalars()
        return list(rows)


# (moment the clock jumps to, expected 2024 statuses after that day's crawl and refresh)
MOMENTS = [
    (datetime(2025, 1, 10, 2, 0, 5, tzinfo=SH), {GOV: "not_due", EDU: "not_due", STREET: "not_due", HEALTH: "not_due"}),
    (datetime(2025, 1, 25, 2, 0, 5, tzinfo=SH), {GOV: "not_due", EDU: "ok", STREET: "not_due", HEALTH: "not_due"}),
    (datetime(2025, 2, 1, 2, 0, 5, tzinfo=SH), {GOV: "not_due", EDU: "ok", STREET: "not_due", HEALTH: "missing"}),
    (datetime(2025, 2, 15, 2, 0, 5, tzinfo=SH), {GOV: "not_due", EDU: "ok", STREET: "inconsistent", HEALTH: "late"}),
    (
        datetime(2025, 3, 21, 2, 0, 5, tzinfo=SH),
        {GOV: "inconsistent", EDU: "ok", STREET: "inconsistent", HEALTH: "late"},
    ),
    (
        datetime(2025, 4, 1, 2, 0, 5, tzinfo=SH),
        {GOV: "inconsistent", EDU: "ok", STREET: "inconsistent", HEALTH: "late"},
    ),
]


def test_scheduler_drives_a_season(sqlite_url: str, season_plan: list) -> None:  # type: ignore[type-arg]
    with time_machine.travel(datetime(2025, 1, 10, 1, 0, tzinfo=SH), tick=False) as clock:
        with running_service(sqlite_url, crawl_target="tests.monitor.jobfuncs:scripted_crawl") as service:
            with session_scope(service.engine) as session:
                import_small_registry(session)
            for n, (moment, expected) in enumerate(MOMENTS, start=1):
                clock.move_to(moment)
                service.wakeup()
                wait_runs(service.engine, "crawl", n)
                wait_runs(service.engine, "refresh-status", n - 1)  # the daily 00:30 refresh, missed days coalesced
                assert _statuses(service.engine) == expected, moment
            engine = service.engine
            assert _history(engine, HEALTH) == ["not_due", "missing", "late"]
            assert _history(engine, EDU) == ["not_due", "ok"]
            assert _history(engine, STREET) == ["not_due", "inconsistent"]
            assert _history(engine, GOV) == ["not_due", "inconsistent"]
            with session_scope(engine) as session:
                gov = session.get(ComplianceStatus, (GOV, 2024))
                assert gov is not None and any(r["rule"] == "Y01" for r in gov.reasons)
