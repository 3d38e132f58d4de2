"""`nianbao demo`: the whole system on embedded defaults, against simulated portals on loopback.

Steps: serve a portal farm → import its registry → crawl → corrections appear → re-crawl (incremental)
→ compute statuses → write digests → serve pages.
Everything lives under one work folder (SQLite file, documents, outbox), wiped at the start of each run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from nianbao.settings import Settings

if TYPE_CHECKING:
    from portalfarm.farm import Farm

DEMO_PASSWORD = "nianbao-demo"
DEMO_ADMIN = "admin@demo.nianbao"
YEARS = (2022, 2023, 2024)
# Loopback portals answer in microseconds: start AutoThrottle low and give up on hung portals sooner.
DEMO_CRAWL_SETTINGS = ("AUTOTHROTTLE_START_DELAY=0.05", "DOWNLOAD_TIMEOUT=8", "RETRY_TIMES=1", "NIANBAO_REVALIDATE_AFTER_DAYS=0", "NIANBAO_REVALIDATE_MAX=1")
CRAWL_TIMEOUT_S = 600
STATUS_NAMES = {"ok": "正常", "inconsistent": "数据不一致", "late": "逾期发布", "missing": "未发布", "not_due": "未到期限"}


@dataclass
class DemoResult:
    """What the demo produced, for the summary and the end-to-end test."""

    workdir: Path
    settings: Settings
    crawls: list[int] = field(default_factory=list)  # exit status of each crawl
    corrections: list[str] = field(default_factory=list)
    statuses: dict[int, Counter[str]] = field(default_factory=dict)
    eml_files: list[Path] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _step(number: int, total: int, text: str) -> None:
    print(f"[{number}/{total}] {text}", file=sys.stderr, flush=True)


def demo_settings(base: Settings, workdir: Path) -> Settings:
    """The demo's own database, documents and outbox under `workdir`; loopback portals allowed."""
    return base.model_copy(update={
        "db_url": f"sqlite:///{workdir / 'nianbao.db'}",
        "data_dir": workdir,
        "allow_private_hosts": True,
    })


def import_farm_registry(engine: Engine, csv_path: Path) -> str:
    from db.engine import session_scope
    from db.registry import import_registry

    with session_scope(engine) as session:
        return import_registry(session=session, data=csv_path.read_bytes()).summary()


def crawl(settings: Settings) -> int:
    """`nianbao crawl` in a child process (Scrapy's reactor runs once per process), output to our stderr."""
    env = {**os.environ, "NIANBAO_DB_URL": settings.db_url, "NIANBAO_DATA_DIR": str(settings.data_dir),
           "NIANBAO_ALLOW_PRIVATE_HOSTS": "true"}
    command = [sys.executable, "-m", "nianbao.cli", "crawl"]
    for setting in DEMO_CRAWL_SETTINGS:
        command += ["-s", setting]
    done = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, stdout=sys.stderr, timeout=CRAWL_TIMEOUT_S,
                          check=False)
    return done.returncode


def post_corrections(farm: Farm, today: date) -> list[str]:
    """Between the crawls: two bodies correct an inconsistent report in place, one missing report appears late."""
    truth = farm.truth()
    healthy = [p for p in truth["portals"] if not p["faults"]]
    wrong = [r for p in healthy for r in p["reports"]
             if not r["consistent"] and r["source"] == "generated" and not r["faults"]]
    told = []
    for report in wrong[:2]:
        farm.replace_report(report["org_id"], report["year"], consistent=True, modified_on=today)
        told.append(f"{report['org_name']} 更正了 {report['year']} 年度报告")
    healthy_orgs = {o for p in healthy for o in p["orgs"]}
    for gap in [g for g in truth["missing"] if g["org_id"] in healthy_orgs][:1]:
        farm.post_report(gap["org_id"], gap["year"], published_on=today)
        told.append(f"{truth['orgs'][gap['org_id']]['name']} 补发了 {gap['year']} 年度报告")
    return told


def compute_statuses(engine: Engine, as_of: date) -> dict[int, Counter[str]]:
    from sqlmodel import select

    from db.engine import session_scope
    from db.models import ComplianceStatus
    from monitor.compliance import refresh_statuses

    counts: dict[int, Counter[str]] = {}
    for year in YEARS:
        with session_scope(engine) as session:
            refresh_statuses(session=session, year=year, as_of=as_of)
            rows = session.exec(select(ComplianceStatus.status).where(ComplianceStatus.year == year)).all()
            counts[year] = Counter(rows)
    return counts


def create_logins(engine: Engine) -> list[str]:
    """An admin and every registry supervisor get the demo password."""
    from sqlmodel import select

    from db.engine import session_scope
    from db.models import Supervisor
    from monitor.web.passwords import hash_password

    hashed = hash_password(DEMO_PASSWORD)
    with session_scope(engine) as session:
        admin = session.exec(select(Supervisor).where(Supervisor.email == DEMO_ADMIN)).first()
        session.add(admin or Supervisor(email=DEMO_ADMIN, name="演示管理员", is_admin=True))
        for supervisor in session.exec(select(Supervisor)).all():
            supervisor.password_hash = hashed
        session.flush()
        return sorted(s.email for s in session.exec(select(Supervisor)).all())


def write_digests(engine: Engine, settings: Settings, as_of: date | None, outbox: Path) -> list[Path]:
    """This week's digests (up to now, or to the end of `as_of`), sent when SMTP is set, and as .eml files."""
    from alerts.outbox import write_eml
    from alerts.run import run_weekly
    from db.engine import session_scope

    run = run_weekly(engine=engine, settings=settings, as_of=as_of, deliver=settings.smtp is not None)
    with session_scope(engine) as session:
        return write_eml(session=session, period=run.period, directory=outbox)


def run_demo(base: Settings, *, workdir: Path, portals: int = 9, seed: int = 2026,
             as_of: date | None = None, serve: bool = True) -> DemoResult:
    """Run the demo; with `serve`, keep serving the pages (and the scheduler) until interrupted."""
    from db.database import open_database
    from portalfarm.cache import default_root
    from portalfarm.farm import Farm
    from portalfarm.spec import FarmSpec

    started = time.monotonic()
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    settings = demo_settings(base, workdir)
    result = DemoResult(workdir=workdir, settings=settings)
    status_day = as_of or datetime.now(ZoneInfo(settings.timezone)).date()
    total = 7 if serve else 6
    _step(1, total, f"启动模拟门户（{portals} 个门户网站，仅本机回环地址）")
    # Rendered PDF/DOC attachments are cached outside the work folder, so a second demo skips LibreOffice.
    farm = Farm(FarmSpec.generate(seed, portals, YEARS), cache_dir=default_root())
    with farm.running():
        registry_csv, _ = farm.write_manifest(workdir / "farm")
        engine = open_database(settings.db_url)
        _step(2, total, "导入机构名录：" + import_farm_registry(engine, registry_csv))
        _step(3, total, "抓取门户网站、解析并校验年度报告")
        result.crawls.append(crawl(settings))
        result.corrections = post_corrections(farm, status_day)
        farm.write_manifest(workdir / "farm")  # the truth now includes the corrections
        _step(4, total, "门户上有新变化（" + "；".join(result.corrections) + "），增量抓取")
        result.crawls.append(crawl(settings))
    _step(5, total, f"计算合规状态（截至 {status_day.isoformat()}）")
    result.statuses = compute_statuses(engine, status_day)
    for year, counts in result.statuses.items():
        print(f"  {year} 年度：" + "，".join(f"{STATUS_NAMES.get(k, k)} {v}" for k, v in sorted(counts.items())),
              file=sys.stderr)
    result.logins = create_logins(engine)
    _step(6, total, "生成每周摘要邮件")
    result.eml_files = write_digests(engine, settings, as_of, workdir / "outbox")
    print(f"  已写入 {len(result.eml_files)} 封邮件到 {workdir / 'outbox'}", file=sys.stderr)
    result.seconds = time.monotonic() - started
    engine.dispose()
    if serve:
        _serve(settings, result, total)
    return result


def _serve(settings: Settings, result: DemoResult, total: int) -> None:
    import argparse

    from nianbao.commands import serve

    print(f"[{total}/{total}] 状态页面：{settings.base_url}/  （用时 {result.seconds:.0f} 秒）\n"
          f"  登录：{DEMO_ADMIN}（管理员）或任一监督人员邮箱，密码 {DEMO_PASSWORD}\n"
          f"  按 Ctrl-C 退出", file=sys.stderr, flush=True)
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    args = parser.parse_args([])
    args.verbose = False
    serve.run(args, settings)
