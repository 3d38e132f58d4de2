"""Deadlines, registry rules (C03, C04, C05, T04) and cross-year rules (Y02, Y03) on stored reports."""

from __future__ import annotations

from datetime import date

import pytest

from db.engine import session_scope
from monitor.compliance import compute_statuses
from monitor.deadlines import deadline_for
from tests.monitor.factory import REGISTRY_HEADER, import_small_registry, make_report, prose, store_report

GOV, EDU, STREET = "230500-gov", "230500-jyj", "230502-jd"
APRIL = date(2025, 4, 2)


@pytest.mark.parametrize(
    ("kind", "override", "expected"),
    [
        ("department", None, date(2025, 1, 31)),
        ("government", None, date(2025, 3, 31)),
        ("township", None, date(2025, 1, 31)),
        ("township", "02-15", date(2025, 2, 15)),
        ("department", "02-29", date(2025, 2, 28)),
        ("government", "bad", date(2025, 3, 31)),
    ],
)
def test_deadline_for(kind: str, override: str | None, expected: date) -> None:
    assert deadline_for(kind=kind, year=2024, override=override) == expected


def _statuses(engine, as_of: date = APRIL):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return {s.org_id: s for s in compute_statuses(session=session, year=2024, as_of=as_of)}


def _rules(status) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.rule for r in status.reasons]


def test_report_under_the_wrong_org_is_flagged_not_counted(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(sqlite_engine) as session:
        import_small_registry(session)
        rid = store_report(
            session, org_id=EDU, report=make_report(org="双鸭山市民政局", year=2024), seen=date(2025, 1, 5)
        )
        store_report(session, org_id=GOV, report=make_report(org="双鸭山市", year=2024, seed=3), seen=date(2025, 3, 5))
    st = _statuses(sqlite_engine)
    assert st[EDU].status == "missing" and st[EDU].report_id == rid
    c03 = next(r for r in st[EDU].reasons if r.rule == "C03")
    assert "双鸭山市民政局" in c03.message and c03.details["counted"] is False
    assert st[GOV].status == "ok", st[GOV].reasons  # 双鸭山市 is the government's short name


def test_report_of_another_year_is_flagged(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(sqlite_engine) as session:
        import_small_registry(session)
        report = make_report(org="双鸭山市教育局", year=2024, title="双鸭山市教育局2023年政府信息公开工作年度报告")
        store_report(session, org_id=EDU, report=report, seen=date(2025, 1, 5))
    st = _statuses(sqlite_engine)[EDU]
    assert st.status == "missing" and "2023" in next(r.message for r in st.reasons if r.rule == "C03")


def test_short_and_variant_names_are_the_same_body(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(sqlite_engine) as session:
        import_small_registry(session)
        store_report(session, org_id=GOV, report=make_report(org="双鸭山市政府", year=2024), seen=date(2025, 3, 5))
        store_report(
            session, org_id=EDU, report=make_report(org="双鸭山市 教育局", year=2024, seed=2), seen=date(2025, 1, 5)
        )
    st = _statuses(sqlite_engine)
    assert "C03" not in _rules(st[GOV]) and "C03" not in _rules(st[EDU])


def test_year_printed_only_in_the_text_is_reported_but_counted(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(sqlite_engine) as session:
        import_small_registry(session)
        report = make_report(org="双鸭山市教育局", year=2023, title="双鸭山市教育局政府信息公开工作年度报告")
        store_report(session, org_id=EDU, report=report, seen=date(2025, 1, 5), year=2024)
    st = _statuses(sqlite_engine)[EDU]
    c03 = next(r for r in st.reasons if r.rule == "C03")
    assert st.status == "ok" and c03.details.get("counted") is None and "2023" in c03.message


def test_changed_report_keeps_both_versions(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(sqlite_engine) as session:
        import_small_registry(session)
        first = store_report(
            session, org_id=EDU, report=make_report(org="双鸭山市教育局", year=2024, seed=1), seen=date(2025, 1, 20)
        )
        second = store_report(
            session, org_id=EDU, report=make_report(org="双鸭山市教育局", year=2024, seed=2), seen=date(2025, 2, 20)
        )
    before = _statuses(sqlite_engine, date(2025, 2, 1))[EDU]
    assert before.versions == [first] and "C05" not in _rules(before)
    after = _statuses(sqlite_engine)[EDU]
    c05 = next(r for r in after.reasons if r.rule == "C05")
    assert after.versions == [first, second] and c05.details["versions"] == [first, second]
    # Still on time: the first publication counts, not the date of the change.
    assert after.status == "ok" and after.report_id == second


def test_county_body_reporting_rules_is_inconsistent(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(sqlite_engine) as session:
        import_small_registry(session)
        art20 = {"rules": {"made": 2, "repealed": 0, "in_force": 2}}
        store_report(
            session,
            org_id=STREET,
            report=make_report(org="尖山区二马路街道办事处", year=2024, art20=art20),
            seen=date(2025, 1, 5),
        )
    st = _statuses(sqlite_engine)[STREET]
    assert st.status == "inconsistent" and "C04" in _rules(st)


def test_government_silent_on_assessment_gets_t04(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(sqlite_engine) as session:
        import_small_registry(session)
        store_report(
            session,
            org_id=GOV,
            report=make_report(org="双鸭山市人民政府", year=2024, overview=prose(5)),
            seen=date(2025, 3, 5),
        )
        store_report(
            session,
            org_id=EDU,
            report=make_report(org="双鸭山市教育局", year=2024, overview=prose(6)),
            seen=date(2025, 1, 5),
        )
    st = _statuses(sqlite_engine)
    assert "T04" in _rules(st[GOV]) and st[GOV].status == "ok"  # a warning does not change the status
    assert "T04" not in _rules(st[EDU])  # only governments


def test_in_force_and_copied_problems_against_last_year(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    problems = prose(77, 12)
    with session_scope(sqlite_engine) as session:
        import_small_registry(session)
        last = make_report(
            org="双鸭山市人民政府",
            year=2023,
            problems=problems,
            seed=1,
            art20={"normative_docs": {"made": 3, "repealed": 1, "in_force": 40}},
        )
        store_report(session, org_id=GOV, report=last, seen=date(2024, 3, 1))
        this = make_report(
            org="双鸭山市人民政府",
            year=2024,
            problems=problems.replace("推进", "推动", 1),
            seed=2,
            art20={"normative_docs": {"made": 5, "repealed": 2, "in_force": 40}},
        )
        store_report(session, org_id=GOV, report=this, seen=date(2025, 3, 1))
    st = _statuses(sqlite_engine)[GOV]
    y02 = next(r for r in st.reasons if r.rule == "Y02")
    assert "上年现行有效40+本年制发5−本年废止2=43" in y02.message
    assert "Y03" in _rules(st) and st.status == "ok"


def test_unchanged_problems_with_different_text_is_not_y03(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(sqlite_engine) as session:
        import_small_registry(session)
        store_report(
            session, org_id=EDU, report=make_report(org="双鸭山市教育局", year=2023, seed=1), seen=date(2024, 1, 5)
        )
        store_report(
            session, org_id=EDU, report=make_report(org="双鸭山市教育局", year=2024, seed=2), seen=date(2025, 1, 5)
        )
    assert "Y03" not in _rules(_statuses(sqlite_engine)[EDU])


def test_copied_prose_across_bodies_is_y04(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    csv = REGISTRY_HEADER + "".join(
        f"t{i:03d},第{i}街道办事处,,township,230502,township,,http://t{i}.example/,\n" for i in range(40)
    )
    with session_scope(sqlite_engine) as session:
        import_small_registry(session, csv)
        for i in range(40):
            seed = 7 if i in (3, 17) else 1000 + i
            text = prose(seed, 40).replace("平台", f"第{i}街道办事处平台", 2)
            report = make_report(org=f"第{i}街道办事处", year=2024, overview=text, problems=prose(seed + 1, 8))
            store_report(session, org_id=f"t{i:03d}", report=report, seen=date(2025, 1, 5))
    st = _statuses(sqlite_engine)
    flagged = {o for o, s in st.items() if "Y04" in _rules(s)}
    assert flagged == {"t003", "t017"}
    y04 = next(r for r in st["t003"].reasons if r.rule == "Y04")
    assert y04.details["other_org_id"] == "t017" and "第17街道办事处" in y04.message


def test_concurrent_refreshes_write_each_status_once(pg_url: str) -> None:
    """Two service instances may refresh at once on PostgreSQL (SQLite: the service serialises its own)."""
    import threading

    from sqlalchemy import func, select

    from db.engine import init_db, make_engine
    from db.models import ComplianceStatus, StatusChange
    from monitor.compliance import refresh_statuses

    engine = make_engine(pg_url)
    init_db(engine)
    with session_scope(engine) as session:
        import_small_registry(session)
    errors: list[BaseException] = []

    def refresh() -> None:
        try:
            with session_scope(engine) as session:
                refresh_statuses(session=session, year=2024, as_of=APRIL)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=refresh) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    with session_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(ComplianceStatus)).scalar_one() == 4
        assert session.execute(select(func.count()).select_from(StatusChange)).scalar_one() == 4
    engine.dispose()
