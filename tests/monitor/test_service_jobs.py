"""The jobs themselves: digest on Monday 08:00 Beijing time, failures recorded, a crawl child stopped on shutdown."""

from __future__ import annotations

import sys
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from db.engine import init_db, make_engine
from monitor.jobs import JobContext, _crawl_subprocess
from monitor.service_config import ServiceConfig
from nianbao.settings import load_settings
from tests.monitor.service_helpers import running_service, wait_runs

SH = ZoneInfo("Asia/Shanghai")


def test_weekly_digest_runs_monday_0800_beijing(sqlite_url: str) -> None:
    with time_machine.travel(datetime(2025, 1, 13, 7, 0, tzinfo=SH), tick=False) as clock:
        with running_service(sqlite_url) as service:
            clock.move_to(datetime(2025, 1, 13, 8, 0, 5, tzinfo=SH))
            service.wakeup()
            runs = wait_runs(service.engine, "weekly-digest", 1)
    assert [(r.due_at.astimezone(SH).isoformat(), r.status, r.error) for r in runs] == [
        ("2025-01-13T08:00:00+08:00", "finished", None)
    ]


def test_a_failing_crawl_is_recorded_and_the_schedule_goes_on(sqlite_url: str) -> None:
    with time_machine.travel(datetime(2025, 1, 10, 1, 0, tzinfo=SH), tick=False) as clock:
        with running_service(sqlite_url, crawl_target="tests.monitor.no_such_module:crawl") as service:
            clock.move_to(datetime(2025, 1, 10, 2, 0, 5, tzinfo=SH))
            service.wakeup()
            runs = wait_runs(service.engine, "crawl", 1)
            next_crawl = {j["id"]: j["next_run_time"] for j in service.jobs()}["crawl"]
    assert runs[0].status == "failed" and "no_such_module" in (runs[0].error or "")
    assert next_crawl == "2025-01-11T02:00:00+08:00"


def test_stopping_the_service_stops_a_running_crawl_child(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    init_db(engine)
    config = ServiceConfig(
        instance="t", crawl_command=(sys.executable, "-c", "import time; time.sleep(60)"), shutdown_grace_s=5
    )
    context = JobContext(settings=load_settings(db_url=sqlite_url), engine=engine, config=config)
    threading.Timer(0.5, context.stopping.set).start()
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="服务停止"):
        _crawl_subprocess(context)
    assert time.monotonic() - started < 10
    engine.dispose()
