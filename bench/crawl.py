"""Crawl benchmark: N simulated portals end to end (crawl, store, parse, validate) in a `nianbao crawl` process.

`python -m bench crawl [--portals 1000] [--seed 1] [--pg] [--faults] [--keep DIR]`

Prints pages/s (requests the farm answered), reports/s, wall time, the peak RSS of the crawler process
and the peak memory of its whole process tree (parse workers, Playwright's driver, Chromium) as PSS:
RSS summed over processes would count the pages they share (Chromium's zygotes, the driver) many times.
The tree's peak is also split by program (chrome, node, python workers), to show where memory goes.
The farm builds every report page and attachment before the clock starts, so the figures are the
crawler's, not the simulator's; PDF and DOC attachments are served as DOCX/XLSX for the same reason
(the farm renders those through LibreOffice, seconds each).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

import portalfarm.cache
from db.engine import init_db, make_engine, session_scope
from db.models import Report
from db.registry import import_registry
from portalfarm import Farm, FarmSpec

ROOT = Path(__file__).resolve().parent.parent
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FAST_FORMATS = {"pdf": "docx", "doc": "xlsx"}
FARM_MAX = 125  # portals per farm (the farm's city pool holds 141); larger runs use several farms


def _registry(farms: list[Farm]) -> bytes:
    """One registry for several farms: ids of the k-th farm get a prefix (names repeat across farms)."""
    out = io.StringIO()
    writer: csv.DictWriter[str] | None = None
    for k, farm in enumerate(farms):
        for row in csv.DictReader(io.StringIO(farm.registry_csv())):
            if k:
                row["id"] = f"b{k}-{row['id']}"
                row["parent_id"] = f"b{k}-{row['parent_id']}" if row["parent_id"] else ""
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\n")
                writer.writeheader()
            writer.writerow(row)
    return out.getvalue().encode()


def _spec(seed: int, portals: int, faults: bool) -> FarmSpec:
    spec = FarmSpec.generate(seed=seed, n_portals=portals, faults=faults)
    for portal in spec.portals:
        for report in portal.reports:
            if report.fmt in FAST_FORMATS and report.attachment_path:
                report.fmt = FAST_FORMATS[report.fmt]
                report.attachment_path = report.attachment_path.rsplit(".", 1)[0] + "." + report.fmt
    return spec


@dataclass
class Peak:
    """Peak resident memory of a process (RSS) and of its process tree (PSS), sampled from /proc, with the
    tree's split by program (python: the parse workers, node: Playwright's driver, chrome: Chromium) at its peak."""

    pid: int
    process_kb: int = 0
    tree_kb: int = 0
    parts_kb: dict[str, int] = field(default_factory=dict)

    def sample(self) -> None:
        self.process_kb = max(self.process_kb, _field(f"/proc/{self.pid}/status", "VmHWM"))
        parts: dict[str, int] = {"crawler": _field(f"/proc/{self.pid}/smaps_rollup", "Pss")}
        for pid in _descendants(self.pid):
            program = _program(pid)
            parts[program] = parts.get(program, 0) + _field(f"/proc/{pid}/smaps_rollup", "Pss")
        tree_kb = sum(parts.values())
        if tree_kb > self.tree_kb:
            self.tree_kb, self.parts_kb = tree_kb, parts

    def split(self) -> str:
        return ", ".join(f"{name} {kb / 1024:.0f}" for name, kb in sorted(self.parts_kb.items(), key=lambda p: -p[1]))


def _program(pid: int) -> str:
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
    except (FileNotFoundError, ProcessLookupError):
        return "?"
    return "chrome" if name.startswith("chrom") else name.split("-")[0]  # node-MainThread


def _field(path: str, name: str) -> int:
    """A `Name:   123 kB` line of a /proc file, in kB (0 when the process is gone)."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return 0
    return 0


def _descendants(pid: int) -> list[int]:
    found, frontier = [], [pid]
    for _ in range(6):  # the tree is shallow: crawler -> node driver -> chromium -> renderers
        children = []
        for parent in frontier:
            children += _children(parent)
        if not children:
            break
        found += children
        frontier = children
    return found


def _children(pid: int) -> list[int]:
    # Every thread's list: Chromium starts renderers from a launcher thread, not its main one.
    found = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in children.read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def _watch(process: subprocess.Popen[str], peak: Peak, stop: threading.Event) -> None:
    while not stop.wait(0.5):
        if process.poll() is not None:
            return
        peak.sample()


def _crawl(db_url: str, data: Path, extra: list[str]) -> tuple[float, Peak, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    env.update(NIANBAO_DB_URL=db_url, NIANBAO_DATA_DIR=str(data), NIANBAO_ALLOW_PRIVATE_HOSTS="true",
               PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "nianbao.cli", "crawl", "-s", "NIANBAO_PROGRESS_INTERVAL=10", *extra]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=None)
    peak, stop = Peak(process.pid), threading.Event()
    watcher = threading.Thread(target=_watch, args=(process, peak, stop), daemon=True)
    watcher.start()
    out, _ = process.communicate(timeout=6 * 3600)
    stop.set()
    watcher.join(timeout=5)
    if process.returncode != 0:
        raise SystemExit(f"nianbao crawl 失败（{process.returncode}）：{out}")
    return time.perf_counter() - started, peak, out


def _warm(farms: list[Farm]) -> None:
    started = time.perf_counter()
    for k, farm in enumerate(farms, 1):
        built = farm.warm()
        print(f"模拟门户预先生成 {k}/{len(farms)}：{built} 个页面与附件（{time.perf_counter() - started:.0f} 秒）",
              file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench crawl", description="抓取基准：模拟门户端到端抓取")
    parser.add_argument("--portals", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg", action="store_true", help="用 PostgreSQL（默认 SQLite 文件）")
    parser.add_argument("--faults", action="store_true", help="注入故障（默认不注入，测的是吞吐）")
    parser.add_argument("--keep", type=Path, help="保留数据库与文档的目录")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="传给 nianbao crawl")
    args = parser.parse_args(argv)

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="nianbao-bench-crawl-"))
    workdir.mkdir(parents=True, exist_ok=True)
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    db_url = f"{PG_BASE}?options=-csearch_path%3D{schema}" if args.pg else f"sqlite:///{workdir / 'nianbao.db'}"
    if args.pg:
        with sa.create_engine(PG_BASE).begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(db_url)
    init_db(engine)
    sizes = [min(FARM_MAX, args.portals - start) for start in range(0, args.portals, FARM_MAX)]
    specs = [_spec(args.seed + k, size, args.faults) for k, size in enumerate(sizes)]
    try:
        with ExitStack() as stack:
            farms = [stack.enter_context(Farm(spec, cache_dir=portalfarm.cache.default_root()).running())
                     for spec in specs]
            _warm(farms)
            with session_scope(engine) as session:
                import_registry(session=session, data=_registry(farms))
            extra = [item for pair in args.set for item in ("-s", pair)]
            wall, peak, summary = _crawl(db_url, workdir / "data", extra)
            pages = sum(sum(farm.request_count.values()) for farm in farms)
        with engine.connect() as conn:
            reports = conn.execute(sa.select(sa.func.count()).select_from(Report)).scalar_one()
        truth = sum(len(p.reports) for spec in specs for p in spec.portals)
    finally:
        engine.dispose()
        if args.pg:
            with sa.create_engine(PG_BASE).begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(summary.strip())
    print(f"门户 {args.portals} 个（{'PostgreSQL' if args.pg else 'SQLite'}）：请求 {pages} 次，报告 {reports}/{truth} 份，"
          f"用时 {wall:.1f} 秒")
    print(f"pages/s {pages / wall:.1f}  reports/s {reports / wall:.1f}  wall {wall:.1f} s  "
          f"peak RSS {peak.process_kb / 1024:.0f} MB (crawler), peak PSS {peak.tree_kb / 1024:.0f} MB "
          f"(crawler, parse workers, Playwright, Chromium)")
    print(f"peak PSS by program, MB: {peak.split()}")
    return 0
