"""One digest per supervisor per period, never two; each window starts where the previous one ended."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from alerts import run_weekly
from alerts.digest import plan_digests
from alerts.outbox import enqueue
from alerts.run import DigestRun, _store
from db.engine import session_scope
from db.models import Digest, OutboxMessage, StatusChange
from tests.alerts import scenario
from tests.alerts.conftest import make_settings

NOW = scenario.NOW


def test_running_twice_in_a_week_sends_nothing_the_second_time(any_world, smtp_server) -> None:  # type: ignore[no-untyped-def]
    engine, _ = any_world
    controller, recorder = smtp_server
    settings = make_settings(str(engine.url), f"smtp://127.0.0.1:{controller.port}")
    first = run_weekly(engine=engine, settings=settings, as_of=scenario.AS_OF, now=NOW)
    second = run_weekly(engine=engine, settings=settings, as_of=date(2027, 1, 23), now=NOW + timedelta(days=3))
    assert (first.composed, first.delivery.sent) == (3, 3)  # type: ignore[union-attr]
    assert (second.period, second.composed, second.silent, second.already) == (scenario.PERIOD, 0, 0, 4)
    assert second.delivery is not None and second.delivery.sent == 0
    assert len(recorder.messages) == 3
    with Session(engine) as session:
        assert len(session.exec(select(Digest)).all()) == 4
        assert len(session.exec(select(OutboxMessage)).all()) == 3


def test_the_database_refuses_a_second_digest_for_the_period(any_world) -> None:  # type: ignore[no-untyped-def]
    engine, ids = any_world
    settings = make_settings(str(engine.url))
    # Two runs plan at the same time (neither sees the other's digests yet), then both store.
    plans = []
    for _ in range(2):
        with Session(engine) as session:
            plans.append(plan_digests(session=session, settings=settings, as_of=scenario.AS_OF, now=NOW))
    first, second = DigestRun(scenario.PERIOD), DigestRun(scenario.PERIOD)
    _store(first, engine, plans[0].digests)
    _store(second, engine, plans[1].digests)
    assert (first.composed, first.silent, first.already) == (3, 1, 0)
    assert (second.composed, second.silent, second.already) == (0, 0, 4)
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        enqueue(session=session, planned=plans[1].digests[0])
    with Session(engine) as session:
        assert len(session.exec(select(OutboxMessage)).all()) == 3


def test_next_week_starts_where_the_last_digest_ended(world, strict_env) -> None:  # type: ignore[no-untyped-def]
    engine, ids = world
    settings = make_settings(str(engine.url))
    run_weekly(engine=engine, settings=settings, as_of=scenario.AS_OF, now=NOW, env=strict_env)
    later = NOW + timedelta(hours=3)
    with session_scope(engine) as session:
        session.add(StatusChange(org_id="sys-jd", year=2025, old_status="missing", new_status="late", changed_at=later))
    next_run = NOW + timedelta(days=7)
    run = run_weekly(engine=engine, settings=settings, as_of=date(2027, 1, 27), now=next_run, env=strict_env)
    assert run.period == "2027-W04" and run.composed + run.silent == 4
    with Session(engine) as session:
        digest = session.exec(select(Digest).where(Digest.period == "2027-W04",
                                                   Digest.supervisor_id == ids["alice"])).one()
    counts = digest.counts
    assert (counts["since"], counts["until"]) == (NOW.isoformat(), next_run.isoformat())
    # Only the new change; last week's news is not repeated. Deadlines (2027-01-31) are still upcoming.
    assert (counts["missing"], counts["late"], counts["errors"], counts["corrected"]) == (0, 1, 0, 0)
    assert counts["upcoming"] == 2
