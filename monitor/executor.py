"""A thread-pool executor that claims each due time in the database before running it (exactly once),
and gives the job its `JobContext`. Built on APScheduler 3's documented executor extension point."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.executors.base import run_job
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job

from monitor.joblock import claim, finish
from monitor.jobs import JobContext, job_context

log = logging.getLogger("nianbao.scheduler")


def _within_grace(job: Job, run_time: datetime) -> bool:
    if job.misfire_grace_time is None:
        return True
    return datetime.now(timezone.utc) - run_time <= timedelta(seconds=job.misfire_grace_time)


def run_claimed(
    job: Job, jobstore_alias: str, run_times: list[datetime], logger_name: str, context: JobContext
) -> list[JobExecutionEvent]:
    """Run `job` for each due time this instance manages to claim; the others are skipped."""
    events: list[JobExecutionEvent] = []
    with job_context(context):
        for run_time in run_times:
            if _within_grace(job, run_time) and not claim(
                context.engine, job_id=job.id, due_at=run_time, instance=context.config.instance
            ):
                log.info("run already claimed", extra={"job": job.id, "due_at": run_time.isoformat()})
                continue
            outcome = run_job(job, jobstore_alias, [run_time], logger_name)  # handles misfires itself
            events.extend(outcome)
            _record(context, job.id, run_time, outcome)
    return events


def _record(context: JobContext, job_id: str, run_time: datetime, outcome: list[JobExecutionEvent]) -> None:
    """Close the claimed job_run row: failed with the error, finished, or nothing when the run was missed."""
    codes = {e.code for e in outcome}
    if EVENT_JOB_ERROR in codes:
        error = next(e.exception for e in outcome if e.code == EVENT_JOB_ERROR)
        finish(context.engine, job_id=job_id, due_at=run_time, status="failed", error=str(error))
    elif EVENT_JOB_EXECUTED in codes:
        finish(context.engine, job_id=job_id, due_at=run_time, status="finished")


class ClaimingExecutor(ThreadPoolExecutor):
    def __init__(self, context: JobContext, max_workers: int = 4) -> None:
        super().__init__(max_workers)
        self._context = context

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        def callback(future: Any) -> None:
            exc = future.exception()
            if exc:
                self._run_job_error(job.id, exc, exc.__traceback__)
            else:
                self._run_job_success(job.id, future.result())

        future = self._pool.submit(run_claimed, job, job._jobstore_alias, run_times, self._logger.name, self._context)
        future.add_done_callback(callback)
