"""Digests and alerts: composition (Jinja2, HTML + text), outbox, SMTP delivery.

Entry points for the scheduler: `run_weekly` (weekly digests), `run_immediate` (hourly alerts),
`alerts.delivery.deliver_pending` (outbox retries).
"""

from alerts.run import DigestRun, run_immediate, run_weekly

__all__ = ["DigestRun", "run_immediate", "run_weekly"]
