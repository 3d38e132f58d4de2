"""Running `nianbao crawl` in a subprocess (the Twisted reactor cannot restart in one process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import Engine

from db.engine import session_scope
from db.registry import import_registry

ROOT = Path(__file__).resolve().parents[2]
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "NIANBAO_PROGRESS_INTERVAL=1", "-s", "DOWNLOAD_TIMEOUT=30",
        "-s", "NIANBAO_RETRY_BACKOFF=0.2"]


def import_csv(engine: Engine, rows: list[dict[str, str]]) -> None:
    header = ["id", "name", "aliases", "kind", "level", "parent_id", "homepage", "report_list_url"]
    lines = [",".join(header)] + [",".join(row.get(h, "") for h in header) for row in rows]
    with session_scope(engine) as session:
        result = import_registry(session=session, data=("\n".join(lines) + "\n").encode())
    assert not result.errors, result.errors


def crawl_env(db_url: str, data_dir: Path, redis_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    env.update(NIANBAO_DB_URL=db_url, NIANBAO_DATA_DIR=str(data_dir), NIANBAO_ALLOW_PRIVATE_HOSTS="true",
               PYTHONPATH=str(ROOT))
    if redis_url:
        env["NIANBAO_REDIS_URL"] = redis_url
    return env


def crawl_command(*extra: str) -> list[str]:
    return [sys.executable, "-m", "nianbao.cli", "crawl", *FAST, *extra]


def run_crawl(db_url: str, data_dir: Path, *extra: str, timeout: float = 120,
              redis_url: str | None = None) -> subprocess.CompletedProcess[str]:
    """`nianbao crawl` to completion; fails the test with its output on a non-zero exit."""
    done = subprocess.run(crawl_command(*extra), env=crawl_env(db_url, data_dir, redis_url), cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done
