"""`nianbao status`: JSON on stdout only, summaries by status, kind and region; fast path equals recomputation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from db.engine import session_scope
from monitor.compliance import refresh_statuses
from nianbao.cli import main
from tests.monitor.factory import A01, import_small_registry, make_report, store_report


@pytest.fixture
def season_db(sqlite_engine, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    with session_scope(sqlite_engine) as session:
        import_small_registry(session)
        store_report(
            session, org_id="230500-jyj", report=make_report(org="双鸭山市教育局", year=2024), seen=date(2025, 1, 20)
        )
        store_report(
            session,
            org_id="230502-jd",
            report=make_report(org="尖山区二马路街道办事处", year=2024, findings=[A01], seed=4),
            seen=date(2025, 2, 14),
        )
    monkeypatch.setenv("NIANBAO_DB_URL", sqlite_url)
    return sqlite_url


def _run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["status", *args, "--json"]) == 0
    out = capsys.readouterr().out
    return json.loads(out)


def test_status_json_summary(season_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _run_json(capsys, "--year", "2024", "--as-of", "2025-02-20")
    assert doc["schema"] == "nianbao.status/1" and doc["as_of"] == "2025-02-20"
    assert doc["summary"]["by_status"] == {"ok": 1, "inconsistent": 1, "late": 0, "missing": 1, "not_due": 1}
    assert doc["summary"]["by_kind"]["department"] == {
        "ok": 1,
        "inconsistent": 0,
        "late": 0,
        "missing": 1,
        "not_due": 0,
    }
    assert set(doc["summary"]["by_region"]) == {"230500"}
    rows = {r["org_id"]: r for r in doc["organisations"]}
    assert rows["230500-wjw"]["status"] == "missing" and rows["230500-wjw"]["name"] == "双鸭山市卫生健康委员会"
    assert rows["230500-jyj"]["deadline"] == "2025-01-31"
    assert any(r["rule"] == "A01" for r in rows["230502-jd"]["reasons"])


def test_status_uses_stored_reasons_after_refresh(
    season_db: str,
    sqlite_engine,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    fresh = _run_json(capsys, "--year", "2024", "--as-of", "2025-03-01", "--recompute")
    with session_scope(sqlite_engine) as session:
        refresh_statuses(session=session, year=2024, as_of=date(2025, 2, 20))
    quick = _run_json(capsys, "--year", "2024", "--as-of", "2025-03-01")
    assert not quick.pop("recomputed") and fresh.pop("recomputed")
    assert quick == fresh
    # A report stored after the refresh makes the stored statuses stale: everything is recomputed.
    with session_scope(sqlite_engine) as session:
        store_report(
            session,
            org_id="230500-wjw",
            report=make_report(org="双鸭山市卫生健康委员会", year=2024, seed=8),
            seen=date(2025, 2, 25),
        )
    again = _run_json(capsys, "--year", "2024", "--as-of", "2025-03-01")
    assert again["recomputed"] and again["summary"]["by_status"]["late"] == 1


def test_status_text_and_bad_date(season_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--year", "2024", "--as-of", "2025-02-20"]) == 0
    out = capsys.readouterr().out
    assert "共 4 个机构" in out and "未发布 1" in out and "230500-wjw" in out
    with pytest.raises(SystemExit):
        main(["status", "--as-of", "2025-13-01"])
    assert "日期格式" in capsys.readouterr().err


def test_status_on_an_empty_database_says_to_upgrade(
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NIANBAO_DB_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["status", "--year", "2024"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "nianbao db upgrade" in captured.err


# The refresh date, and a date past the government's deadline (its row is decided again, nothing recomputed).
@pytest.mark.parametrize("as_of", ["2025-02-20", "2025-04-10"])
def test_status_after_a_refresh_imports_no_orm(
    season_db: str,
    sqlite_engine,  # type: ignore[no-untyped-def]
    as_of: str,
) -> None:
    # The answer reads Core rows only: importing SQLModel's classes and Alembic doubled its time.
    with session_scope(sqlite_engine) as session:
        refresh_statuses(session=session, year=2024, as_of=date(2025, 2, 20))
    script = (
        "import sys\nfrom nianbao.cli import main\n"
        f"code = main(['status', '--year', '2024', '--as-of', '{as_of}', '--json'])\n"
        "print(code, sorted(m for m in ('sqlmodel', 'sqlalchemy.orm', 'alembic', 'db.models') if m in sys.modules))"
    )
    env = {**os.environ, "NIANBAO_DB_URL": season_db}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.splitlines()[-1] == "0 []"
    assert json.loads(done.stdout.splitlines()[0])["recomputed"] is False
