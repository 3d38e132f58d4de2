"""The service's jobs. APScheduler stores them by import path with no arguments; the executor hands each
run its `JobContext` (settings, engine, config) through a context variable, so nothing secret is pickled."""

from __future__ import annotations

import logging
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import import_module
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.engine import Engine

from db.engine import session_scope
from monitor.service_config import ServiceConfig
from nianbao.errors import ConfigError
from nianbao.settings import Settings

log = logging.getLogger("nianbao.jobs")


@dataclass
class JobContext:
    settings: Settings
    engine: Engine
    config: ServiceConfig
    stopping: threading.Event = field(default_factory=threading.Event)
    # Refreshes of one instance run one at a time (SQLite has one writer; PostgreSQL also takes a lock).
    refresh_lock: threading.Lock = field(default_factory=threading.Lock)

    def today(self) -> date:
        return datetime.now(ZoneInfo(self.config.timezone)).date()


_current: ContextVar[JobContext] = ContextVar("nianbao_job_context")


@contextmanager
def job_context(context: JobContext) -> Iterator[JobContext]:
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def current() -> JobContext:
    """The context of the job run in progress (set by the service's executor)."""
    return _current.get()


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: str  # import path, so the stored job survives restarts and code changes alike
    name: str
    trigger: BaseTrigger
    misfire_grace_time: int  # seconds; with coalesce=True, missed runs after downtime run once


def _cron(expr: str, tz: ZoneInfo) -> CronTrigger:
    try:
        return CronTrigger.from_crontab(expr, timezone=tz)
    except ValueError as exc:
        raise ConfigError(f"定时表达式无效：{expr}（{exc}）") from None


def job_specs(config: ServiceConfig) -> list[JobSpec]:
    """Every scheduled job, with explicit ids."""
    tz = ZoneInfo(config.timezone)
    crawl = OrTrigger([_cron(config.season_crawl, tz), _cron(config.offseason_crawl, tz)])
    specs = [
        JobSpec("crawl", "monitor.jobs:crawl_job", "抓取门户并刷新合规状态", crawl, 7 * 86400),
        JobSpec("refresh-status", "monitor.jobs:refresh_job", "刷新合规状态", _cron(config.status_refresh, tz), 86400),
        JobSpec("weekly-digest", "monitor.jobs:digest_job", "每周摘要邮件", _cron(config.weekly_digest, tz), 2 * 86400),
        # Failed deliveries retry with backoff between digest runs, not only when the next digest is composed.
        JobSpec("deliver-outbox", "monitor.jobs:outbox_job", "重试发送邮件", _cron(config.outbox_retry, tz), 600),
    ]
    if config.immediate_alerts:
        specs.append(
            JobSpec(
                "immediate-alerts", "monitor.jobs:alerts_job", "即时提醒邮件", _cron(config.immediate_alerts, tz), 3600
            )
        )
    return specs


def _crawl_subprocess(context: JobContext) -> None:
    """`nianbao crawl` in a child process: Scrapy's reactor cannot restart inside a long-lived process."""
    proc = subprocess.Popen(list(context.config.crawl_command), stdin=subprocess.DEVNULL)
    deadline = context.config.crawl_timeout_s
    waited = 0.0
    while proc.poll() is None:
        if context.stopping.wait(1.0):
            proc.terminate()  # Scrapy closes the spider gracefully on SIGTERM
            _wait_or_kill(proc, context.config.shutdown_grace_s)
            raise RuntimeError("服务停止，抓取已中断")
        waited += 1.0
        if waited > deadline:
            proc.terminate()
            _wait_or_kill(proc, 30.0)
            raise RuntimeError(f"抓取超过 {deadline} 秒未结束，已终止")
    if proc.returncode != 0:
        raise RuntimeError(f"抓取进程退出码 {proc.returncode}")


def _wait_or_kill(proc: subprocess.Popen[bytes], grace: float) -> None:
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _crawl_function(target: str, context: JobContext) -> None:
    module, _, name = target.partition(":")
    func = getattr(import_module(module), name)
    func(context.settings)


def crawl_job() -> None:
    """Crawl every portal, then recompute the statuses."""
    context = current()
    target = context.config.crawl_target
    log.info("crawl started", extra={"job": "crawl", "target": target})
    try:
        if target == "subprocess":
            _crawl_subprocess(context)
        else:
            _crawl_function(target, context)
    finally:
        # Even a failed or interrupted crawl may have stored reports; deadlines also move on.
        if not context.stopping.is_set():
            refresh_job()


def refresh_job() -> None:
    """Recompute ComplianceStatus for the report years in season (StatusChange rows for what changed)."""
    from monitor.compliance import refresh_statuses

    context = current()
    today = context.today()
    for year in context.config.report_years(today):
        with context.refresh_lock, session_scope(context.engine) as session:
            result = refresh_statuses(session=session, year=year, as_of=today)
        log.info(
            "statuses refreshed",
            extra={
                "job": "refresh-status",
                "year": year,
                "as_of": today.isoformat(),
                "organisations": result.organisations,
                "changes": result.changes,
            },
        )


def digest_job() -> None:
    """Compose this week's digests and send them (alerts.run.run_weekly)."""
    from alerts.run import run_weekly

    context = current()
    run = run_weekly(engine=context.engine, settings=context.settings, as_of=context.today())
    log.info("weekly digest", extra={"job": "weekly-digest", "period": run.period, "errors": run.errors,
                                     "delivery_errors": run.delivery.errors if run.delivery else []})


def outbox_job() -> None:
    """Send what is due in the outbox (retries after an SMTP outage)."""
    from alerts.delivery import deliver_pending

    context = current()
    result = deliver_pending(engine=context.engine, settings=context.settings)
    if result.sent or result.errors:
        log.info("outbox", extra={"job": "deliver-outbox", "sent": result.sent, "errors": result.errors})


def alerts_job() -> None:
    """Immediate alerts about new reports with errors (alerts.run.run_immediate)."""
    from alerts.run import run_immediate

    context = current()
    run_immediate(engine=context.engine, settings=context.settings)
