"""The background service: an APScheduler 3 BackgroundScheduler whose jobs persist in the application's
database (SQLAlchemyJobStore), claimed per due time in `job_run` so restarts and a second instance
neither lose nor repeat a run; the status pages and /healthz are served beside it by uvicorn."""

from __future__ import annotations

import logging
import signal
import socket
import threading
from datetime import datetime, timezone
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from monitor.executor import ClaimingExecutor
from monitor.joblock import ensure_tables, interrupt_orphans, interrupt_running, last_runs
from monitor.jobs import JobContext, JobSpec, job_specs
from monitor.service_config import ServiceConfig
from nianbao.settings import Settings

log = logging.getLogger("nianbao.service")
JOBS_TABLE = "apscheduler_jobs"


class Service:
    """One scheduler instance; `start()` and `stop()` may be called from any thread."""

    def __init__(self, *, settings: Settings, config: ServiceConfig, engine: Engine) -> None:
        self.config = config
        self.engine = engine
        self.context = JobContext(settings=settings, engine=engine, config=config)
        self.scheduler = self._build_scheduler()

    def _build_scheduler(self) -> BackgroundScheduler:
        return BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.engine, tablename=JOBS_TABLE)},
            executors={"default": ClaimingExecutor(self.context)},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=ZoneInfo(self.config.timezone),
        )

    def start(self) -> None:
        """Load the stored jobs, add or update ours (keeping a stored due time), then run."""
        ensure_tables(self.engine)
        orphans = interrupt_orphans(self.engine, host=socket.gethostname())
        if orphans:
            log.warning("runs of a killed service marked interrupted", extra={"runs": orphans})
        self.scheduler.start(paused=True)
        for spec in job_specs(self.config):
            self._register(spec)
        self.scheduler.resume()
        log.info("scheduler started", extra={"instance": self.config.instance, "jobs": self.jobs()})

    def _register(self, spec: JobSpec) -> None:
        existing = self.scheduler.get_job(spec.id)
        same = existing is not None and existing.func_ref == spec.func and repr(existing.trigger) == repr(spec.trigger)
        # Re-adding computes the next run from now, which would drop a run missed while the service was down.
        keep: dict[str, Any] = {"next_run_time": existing.next_run_time} if same and existing else {}
        self.scheduler.add_job(
            spec.func,
            spec.trigger,
            id=spec.id,
            name=spec.name,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=spec.misfire_grace_time,
            **keep,
        )

    def wakeup(self) -> None:
        """Look at the job store now (tests drive the clock, then call this)."""
        self.scheduler.wakeup()

    def stop(self, *, wait: bool = True) -> None:
        """Stop scheduling, let running jobs finish (a crawl child process is asked to stop), record the rest."""
        self.context.stopping.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=wait)
        interrupted = interrupt_running(self.engine, instance=self.config.instance)
        log.info("scheduler stopped", extra={"instance": self.config.instance, "interrupted": interrupted})

    def jobs(self) -> list[dict[str, Any]]:
        return [
            {
                "id": job.id,
                "name": job.name,
                "next_run_time": job.next_run_time.isoformat() if job.next_run_time else None,
            }
            for job in self.scheduler.get_jobs()
        ]

    def health(self) -> tuple[bool, dict[str, Any]]:
        """(healthy, details) for /healthz: the scheduler runs and the database answers."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            database = "ok"
        except SQLAlchemyError as exc:
            database = f"error: {exc.__class__.__name__}"
        running = self.scheduler.running
        details = {
            "status": "ok" if running and database == "ok" else "unhealthy",
            "scheduler": running,
            "database": database,
            "instance": self.config.instance,
            "time": datetime.now(timezone.utc).isoformat(),
            "jobs": self.jobs() if running else [],
            "last_runs": last_runs(self.engine) if database == "ok" else {},
        }
        return details["status"] == "ok", details


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM (systemd) and SIGINT set `stop`; uvicorn restores and re-raises to this handler on exit."""

    def handler(_sig: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
