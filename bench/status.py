"""`python -m bench status [--orgs N] [--db PATH]`: `nianbao status` on a registry of N organisations (SQLite).

Builds a database with N organisations and two years of reports (bulk inserts), refreshes the statuses
once (what the service does after each crawl), then times `nianbao status --json` in this process and
as a fresh `nianbao` process, for the refresh's as-of date and for another one (rows decided again).
Target: ≤ 1 s for 30,000 organisations.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import insert

YEAR = 2024
AS_OF = date(2025, 4, 15)  # the refresh's date
OTHER_AS_OF = date(2025, 2, 10)  # another date: governments not yet due, some reports not yet seen
KINDS = ("government",) * 1 + ("department",) * 6 + ("township",) * 3
WORDS = (
    "推进",
    "政务公开",
    "标准化",
    "规范化",
    "平台",
    "建设",
    "依申请公开",
    "办理",
    "质量",
    "提升",
    "基层",
    "制度",
    "完善",
    "政策解读",
    "回应",
    "关切",
    "渠道",
    "拓展",
    "信息",
    "发布",
    "审核",
    "机制",
    "培训",
    "队伍",
    "考核",
)


def _prose(rng: random.Random, clauses: int) -> str:
    return "，".join("".join(rng.choice(WORDS) for _ in range(rng.randint(3, 6))) for _ in range(clauses)) + "。"


def _table(rng: random.Random, carried_over: int, carried_forward: int) -> dict[str, Any]:
    from crawler.report.templates import APPLICANT_COLUMNS, TEMPLATES

    rows: dict[str, Any] = {r.id: {c: 0 for c, _ in APPLICANT_COLUMNS} for r in TEMPLATES["2021"].application_rows}
    received = rng.randint(0, 40)
    for rid, value in (
        ("new_received", received),
        ("granted", received),
        ("results_total", received),
        ("carried_over", carried_over),
        ("carried_forward", carried_forward),
    ):
        rows[rid]["natural_person"] = rows[rid]["total"] = value
    return rows


def _report_data(
    rng: random.Random, org_id: str, name: str, year: int, errors: bool, carried: tuple[int, int]
) -> dict[str, Any]:
    findings = (
        [{"rule": "A01", "severity": "error", "message": "（自然人）一+二=1，三（七）+四=0", "cells": []}]
        if errors
        else []
    )
    return {
        "schema": "nianbao.report/1",
        "source": {"path": None, "media_type": "text/html", "sha256": org_id},
        "title": f"{name}{year}年政府信息公开工作年度报告",
        "org": name,
        "year": year,
        "template": "2021",
        "published_on": None,
        "section_texts": {
            "overview": _prose(rng, 40),
            "proactive": "二、主动公开政府信息情况",
            "applications": "三",
            "review_litigation": "四",
            "problems": _prose(rng, 10),
            "other": "本年度未收取信息处理费。",
        },
        "art20": {"rules": {"made": 0, "repealed": 0, "in_force": 0}},
        "applications": _table(rng, *carried),
        "review_litigation": {},
        "findings": findings,
        "raw_cells": {},
    }


def build(engine: Any, orgs: int, seed: int = 1) -> None:
    """Insert `orgs` organisations and their 2023 and 2024 reports (about 90% published, some late or wrong)."""
    from db.engine import session_scope
    from db.models import Document, Org, Report

    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    org_rows, doc_rows, report_rows = [], [], []
    for i in range(orgs):
        oid, kind = f"org{i:06d}", KINDS[i % len(KINDS)]
        name = f"第{i}号机构"
        org_rows.append(
            {
                "id": oid,
                "name": name,
                "aliases": [],
                "kind": kind,
                "homepage": f"http://{oid}.example/",
                "region_code": f"{110000 + (i % 300) * 100}",
                "level": "county" if kind == "township" else "city",
                "created_at": now,
                "updated_at": now,
            }
        )
        carried = rng.randint(0, 3)
        for year in (YEAR - 1, YEAR):
            if rng.random() > 0.9:
                continue
            sha = hashlib.sha256(f"{oid}-{year}".encode()).hexdigest()
            seen = datetime(year + 1, 1, 1, tzinfo=timezone.utc) + timedelta(days=rng.randint(0, 60))
            data = _report_data(
                rng,
                oid,
                name,
                year,
                rng.random() < 0.05,
                (carried, carried) if year == YEAR - 1 else (carried + (rng.random() < 0.02), 0),
            )
            doc_rows.append(
                {"sha256": sha, "media_type": "text/html", "size": 1, "first_seen": seen, "last_seen": seen}
            )
            report_rows.append(
                {
                    "org_id": oid,
                    "claimed_org": name,
                    "year": year,
                    "version": 1,
                    "is_latest": True,
                    "template": "2021",
                    "title": data["title"],
                    "published_on": seen.date(),
                    "published_source": "first_seen",
                    "first_seen_at": seen,
                    "last_seen_at": seen,
                    "document_sha256": sha,
                    "data": data,
                    "error_count": len(data["findings"]),
                    "warning_count": 0,
                    "created_at": seen,
                    "parsed_at": seen,
                }
            )
    with session_scope(engine) as session:
        for table, rows in ((Org, org_rows), (Document, doc_rows), (Report, report_rows)):
            for start in range(0, len(rows), 5000):
                session.execute(insert(table), rows[start : start + 5000])


def _in_process(url: str, as_of: date = AS_OF) -> tuple[float, float]:
    """(wall, CPU) seconds of one `nianbao status --json` in this process (imports already warm)."""
    import os

    from nianbao.cli import main

    os.environ["NIANBAO_DB_URL"] = url
    started, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = main(["status", "--year", str(YEAR), "--as-of", as_of.isoformat(), "--json"])
    elapsed = time.perf_counter() - started, time.process_time() - cpu
    assert code == 0 and out.getvalue().startswith("{")
    return elapsed


def _subprocess(url: str, as_of: date = AS_OF) -> tuple[float, float]:
    """(wall, CPU) seconds of `nianbao status --json` as a new process, interpreter start and imports included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "status", "--year", str(YEAR), "--as-of", as_of.isoformat(), "--json"],
        check=True,
        stdout=subprocess.DEVNULL,
        env={"NIANBAO_DB_URL": url, "PATH": "/usr/bin:/bin"},
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - started, cpu


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench status")
    parser.add_argument("--orgs", type=int, default=30_000)
    parser.add_argument("--db", type=Path, help="SQLite file to build (default: a temporary file)")
    args = parser.parse_args(argv)
    from db.engine import init_db, make_engine, session_scope
    from monitor.compliance import refresh_statuses

    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        path = args.db or Path(tmp) / "status.db"
        url = f"sqlite:///{path}"
        reuse = path.exists()
        engine = make_engine(url)
        init_db(engine)
        if not reuse:  # an existing --db file is reused as it is
            started = time.perf_counter()
            build(engine, args.orgs)
            print(f"建库：{args.orgs} 个机构，{time.perf_counter() - started:.1f} 秒", file=sys.stderr)
        started, cpu_started = time.perf_counter(), time.process_time()
        with session_scope(engine) as session:
            result = refresh_statuses(session=session, year=YEAR, as_of=AS_OF)
        print(
            f"refresh_statuses：{result.organisations} 个机构，{time.perf_counter() - started:.2f} 秒"
            f"（CPU {time.process_time() - cpu_started:.2f} 秒）",
            file=sys.stderr,
        )
        engine.dispose()
        wall, cpu = min(_in_process(url) for _ in range(3))
        other_wall, other_cpu = min(_in_process(url, OTHER_AS_OF) for _ in range(2))
        fresh, fresh_cpu = min(_subprocess(url) for _ in range(2))
        fresh_other, fresh_other_cpu = min(_subprocess(url, OTHER_AS_OF) for _ in range(2))
        print(
            f"nianbao status --json（进程内，截至刷新日）：{wall:.3f} 秒（CPU {cpu:.3f} 秒）；"
            f"截至其他日期：{other_wall:.3f} 秒（CPU {other_cpu:.3f} 秒）；"
            f"新进程（含解释器启动与导入）：{fresh:.3f} 秒（CPU {fresh_cpu:.3f} 秒）；"
            f"新进程、截至其他日期：{fresh_other:.3f} 秒（CPU {fresh_other_cpu:.3f} 秒）",
            file=sys.stderr,
        )
        print(
            f"status_s={wall:.3f} status_cpu_s={cpu:.3f} status_other_as_of_s={other_wall:.3f} "
            f"status_other_as_of_cpu_s={other_cpu:.3f} status_process_s={fresh:.3f} "
            f"status_process_cpu_s={fresh_cpu:.3f} status_other_as_of_process_s={fresh_other:.3f} "
            f"status_other_as_of_process_cpu_s={fresh_other_cpu:.3f} orgs={args.orgs}"
        )
        return 0 if wall <= 1.0 else 1
