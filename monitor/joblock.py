"""Exactly-once job runs across restarts and service instances: a `job_run` row per (job id, due time).

The row is inserted in its own transaction before the job runs; the unique key makes a second claim of
the same due time fail on every engine, so two schedulers sharing one database never both run it.
The table belongs to the service (created on start, like APScheduler's own job table).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, UniqueConstraint, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from db.types import UTCDateTime

_META = MetaData()
JOB_RUNS = Table(
    "job_run",
    _META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("job_id", String(100), nullable=False),
    Column("due_at", UTCDateTime(), nullable=False),
    Column("instance", String(200), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime(), nullable=True),
    Column("status", String(20), nullable=False),  # running | finished | failed | interrupted
    Column("error", Text, nullable=True),
    UniqueConstraint("job_id", "due_at", name="uq_job_run_due"),
)


@dataclass(frozen=True, slots=True)
class JobRun:
    job_id: str
    due_at: datetime
    instance: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    error: str | None


def ensure_tables(engine: Engine) -> None:
    _META.create_all(engine, checkfirst=True)


def _utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc)


def claim(engine: Engine, *, job_id: str, due_at: datetime, instance: str) -> bool:
    """Take the run of `job_id` due at `due_at`; False when another run (this or another instance) has it."""
    row = {
        "job_id": job_id,
        "due_at": _utc(due_at),
        "instance": instance,
        "started_at": datetime.now(timezone.utc),
        "status": "running",
    }
    try:
        with engine.begin() as conn:
            conn.execute(insert(JOB_RUNS).values(**row))
    except IntegrityError:
        return False
    return True


def finish(engine: Engine, *, job_id: str, due_at: datetime, status: str, error: str | None = None) -> None:
    """Record how a claimed run ended."""
    t = JOB_RUNS.c
    with engine.begin() as conn:
        conn.execute(
            update(JOB_RUNS)
            .where(t.job_id == job_id, t.due_at == _utc(due_at))
            .values(status=status, error=error, finished_at=datetime.now(timezone.utc))
        )


def job_runs(engine: Engine, *, job_id: str | None = None) -> list[JobRun]:
    """Every recorded run (of `job_id`), oldest due time first."""
    t = JOB_RUNS.c
    query = select(t.job_id, t.due_at, t.instance, t.status, t.started_at, t.finished_at, t.error)
    if job_id is not None:
        query = query.where(t.job_id == job_id)
    with engine.connect() as conn:
        return [JobRun(*row) for row in conn.execute(query.order_by(t.due_at, t.id)).all()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def interrupt_orphans(engine: Engine, *, host: str) -> int:
    """Mark runs left `running` by a dead process on this host (killed, not stopped) as interrupted."""
    t = JOB_RUNS.c
    with engine.connect() as conn:
        rows = (
            conn.execute(select(t.instance).where(t.status == "running", t.instance.like(f"{host}:%")).distinct())
            .scalars()
            .all()
        )
    dead = [i for i in rows if i.rpartition(":")[2].isdigit() and not _alive(int(i.rpartition(":")[2]))]
    return sum(interrupt_running(engine, instance=i) for i in dead)


def last_runs(engine: Engine) -> dict[str, dict[str, str | None]]:
    """Job id -> its most recent run (due time, status, error), for /healthz."""
    out: dict[str, dict[str, str | None]] = {}
    for run in job_runs(engine):
        out[run.job_id] = {"due_at": run.due_at.isoformat(), "status": run.status, "error": run.error}
    return out


def interrupt_running(engine: Engine, *, instance: str) -> int:
    """Mark this instance's unfinished runs as interrupted (on shutdown); returns how many."""
    t = JOB_RUNS.c
    with engine.begin() as conn:
        result = conn.execute(
            update(JOB_RUNS)
            .where(t.instance == instance, t.status == "running")
            .values(status="interrupted", finished_at=datetime.now(timezone.utc))
        )
    return result.rowcount or 0
