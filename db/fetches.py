"""Crawl runs and every HTTP fetch, so portal health can be shown."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from db.models import CrawlRun, CrawlTarget, Fetch, utcnow


def start_run(*, session: Session, started_at: datetime | None = None) -> CrawlRun:
    run = CrawlRun(started_at=started_at or utcnow())
    session.add(run)
    session.flush()
    return run


def finish_run(*, session: Session, run_id: int, status: str = "finished", stats: dict[str, Any] | None = None,
               finished_at: datetime | None = None) -> CrawlRun:
    run = session.get_one(CrawlRun, run_id)
    run.status = status
    run.finished_at = finished_at or utcnow()
    if stats is not None:
        run.stats = stats
    session.add(run)
    session.flush()
    return run


def record_fetch(*, session: Session, run_id: int | None, org_id: str | None, url: str, status: int | None,
                 error: str | None, fetched_at: datetime | None = None, content_type: str | None = None,
                 etag: str | None = None, last_modified: str | None = None, size: int | None = None,
                 elapsed_ms: int | None = None, sha256: str | None = None) -> Fetch:
    """Append one fetch (status is the HTTP status, None when no response; error is Chinese)."""
    fetch = Fetch(run_id=run_id, org_id=org_id, url=url, status=status, error=error,
                  fetched_at=fetched_at or utcnow(), content_type=content_type, etag=etag,
                  last_modified=last_modified, size=size, elapsed_ms=elapsed_ms, sha256=sha256)
    session.add(fetch)
    session.flush()
    return fetch


def recent_fetches(*, session: Session, org_id: str, limit: int = 50) -> list[Fetch]:
    """The org's newest fetches first (uses ix_fetch_org_time)."""
    query = select(Fetch).where(Fetch.org_id == org_id).order_by(Fetch.fetched_at.desc(), Fetch.id.desc()).limit(limit)  # type: ignore[attr-defined,union-attr]
    return list(session.execute(query).scalars())


def crawl_target(*, session: Session, org_id: str) -> CrawlTarget:
    """The org's crawl state, created on first use (safe when several workers create it at once)."""
    target = session.get(CrawlTarget, org_id)
    if target is None:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(insert(CrawlTarget).values(org_id=org_id).on_conflict_do_nothing(index_elements=["org_id"]))
        target = session.get_one(CrawlTarget, org_id)
    return target
