"""The demo's flow on a smaller farm: the statuses and digests it must produce, checked against the farm's truth."""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from nianbao.demo import DEMO_ADMIN



@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("demo") / "work"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    done = subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "demo", "--no-serve", "--portals", "4", "--seed", "7",
         "--workdir", str(workdir)],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "生成每周摘要邮件" in done.stderr and "增量抓取" in done.stderr
    return workdir


def _statuses(workdir: Path) -> dict[tuple[str, int], str]:
    engine = create_engine(f"sqlite:///{workdir / 'nianbao.db'}")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT org_id, year, status FROM compliancestatus")).all()
    engine.dispose()
    return {(org_id, year): status for org_id, year, status in rows}


def _reachable(report: dict) -> bool:
    return not report["faults"] and not report["robots_disallowed"]


def test_every_body_and_year_has_a_status(demo: Path) -> None:
    truth = json.loads((demo / "farm" / "truth.json").read_text(encoding="utf-8"))
    statuses = _statuses(demo)
    assert {(o, y) for o in truth["orgs"] for y in truth["years"]} == set(statuses)


def test_missing_and_late_reports_are_told(demo: Path) -> None:
    truth = json.loads((demo / "farm" / "truth.json").read_text(encoding="utf-8"))
    statuses = _statuses(demo)
    for gap in truth["missing"]:
        assert statuses[(gap["org_id"], gap["year"])] == "missing", gap
    reports = [r for p in truth["portals"] for r in p["reports"] if _reachable(r)]
    assert reports
    for report in reports:
        status = statuses[(report["org_id"], report["year"])]
        assert status != "missing", report["key"]
        if report["late"]:
            assert status == "late", report["key"]
        if not report["consistent"] and not report["late"]:
            assert status == "inconsistent", report["key"]
    assert {"missing", "late", "inconsistent"} <= set(statuses.values())


def test_each_supervisor_gets_one_digest_with_both_parts(demo: Path) -> None:
    registry = (demo / "farm" / "registry.csv").read_text(encoding="utf-8").splitlines()
    header = registry[0].split(",")
    column = header.index("supervisor_emails")
    supervisors = {e for line in registry[1:] for e in line.split(",")[column].split(";") if e}
    supervisors.add(DEMO_ADMIN)  # the admin sees every body, so gets a digest too
    messages = [email.message_from_bytes(p.read_bytes(), policy=policy.default)
                for p in sorted((demo / "outbox").glob("*.eml"))]
    assert sorted(str(m["To"].addresses[0].addr_spec) for m in messages) == sorted(supervisors)
    for message in messages:
        assert "年报" in str(message["Subject"])
        kinds = {part.get_content_type() for part in message.walk()}
        assert {"text/plain", "text/html"} <= kinds
        body = message.get_body(("plain",)).get_content()
        assert "/orgs/" in body


def test_corrections_in_place_become_new_versions(demo: Path) -> None:
    truth = json.loads((demo / "farm" / "truth.json").read_text(encoding="utf-8"))
    corrected = [r for p in truth["portals"] for r in p["reports"] if r["version"] > 1 and _reachable(r)]
    assert corrected, "the demo corrects reports between its crawls"
    engine = create_engine(f"sqlite:///{demo / 'nianbao.db'}")
    with engine.connect() as conn:
        for report in corrected:
            versions = conn.execute(text(
                "SELECT version, is_latest FROM report WHERE org_id = :o AND year = :y ORDER BY version"),
                {"o": report["org_id"], "y": report["year"]}).all()
            assert [tuple(v) for v in versions] == [(1, False), (2, True)], report["key"]
            reasons = conn.execute(text("SELECT reasons FROM compliancestatus WHERE org_id = :o AND year = :y"),
                                   {"o": report["org_id"], "y": report["year"]}).scalar_one()
            assert '"C05"' in (reasons if isinstance(reasons, str) else json.dumps(reasons)), report["key"]
    engine.dispose()
