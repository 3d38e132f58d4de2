"""A whole reporting season for a small registry, driven by as-of dates: every status transition."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

from sqlalchemy import select

from db.engine import session_scope
from db.models import ComplianceStatus, StatusChange
from monitor.compliance import compute_statuses, refresh_statuses
from monitor.status_view import status_view
from tests.monitor.factory import A01, at, import_small_registry, make_report, store_report

GOV, EDU, STREET, HEALTH = "230500-gov", "230500-jyj", "230502-jd", "230500-wjw"


def _refresh(engine, day: date) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        refresh_statuses(session=session, year=2024, as_of=day, now=at(day, 16))
    with session_scope(engine) as session:
        rows = session.execute(select(ComplianceStatus.org_id, ComplianceStatus.status)).all()
    return dict(rows)  # type: ignore[arg-type]


def _history(engine, org_id: str) -> list[tuple[str | None, str]]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        rows = session.execute(
            select(StatusChange.old_status, StatusChange.new_status)
            .where(StatusChange.org_id == org_id)
            .order_by(StatusChange.id)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _store(engine, org_id: str, report, seen: date, page_date: date | None = None) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return store_report(session, org_id=org_id, report=report, seen=seen, page_date=page_date)


def test_season_walks_every_transition(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        import_small_registry(session)
    _store(engine, GOV, make_report(org="双鸭山市人民政府", year=2023, carried_forward=5, seed=1), date(2024, 3, 1))

    assert _refresh(engine, date(2025, 1, 10)) == {GOV: "not_due", EDU: "not_due", STREET: "not_due", HEALTH: "not_due"}

    _store(
        engine,
        EDU,
        make_report(org="双鸭山市教育局", year=2024, seed=2),
        date(2025, 1, 22),
        page_date=date(2025, 1, 20),
    )
    assert _refresh(engine, date(2025, 1, 25))[EDU] == "ok"

    # 1 February: departments are past their deadline, the street office has until 15 February (override).
    statuses = _refresh(engine, date(2025, 2, 1))
    assert statuses == {GOV: "not_due", EDU: "ok", STREET: "not_due", HEALTH: "missing"}

    _store(engine, HEALTH, make_report(org="双鸭山市卫生健康委员会", year=2024, seed=3), date(2025, 2, 10))
    _store(
        engine, STREET, make_report(org="尖山区二马路街道办事处", year=2024, findings=[A01], seed=4), date(2025, 2, 14)
    )
    statuses = _refresh(engine, date(2025, 2, 16))
    assert statuses[HEALTH] == "late" and statuses[STREET] == "inconsistent"

    # The city government's 上年结转 (3) differs from its 2023 report's 结转下年度 (5): Y01.
    _store(engine, GOV, make_report(org="双鸭山市人民政府", year=2024, carried_over=3, seed=5), date(2025, 3, 20))
    statuses = _refresh(engine, date(2025, 4, 1))
    assert statuses == {GOV: "inconsistent", EDU: "ok", STREET: "inconsistent", HEALTH: "late"}

    assert _history(engine, HEALTH) == [(None, "not_due"), ("not_due", "missing"), ("missing", "late")]
    assert _history(engine, GOV) == [(None, "not_due"), ("not_due", "inconsistent")]
    assert _history(engine, EDU) == [(None, "not_due"), ("not_due", "ok")]
    assert _history(engine, STREET) == [(None, "not_due"), ("not_due", "inconsistent")]

    # Recomputing without news appends nothing.
    _refresh(engine, date(2025, 4, 1))
    assert len(_history(engine, HEALTH)) == 3

    with session_scope(engine) as session:
        by_org = {s.org_id: s for s in compute_statuses(session=session, year=2024, as_of=date(2025, 4, 1))}
        quick = status_view(conn=session.connection(), year=2024, as_of=date(2025, 4, 1))
    y01 = [r for r in by_org[GOV].reasons if r.rule == "Y01"]
    assert [r.severity for r in y01] == ["error", "error"]  # 自然人 and 总计 columns
    assert "本年“上年结转”=3" in y01[0].message and "结转下年度继续办理”=5" in y01[0].message
    late = next(r for r in by_org[HEALTH].reasons if r.rule == "C02")
    assert late.severity == "error" and late.details["published_source"] == "first_seen"
    on_time = next(r for r in by_org[EDU].reasons if r.rule == "C02")
    assert on_time.details["published_on"] == "2025-01-20" and on_time.details["published_source"] == "page"
    assert not quick.recomputed
    assert {r.org.id: (r.status, json.loads(r.reasons_json)) for r in quick.rows} == {
        k: (v.status, v.reasons_json()) for k, v in by_org.items()
    }


def test_as_of_in_the_past_ignores_reports_seen_later(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(sqlite_engine) as session:
        import_small_registry(session)
        store_report(
            session, org_id=HEALTH, report=make_report(org="双鸭山市卫生健康委员会", year=2024), seen=date(2025, 2, 10)
        )
    with session_scope(sqlite_engine) as session:
        past = {s.org_id: s.status for s in compute_statuses(session=session, year=2024, as_of=date(2025, 2, 5))}
        now = {s.org_id: s.status for s in compute_statuses(session=session, year=2024, as_of=date(2025, 2, 11))}
    assert past[HEALTH] == "missing" and now[HEALTH] == "late"


def test_first_seen_just_after_midnight_beijing_is_the_next_day(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(sqlite_engine) as session:
        import_small_registry(session)
        report = make_report(org="双鸭山市教育局", year=2024)
        store_report(session, org_id=EDU, report=report, seen=date(2025, 1, 31))
        # 2025-01-31 16:30 UTC is 1 February 00:30 in Beijing: late.
        row_id = store_report(
            session,
            org_id=HEALTH,
            report=make_report(org="双鸭山市卫生健康委员会", year=2024, seed=9),
            seen=date(2025, 1, 31),
        )
        from db.models import Report as ReportRow

        row = session.get(ReportRow, row_id)
        assert row is not None
        row.first_seen_at = datetime(2025, 1, 31, 16, 30, tzinfo=timezone.utc)
        row.published_on = None
        session.add(row)
    with session_scope(sqlite_engine) as session:
        statuses = {s.org_id: s.status for s in compute_statuses(session=session, year=2024, as_of=date(2025, 2, 2))}
    assert statuses[EDU] == "ok" and statuses[HEALTH] == "late"


def test_status_view_matches_full_computation_for_any_as_of(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        import_small_registry(session)
        store_report(
            session,
            org_id=GOV,
            report=make_report(org="双鸭山市人民政府", year=2023, carried_forward=5, seed=1),
            seen=date(2024, 3, 1),
        )
        store_report(
            session,
            org_id=GOV,
            report=make_report(org="双鸭山市人民政府", year=2024, carried_over=3, seed=5),
            seen=date(2025, 3, 20),
        )
        store_report(
            session,
            org_id=HEALTH,
            report=make_report(org="双鸭山市卫生健康委员会", year=2024, seed=3),
            seen=date(2025, 2, 10),
        )
        store_report(
            session, org_id=EDU, report=make_report(org="双鸭山市教育局", year=2024, seed=2), seen=date(2025, 1, 2)
        )
        store_report(
            session, org_id=EDU, report=make_report(org="双鸭山市教育局", year=2024, seed=7), seen=date(2025, 3, 2)
        )
    with session_scope(engine) as session:
        refresh_statuses(session=session, year=2024, as_of=date(2025, 4, 1))
    for day in (date(2025, 4, 1), date(2025, 1, 20), date(2025, 2, 20), date(2025, 3, 25)):
        with session_scope(engine) as session:
            view = status_view(conn=session.connection(), year=2024, as_of=day)
            full = compute_statuses(session=session, year=2024, as_of=day)
        # Before 2 March the education bureau's newest version is the first one, which the refresh never checked.
        assert view.recomputed == (day < date(2025, 3, 2))
        got = {r.org.id: (r.status, r.report_id, json.loads(r.reasons_json)) for r in view.rows}
        assert got == {s.org_id: (s.status, s.report_id, s.reasons_json()) for s in full}, day
