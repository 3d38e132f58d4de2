"""The digest reads what the compliance engine writes: refresh_statuses, then the week's digest."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlmodel import Session

from alerts.digest import plan_digests
from db.engine import session_scope
from monitor.compliance import refresh_statuses
from tests.alerts.conftest import make_settings

AS_OF = date(2027, 2, 5)  # after the departments' and townships' deadline for 2026 (01-31)
REFRESHED = datetime(2027, 2, 5, 1, 0, tzinfo=timezone.utc)


def test_newly_missing_bodies_come_from_refresh_statuses(world, strict_env) -> None:  # type: ignore[no-untyped-def]
    engine, ids = world
    with session_scope(engine) as session:
        refresh_statuses(session=session, year=2026, as_of=AS_OF, now=REFRESHED)
    with Session(engine) as session:
        plan = plan_digests(session=session, settings=make_settings(str(engine.url)), as_of=AS_OF,
                            now=REFRESHED + timedelta(hours=1), env=strict_env)
    alice = next(p for p in plan.digests if p.supervisor_id == ids["alice"])
    assert alice.message is not None
    text = alice.message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    missing = text.split("【新增未发布】")[1].split("【")[0]
    # Departments and townships without a 2026 report; not sys-fin (its deadline is 02-28), not the governments.
    assert "双鸭山市教育局 2026年度" in missing and "双鸭山市尖山区二马路街道办事处 2026年度" in missing
    assert "财政局" not in missing and "人民政府" not in missing
    assert "已过发布期限2027-01-31，未发现2026年度报告" in missing
