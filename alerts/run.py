"""The scheduler's entry points: compose into the outbox (each digest with its message, all or nothing), then deliver."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from jinja2 import Environment
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from alerts.delivery import DeliveryResult, deliver_pending
from alerts.digest import plan_digests
from alerts.immediate import plan_alerts
from alerts.outbox import Planned, enqueue, enqueue_many
from alerts.period import utcnow
from db.engine import read_session, session_scope
from nianbao.settings import Settings

log = logging.getLogger(__name__)


@dataclass(slots=True)
class DigestRun:
    """What one run did: `composed` digests stored with a message, `silent` ones recorded without
    (empty week, no 一切正常 wanted), `already` existing before the run; `delivery` is None when
    SMTP was not used."""

    period: str
    composed: int = 0
    all_clear: int = 0
    silent: int = 0
    already: int = 0
    delivery: DeliveryResult | None = None
    errors: list[str] = field(default_factory=list)  # supervisors who could not be composed (bad address)


CHUNK = 200  # digests stored per transaction; a chunk that hits a concurrent run's digest is redone one by one


def _count(run: DigestRun, item: Planned) -> None:
    if item.message is None:
        run.silent += 1
    else:
        run.composed += 1
        run.all_clear += bool(item.counts.get("all_clear"))


def _store(run: DigestRun, engine: Engine, planned: list[Planned]) -> None:
    """Store each digest with its outbox message; each digest is all or nothing, never two per period."""
    for start in range(0, len(planned), CHUNK):
        chunk = planned[start:start + CHUNK]
        try:
            with session_scope(engine) as session:
                enqueue_many(session=session, planned=chunk)
        except IntegrityError:  # a concurrent run stored some of these first
            _store_one_by_one(run, engine, chunk)
            continue
        for item in chunk:
            _count(run, item)


def _store_one_by_one(run: DigestRun, engine: Engine, planned: Iterable[Planned]) -> None:
    for item in planned:
        try:
            with session_scope(engine) as session:
                enqueue(session=session, planned=item)
        except IntegrityError:
            log.info("digest %s for supervisor %s exists already", item.period, item.supervisor_id)
            run.already += 1
            continue
        _count(run, item)


def _deliver(engine: Engine, settings: Settings, now: datetime | None, deliver: bool,
             tls_context: ssl.SSLContext | None) -> DeliveryResult | None:
    if not deliver or settings.smtp is None:
        return None
    return deliver_pending(engine=engine, settings=settings, now=now, tls_context=tls_context)


def run_weekly(*, engine: Engine, settings: Settings, as_of: date | datetime | None = None,
               now: datetime | None = None, deliver: bool = True, env: Environment | None = None,
               tls_context: ssl.SSLContext | None = None) -> DigestRun:
    """Compose this period's missing digests into the outbox, then send what is due (when SMTP is set).

    `now` freezes the clock for tests; by default composition and delivery read the real one.
    """
    composed_at = now or utcnow()
    with read_session(engine) as session:
        plan = plan_digests(session=session, settings=settings, as_of=as_of or composed_at, now=composed_at, env=env)
    run = DigestRun(period=plan.period, already=plan.already, errors=plan.errors)
    _store(run, engine, plan.digests)
    run.delivery = _deliver(engine, settings, now, deliver, tls_context)
    return run


def run_immediate(*, engine: Engine, settings: Settings, now: datetime | None = None, deliver: bool = True,
                  env: Environment | None = None, tls_context: ssl.SSLContext | None = None) -> DigestRun:
    """Hourly: alert supervisors with immediate_alerts about new reports with errors, then send what is due."""
    with read_session(engine) as session:
        planned = plan_alerts(session=session, settings=settings, now=now or utcnow(), env=env)
    run = DigestRun(period="alerts")
    _store(run, engine, planned)
    run.delivery = _deliver(engine, settings, now, deliver, tls_context)
    return run
