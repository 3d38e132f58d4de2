"""A crawl killed midway and started again; two crawler processes sharing Redis and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

import portalfarm.cache
from db.engine import init_db, make_engine, session_scope
from db.models import Report
from db.registry import import_registry
from portalfarm import Farm, FarmSpec
from tests.crawler.farm_checks import by_url, duplicates, match, stored_reports, truth_reports
from tests.crawler.helpers import ROOT, crawl_command, crawl_env, run_crawl

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def farm() -> Iterator[Farm]:
    spec = FarmSpec.generate(seed=3, n_portals=8, faults=False)
    with Farm(spec, cache_dir=portalfarm.cache.default_root()).running() as running:
        yield running


def _migrated(url: str, farm: Farm) -> Engine:
    engine = make_engine(url)
    init_db(engine)
    with session_scope(engine) as session:
        import_registry(session=session, data=farm.registry_csv().encode())
    return engine


def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.execute(select(func.count()).select_from(Report)).scalar_one())


def _start(url: str, data: Path, redis_url: str | None = None, *extra: str) -> subprocess.Popen[str]:
    # A session of its own, so killing the group takes Chromium and the Playwright driver along.
    return subprocess.Popen(crawl_command(*extra), env=crawl_env(url, data, redis_url), cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def _assert_complete(engine: Engine, farm: Farm) -> None:
    reports = stored_reports(engine)
    index = by_url(reports)
    wanted = truth_reports(farm.truth())
    assert not [r["url"] for r in wanted if match(r, index) is None]
    assert not duplicates(reports)
    assert len(reports) == len(wanted)


def test_killed_crawl_loses_nothing_and_stores_nothing_twice(farm: Farm, sqlite_url: str, tmp_path: Path) -> None:
    engine = _migrated(sqlite_url, farm)
    crawl = _start(sqlite_url, tmp_path / "data")
    try:
        deadline = time.monotonic() + 240
        while _count(engine) < 10 and time.monotonic() < deadline and crawl.poll() is None:
            time.sleep(0.2)
        assert crawl.poll() is None, "the crawl finished before it could be killed"
        os.killpg(crawl.pid, signal.SIGKILL)
    finally:
        crawl.wait(timeout=30)
    killed_at = _count(engine)
    assert 10 <= killed_at < len(truth_reports(farm.truth()))
    run_crawl(sqlite_url, tmp_path / "data", timeout=600)
    _assert_complete(engine, farm)
    engine.dispose()


@pytest.mark.postgres
@pytest.mark.redis
def test_two_processes_share_one_queue(farm: Farm, pg_url: str, redis_url: str, tmp_path: Path) -> None:
    engine = _migrated(pg_url, farm)
    farm.reset_counts()
    # A window of 8 requests per worker: the frontier must be larger than one worker takes at a time, as
    # it is on thousands of portals, or the first worker holds every request of this small farm.
    workers = [_start(pg_url, tmp_path / "data", redis_url, "-s", "CONCURRENT_REQUESTS=8") for _ in range(2)]
    try:
        outputs = [w.communicate(timeout=600) for w in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=30)
    assert [w.returncode for w in workers] == [0, 0], outputs
    assert all("报告" in out for out, _ in outputs)
    _assert_complete(engine, farm)
    fetched: Counter[str] = Counter()
    for portal in farm.truth()["portals"]:
        for method, target, status in farm.requests(portal["id"]):
            fetched[portal["base_url"].rstrip("/") + target] += 1
    documents = [r["url"] for r in truth_reports(farm.truth())]
    assert {url: fetched[url] for url in documents if fetched[url] != 1} == {}
    # Both processes did part of the work.
    assert all("报告 0 份" not in out for out, _ in outputs), outputs
    engine.dispose()
    assert urlsplit(redis_url).scheme == "redis"
