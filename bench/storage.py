"""Storage benchmark: record 10,000 reports with findings, then read the status inputs of 30,000 orgs.

`python -m bench storage [--pg] [--orgs N] [--reports N]`; SQLite always, PostgreSQL with --pg.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from crawler.report.model import Finding, Report, Source
from db.engine import init_db, make_engine, read_session, session_scope
from db.models import Org
from db.reports import record_document, record_report, status_inputs
from db.store import DocumentStore

PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
T0 = datetime(2025, 1, 10, tzinfo=timezone.utc)
FINDINGS = (Finding("A01", "error", "勾稽关系不成立", ("applications.granted.total",)),
            Finding("S04", "warning", "单元格为空"), Finding("T02", "warning", "未说明信息处理费"))


def _report(i: int) -> Report:
    return Report(source=Source(path=None, media_type="text/html", sha256=""), title=f"机构{i}2024年年度报告",
                  org=f"机构{i}", year=2024, template="2021",
                  applications={"granted": {"natural_person": i, "total": i}}, findings=list(FINDINGS[: i % 4]))


class TimedStore(DocumentStore):
    """The document store, counting the seconds spent writing blobs (fsync dominates on most disks)."""

    seconds = 0.0

    def put(self, data: bytes) -> str:
        started = time.perf_counter()
        try:
            return super().put(data)
        finally:
            self.seconds += time.perf_counter() - started


def _orgs(engine: sa.Engine, n: int) -> None:
    now = datetime.now(timezone.utc)
    rows = [{"id": f"org-{i:05d}", "name": f"机构{i}", "aliases": [], "kind": "department",
             "homepage": f"https://o{i}.gov.cn/", "created_at": now, "updated_at": now} for i in range(n)]
    with session_scope(engine) as session:
        session.execute(sa.insert(Org), rows)


def _record(engine: sa.Engine, store: DocumentStore, n: int, n_orgs: int) -> tuple[float, int]:
    """Seconds and rows written; every tenth report is re-posted changed (a second version)."""
    started, rows = time.perf_counter(), 0
    for start in range(0, n, 500):
        with session_scope(engine) as session:
            for i in range(start, min(n, start + 500)):
                org_index = i if i % 10 else i - 1 if i else 0
                org = f"org-{(org_index * 3) % n_orgs:05d}"
                seen = T0 + timedelta(minutes=i)
                doc = record_document(session=session, store=store, data=f"report {i}".encode(),
                                      media_type="text/html", source_url=None, seen_at=seen)
                parsed = _report(i)
                record_report(session=session, org_id=org, document=doc, report=parsed, source_url=None,
                              page_url=None, published_on=None, published_source=None, seen_at=seen)
                rows += 2 + len(parsed.findings)
    return time.perf_counter() - started, rows


def _query_ms(engine: sa.Engine, repeat: int = 7) -> tuple[float, float, int]:
    """Median wall and CPU milliseconds of the status-inputs query (CPU time is steadier on a busy host)."""
    wall, cpu, count = [], [], 0
    for _ in range(repeat):
        with read_session(engine) as session:
            started, started_cpu = time.perf_counter(), time.process_time()
            count = len(status_inputs(session=session, year=2024))
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), count


def run_one(name: str, url: str, folder: Path, n_orgs: int, n_reports: int) -> None:
    engine = make_engine(url)
    init_db(engine)
    _orgs(engine, n_orgs)
    store = TimedStore(folder / "documents")
    seconds, rows = _record(engine, store, n_reports, n_orgs)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    ms, cpu_ms, count = _query_ms(engine)
    engine.dispose()
    print(f"{name}: 写入 {n_reports} 份报告（含发现项、文档，共 {rows} 行）用时 {seconds:.1f} 秒，"
          f"{rows / seconds:,.0f} 行/秒（{n_reports / seconds:,.0f} 份/秒；其中文档落盘 fsync {store.seconds:.1f} 秒，"
          f"不计落盘 {rows / max(seconds - store.seconds, 1e-9):,.0f} 行/秒）；"
          f"一次查询 {count} 个机构的状态输入：{ms:.0f} 毫秒（中位数，CPU {cpu_ms:.0f} 毫秒）")


def _pg_schema() -> tuple[str, sa.Engine, str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_BASE)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    return schema, admin, f"{PG_BASE}?options=-csearch_path%3D{schema}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench storage")
    parser.add_argument("--pg", action="store_true", help="也在 PostgreSQL 上运行")
    parser.add_argument("--orgs", type=int, default=30_000)
    parser.add_argument("--reports", type=int, default=10_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        folder = Path(tmp)
        run_one("SQLite", f"sqlite:///{folder / 'bench.db'}", folder / "sqlite", args.orgs, args.reports)
        if args.pg:
            schema, admin, url = _pg_schema()
            try:
                run_one("PostgreSQL", url, folder / "pg", args.orgs, args.reports)
            finally:
                with admin.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
    return 0
