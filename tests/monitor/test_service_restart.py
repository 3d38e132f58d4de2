"""Scheduler persistence: stop mid-schedule, start again; each job runs exactly once per due time."""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from monitor.jobs import job_specs
from monitor.service_config import ServiceConfig
from tests.monitor.service_helpers import crawl_count, running_service, settle, wait_runs

SH = ZoneInfo("Asia/Shanghai")


def _next(trigger, after: datetime) -> datetime:  # type: ignore[no-untyped-def]
    return trigger.get_next_fire_time(None, after)


def test_default_schedule() -> None:
    specs = {s.id: s for s in job_specs(ServiceConfig(instance="t"))}
    assert set(specs) == {"crawl", "refresh-status", "weekly-digest", "immediate-alerts", "deliver-outbox"}
    outbox = specs["deliver-outbox"].trigger
    assert _next(outbox, datetime(2025, 1, 7, 12, 1, tzinfo=SH)) == datetime(2025, 1, 7, 12, 10, tzinfo=SH)
    crawl = specs["crawl"].trigger
    assert _next(crawl, datetime(2025, 1, 10, 3, tzinfo=SH)) == datetime(2025, 1, 11, 2, tzinfo=SH)  # daily in season
    assert _next(crawl, datetime(2025, 4, 30, 3, tzinfo=SH)) == datetime(2025, 5, 5, 2, tzinfo=SH)  # then Mondays
    assert _next(crawl, datetime(2025, 5, 5, 3, tzinfo=SH)) == datetime(2025, 5, 12, 2, tzinfo=SH)
    digest = specs["weekly-digest"].trigger
    assert _next(digest, datetime(2025, 1, 7, 12, tzinfo=SH)) == datetime(2025, 1, 13, 8, tzinfo=SH)  # Monday 08:00


def test_restart_neither_loses_nor_repeats_runs(sqlite_url: str) -> None:
    with time_machine.travel(datetime(2025, 1, 10, 1, 0, tzinfo=SH), tick=False) as clock:
        with running_service(sqlite_url) as service:
            jobs = {j["id"]: j["next_run_time"] for j in service.jobs()}
            assert jobs["crawl"] == "2025-01-10T02:00:00+08:00"
            clock.move_to(datetime(2025, 1, 10, 2, 0, 5, tzinfo=SH))
            service.wakeup()
            wait_runs(service.engine, "crawl", 1)
        # Down over two crawl times (11th and 12th, 02:00); back at 09:00 on the 12th.
        clock.move_to(datetime(2025, 1, 12, 9, 0, tzinfo=SH))
        with running_service(sqlite_url, instance="A2") as service:
            runs = wait_runs(service.engine, "crawl", 2)
            refreshes = wait_runs(service.engine, "refresh-status", 1)
        with running_service(sqlite_url, instance="A3") as service:  # a restart with no due time passed
            service.wakeup()
            settle()
            runs = wait_runs(service.engine, "crawl", 2)
            assert crawl_count(service.engine) == 2
            assert {j["id"]: j["next_run_time"] for j in service.jobs()}["crawl"] == "2025-01-13T02:00:00+08:00"
    assert [(r.due_at.astimezone(SH).isoformat(), r.status) for r in runs] == [
        ("2025-01-10T02:00:00+08:00", "finished"),
        ("2025-01-12T02:00:00+08:00", "finished"),
    ]  # missed runs: once
    assert [r.instance for r in runs] == ["A", "A2"]
    # The refresh due at 00:30 on the 11th and 12th ran once, coalesced, on the restart (plus the crawl's own).
    assert [r.due_at.astimezone(SH).isoformat() for r in refreshes] == ["2025-01-12T00:30:00+08:00"]


def test_two_instances_on_postgresql_run_each_job_once(pg_url: str) -> None:
    with time_machine.travel(datetime(2025, 1, 10, 1, 0, tzinfo=SH), tick=False) as clock:
        with running_service(pg_url, instance="A") as a, running_service(pg_url, instance="B") as b:
            for day in (10, 11, 12):
                clock.move_to(datetime(2025, 1, day, 2, 0, 5, tzinfo=SH))
                a.wakeup()
                b.wakeup()
                wait_runs(a.engine, "crawl", day - 9)
            settle()
            crawls = wait_runs(a.engine, "crawl", 3)
            refreshes = wait_runs(a.engine, "refresh-status", 2)  # due 00:30 on the 11th and 12th
            assert crawl_count(a.engine) == 3
    assert len(crawls) == 3 and len({r.due_at for r in crawls}) == 3
    assert len(refreshes) == 2 and all(r.status == "finished" for r in crawls + refreshes)


def test_a_due_time_is_claimed_once(engine) -> None:  # type: ignore[no-untyped-def]
    from monitor.joblock import claim, ensure_tables, finish, job_runs

    ensure_tables(engine)
    due = datetime(2025, 1, 10, 2, 0, tzinfo=SH)
    assert claim(engine, job_id="crawl", due_at=due, instance="A")
    assert not claim(engine, job_id="crawl", due_at=due, instance="B")
    assert claim(engine, job_id="crawl", due_at=datetime(2025, 1, 11, 2, 0, tzinfo=SH), instance="B")
    finish(engine, job_id="crawl", due_at=due, status="finished")
    assert [(r.instance, r.status) for r in job_runs(engine, job_id="crawl")] == [("A", "finished"), ("B", "running")]


def test_runs_of_a_killed_instance_are_marked_interrupted(sqlite_url: str) -> None:
    import socket
    import subprocess
    import sys

    from db.engine import init_db, make_engine
    from monitor.joblock import claim, ensure_tables, interrupt_orphans, job_runs

    engine = make_engine(sqlite_url)
    init_db(engine)
    ensure_tables(engine)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    ).stdout.strip()
    host = socket.gethostname()
    claim(engine, job_id="crawl", due_at=datetime(2025, 1, 10, 2, tzinfo=SH), instance=f"{host}:{dead}")
    claim(engine, job_id="crawl", due_at=datetime(2025, 1, 11, 2, tzinfo=SH), instance=f"{host}:{os.getpid()}")
    assert interrupt_orphans(engine, host=host) == 1
    assert [r.status for r in job_runs(engine, job_id="crawl")] == ["interrupted", "running"]
    engine.dispose()


def test_stop_during_a_run_then_restart(sqlite_url: str) -> None:
    import time as _time

    from monitor.joblock import job_runs

    with time_machine.travel(datetime(2025, 1, 10, 1, 0, tzinfo=SH), tick=False) as clock:
        with running_service(sqlite_url, crawl_target="tests.monitor.jobfuncs:crawl_until_stopped") as service:
            clock.move_to(datetime(2025, 1, 10, 2, 0, 5, tzinfo=SH))
            service.wakeup()
            limit = _time.monotonic() + 20
            while not job_runs(service.engine, job_id="crawl") and _time.monotonic() < limit:
                _time.sleep(0.02)
        # Stopped mid-crawl: the run is recorded as failed (interrupted), and not repeated after the restart.
        clock.move_to(datetime(2025, 1, 10, 9, 0, tzinfo=SH))
        with running_service(sqlite_url, instance="A2") as service:
            service.wakeup()
            settle()
            runs = job_runs(service.engine, job_id="crawl")
            assert crawl_count(service.engine) == 1
    assert [(r.due_at.astimezone(SH).hour, r.status) for r in runs] == [(2, "failed")]
    assert "中断" in (runs[0].error or "")
