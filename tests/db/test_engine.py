from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError

from db.engine import read_session, session_scope
from db.fetches import crawl_target, finish_run, recent_fetches, record_fetch, start_run
from db.models import Fetch, Org

T = datetime(2025, 3, 1, 2, 0, tzinfo=timezone.utc)


def _org(session) -> None:  # type: ignore[no-untyped-def]
    session.add(Org(id="o", name="某局", kind="department", homepage="https://o.gov.cn/"))
    session.flush()


def test_timestamps_come_back_aware_utc_and_naive_ones_are_refused(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        _org(session)
        run = start_run(session=session, started_at=T.astimezone(timezone(timedelta(hours=8))))
    with session_scope(engine) as session:
        from db.models import CrawlRun

        assert session.get_one(CrawlRun, run.id).started_at == T
        assert session.get_one(CrawlRun, run.id).started_at.tzinfo is not None
    with pytest.raises(StatementError, match="naive"):
        with session_scope(engine) as session:
            record_fetch(session=session, run_id=None, org_id="o", url="https://o.gov.cn/", status=200, error=None,
                         fetched_at=datetime(2025, 3, 1))


def test_fetches_per_org_newest_first(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        _org(session)
        run = start_run(session=session, started_at=T)
        for minutes, status in [(0, 200), (2, None), (1, 404)]:
            record_fetch(session=session, run_id=run.id, org_id="o", url=f"https://o.gov.cn/{minutes}", status=status,
                         error="连接超时" if status is None else None, fetched_at=T + timedelta(minutes=minutes))
        finish_run(session=session, run_id=run.id, stats={"fetches": 3}, finished_at=T + timedelta(minutes=3))  # type: ignore[arg-type]
        target = crawl_target(session=session, org_id="o")
        assert crawl_target(session=session, org_id="o") is target
        assert (target.needs_browser, target.consecutive_failures) == (False, 0)
    with session_scope(engine) as session:
        fetches = recent_fetches(session=session, org_id="o", limit=2)
        assert [(f.status, f.error) for f in fetches] == [(None, "连接超时"), (404, None)]


def test_sqlite_reader_is_not_blocked_by_an_open_write(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(sqlite_engine) as session:
        _org(session)
    with session_scope(sqlite_engine) as writer:
        record_fetch(session=writer, run_id=None, org_id="o", url="https://o.gov.cn/", status=200, error=None)
        started = time.monotonic()
        with read_session(sqlite_engine) as reader:  # the write lock is held; reads see the last commit at once
            assert reader.scalar(select(func.count()).select_from(Fetch)) == 0
        assert time.monotonic() - started < 5
    with read_session(sqlite_engine) as reader:
        assert reader.scalar(select(func.count()).select_from(Fetch)) == 1
