"""`python -m bench digest [--orgs N] [--supervisors M] [--db URL]`: compose one week's digests.

Builds an organisation tree of N bodies (province → cities → counties → departments and townships),
M supervisors scoped on cities, counties and single bodies (one sees the whole province), and a week
of events: status changes, new reports with findings, corrected versions, failing portals, deadlines.
Then times composing every digest into the outbox (queries, rendering, storing).
Target: ≤ 30 s for 1,000 supervisors over 30,000 organisations.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

AS_OF = date(2027, 1, 20)  # eleven days before the departments' deadline: many "upcoming" items
NOW = datetime(2027, 1, 20, 2, 0, tzinfo=timezone.utc)
WEEK_AGO = NOW - timedelta(days=7)
FINDINGS = [("A01", "error", "（自然人列）第一项+第二项={a}，第三项（七）总计+第四项={b}，勾稽关系不成立"),
            ("A03", "error", "（总计列）三（七）总计={a}，三（一）至（六）之和={b}，不一致"),
            ("T02", "warning", "第六部分未说明是否收取信息处理费")]


def _tree(n: int) -> Iterator[dict[str, Any]]:
    """N organisations: a province, cities with departments, counties with departments and townships."""
    count = 0

    def org(oid: str, name: str, kind: str, parent: str | None) -> dict[str, Any]:
        nonlocal count
        count += 1
        return {"id": oid, "name": name, "kind": kind, "parent_id": parent, "aliases": [], "homepage": f"https://{oid}.example.cn/",
                "created_at": NOW, "updated_at": NOW, "deadline": "02-28" if count % 97 == 0 else None}

    yield org("p", "某某省人民政府", "government", None)
    city = 0
    while count < n:
        city += 1
        cid = f"c{city}"
        yield org(cid, f"第{city}市人民政府", "government", "p")
        for d in range(30):
            if count < n:
                yield org(f"{cid}-d{d}", f"第{city}市第{d}局", "department", cid)
        for k in range(10):
            if count >= n:
                break
            kid = f"{cid}-k{k}"
            yield org(kid, f"第{city}市第{k}县人民政府", "government", cid)
            for d in range(60):
                if count < n:
                    yield org(f"{kid}-d{d}", f"第{city}市第{k}县第{d}局", "department", kid)
            for t in range(20):
                if count < n:
                    yield org(f"{kid}-t{t}", f"第{city}市第{k}县第{t}乡", "township", kid)


def _bulk(engine: Engine, table: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        for start in range(0, len(rows), 5000):
            conn.execute(insert(table), rows[start:start + 5000])


def build(engine: Engine, *, orgs: int, supervisors: int, seed: int = 7) -> None:
    from db.models import (ComplianceStatus, CrawlTarget, Document, FindingRow, Org, Report, StatusChange,
                           Supervisor, SupervisorScope)

    rng = random.Random(seed)
    tree = list(_tree(orgs))
    _bulk(engine, Org.__table__, tree)
    ids = [o["id"] for o in tree]
    cities = [o["id"] for o in tree if o["parent_id"] == "p"]
    counties = [o["id"] for o in tree if "-k" in o["id"] and o["id"].count("-") == 1]
    sups, scopes = [], []
    for i in range(supervisors):
        sups.append({"id": i + 1, "email": f"s{i}@example.cn", "name": f"监督员{i}", "is_admin": False,
                     "send_all_clear": i % 3 != 0, "immediate_alerts": False, "created_at": NOW})
        if i == 0:
            roots = ["p"]
        elif i <= len(cities):
            roots = [cities[i - 1]]
        elif i <= len(cities) + len(counties):
            roots = [counties[i - 1 - len(cities)]]
        else:
            roots = rng.sample(ids, rng.choice((1, 1, 2, 3)))
        scopes += [{"supervisor_id": i + 1, "org_id": root} for root in roots]
    _bulk(engine, Supervisor.__table__, sups)
    _bulk(engine, SupervisorScope.__table__, scopes)

    docs, reports, findings = [], [], []
    report_id = 0

    def add_report(org_id: str, year: int, seen: datetime, *, version: int = 1, errors: int = 0, latest: bool = True) -> int:
        nonlocal report_id
        report_id += 1
        sha = hashlib.sha256(f"{org_id}/{year}/{version}".encode()).hexdigest()
        docs.append({"sha256": sha, "media_type": "text/html", "size": 1000, "first_seen": seen, "last_seen": seen})
        reports.append({"id": report_id, "org_id": org_id, "year": year, "version": version, "is_latest": latest,
                        "template": "2021", "title": f"{year}年政府信息公开工作年度报告", "published_source": "page",
                        "first_seen_at": seen, "document_sha256": sha, "data": {}, "error_count": errors,
                        "warning_count": 1 if errors else 0, "created_at": seen, "last_seen_at": seen, "parsed_at": seen})
        return report_id

    for org_id in ids:
        roll = rng.random()
        if roll < 0.05:  # new this week, with errors
            rid = add_report(org_id, 2025, WEEK_AGO + timedelta(hours=rng.randint(1, 160)), errors=2)
            findings += [{"report_id": rid, "rule": r, "severity": s, "cells": [],
                          "message": m.format(a=rng.randint(10, 99), b=rng.randint(10, 99))} for r, s, m in FINDINGS]
        elif roll < 0.06:  # corrected this week
            add_report(org_id, 2025, WEEK_AGO - timedelta(days=30), errors=1, latest=False)
            add_report(org_id, 2025, WEEK_AGO + timedelta(hours=rng.randint(1, 160)), version=2)
        else:
            add_report(org_id, 2025, WEEK_AGO - timedelta(days=rng.randint(30, 300)))
        if rng.random() < 0.4:
            add_report(org_id, 2026, WEEK_AGO - timedelta(days=rng.randint(1, 20)))
    _bulk(engine, Document.__table__, docs)
    _bulk(engine, Report.__table__, reports)
    _bulk(engine, FindingRow.__table__, findings)
    changes = sorted(({"org_id": rng.choice(ids), "year": 2025, "old_status": "not_due",
                       "new_status": rng.choice(("missing", "late", "inconsistent", "ok")),
                       "changed_at": WEEK_AGO + timedelta(hours=rng.randint(-300, 160))} for _ in range(6000)),
                     key=lambda c: c["changed_at"])
    _bulk(engine, StatusChange.__table__, changes)
    current = {c["org_id"]: c["new_status"] for c in changes}  # the last change per org is the status now
    _bulk(engine, ComplianceStatus.__table__, [
        {"org_id": org_id, "year": 2025, "status": status, "as_of": AS_OF, "computed_at": NOW, "reasons": [
            {"rule": "C02", "severity": "error", "message": "2026-02-16在门户发布，晚于发布期限2026-01-31"},
            {"rule": "Y01", "severity": "error", "message": "（自然人列）二、上年结转=5，上年报告四、结转下年度继续办理=3，不一致"},
            {"rule": "T02", "severity": "warning", "message": "第六部分未说明是否收取信息处理费"}]}
        for org_id, status in current.items()])
    _bulk(engine, CrawlTarget.__table__, [
        {"org_id": org_id, "needs_browser": False, "consecutive_failures": rng.randint(1, 5) if rng.random() < 0.02 else 0,
         "last_error": "连接超时", "last_crawled_at": NOW, "last_success_at": WEEK_AGO} for org_id in ids])


@contextmanager
def _database(url: str | None, tmp: Path) -> Iterator[str]:
    if not url or not url.startswith("postgresql"):
        yield url or f"sqlite:///{tmp / 'bench.db'}"
        return
    import sqlalchemy as sa

    schema = f"bench_digest_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench digest")
    parser.add_argument("--orgs", type=int, default=30_000)
    parser.add_argument("--supervisors", type=int, default=1_000)
    parser.add_argument("--db", help="database URL (default: a SQLite file in a temporary directory); "
                                     "for PostgreSQL a throwaway schema is created in that database and dropped")
    args = parser.parse_args(argv)

    from alerts.digest import plan_digests
    from alerts.run import DigestRun, _store
    from db.engine import init_db, make_engine, read_session
    from nianbao.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp, _database(args.db, Path(tmp)) as url:
        engine = make_engine(url)
        init_db(engine)
        started = time.perf_counter()
        build(engine, orgs=args.orgs, supervisors=args.supervisors)
        built = time.perf_counter() - started
        settings = load_settings(db_url=url, base_url="https://nianbao.example.cn", smtp_url=None)

        started, cpu = time.perf_counter(), time.process_time()
        with read_session(engine) as session:
            plan = plan_digests(session=session, settings=settings, as_of=AS_OF, now=NOW)
        planned = time.perf_counter()
        run = DigestRun(plan.period)
        _store(run, engine, plan.digests)
        stored, cpu = time.perf_counter(), time.process_time() - cpu
        engine.dispose()

    total = stored - started
    size = sum(len(p.message.as_bytes()) for p in plan.digests if p.message is not None)
    print(f"数据准备 {built:.1f} 秒（{args.orgs} 个机构，{args.supervisors} 位监督人员）")
    print(f"生成摘要：{total:.1f} 秒（查询与渲染 {planned - started:.1f} 秒，写入发件箱 {stored - planned:.1f} 秒）；"
          f"{run.composed} 封邮件（一切正常 {run.all_clear}），无事不发 {run.silent}，共 {size / 1e6:.1f} MB")
    print(f"其中本进程 CPU 时间 {cpu:.1f} 秒（机器繁忙时墙钟时间会更长）")
    print(f"目标 ≤ 30 秒：{'达到' if total <= 30 else '未达到'}")
    return 0 if total <= 30 else 1
