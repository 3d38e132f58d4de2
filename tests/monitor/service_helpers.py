"""Starting services on a test database and waiting for job runs (bounded real-time polling, clocks driven)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from db.engine import init_db, make_engine
from db.models import CrawlRun
from monitor.joblock import JobRun, job_runs
from monitor.service import Service
from monitor.service_config import ServiceConfig
from nianbao.settings import load_settings


@contextmanager
def running_service(url: str, *, instance: str = "A", **config: object) -> Iterator[Service]:
    engine = make_engine(url)
    init_db(engine)
    options = {
        "crawl_target": "tests.monitor.jobfuncs:count_crawl",
        "web": False,
        "immediate_alerts": None,
        "instance": instance,
        **config,
    }
    service = Service(settings=load_settings(db_url=url), config=ServiceConfig(**options), engine=engine)  # type: ignore[arg-type]
    service.start()
    try:
        yield service
    finally:
        service.stop()
        engine.dispose()


def wait_runs(engine: Engine, job_id: str, count: int, timeout: float = 20.0) -> list[JobRun]:
    """The runs of `job_id` once `count` of them have finished (or failed); fails after `timeout` real seconds."""
    deadline = time.monotonic() + timeout
    while True:
        runs = job_runs(engine, job_id=job_id)
        done = [r for r in runs if r.status != "running"]
        if len(done) >= count:
            return runs
        if time.monotonic() > deadline:
            raise AssertionError(f"{job_id}: {len(done)} of {count} runs finished: {runs}")
        time.sleep(0.02)


def settle(seconds: float = 0.3) -> None:
    """Give a scheduler that was woken a moment to (wrongly) start something, before asserting it did not."""
    time.sleep(seconds)


def crawl_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(CrawlRun)).scalar_one())
