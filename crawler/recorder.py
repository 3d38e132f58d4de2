"""Buffered writes of fetches, page validators and portal state, flushed in batches to keep the crawl fast."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.engine import session_scope
from db.fetches import crawl_target
from db.models import Fetch, PageCache, utcnow


@dataclass
class _Pending:
    fetches: list[dict[str, Any]] = field(default_factory=list)
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.fetches) + len(self.pages) + len(self.targets)


class FetchRecorder:
    """Collects rows from the reactor thread and writes them in one transaction per batch."""

    def __init__(self, engine: Engine, *, run_id: int | None, batch: int = 200) -> None:
        self.engine = engine
        self.run_id = run_id
        self.batch = batch
        self._pending = _Pending()
        self._lock = threading.Lock()

    def fetch(self, **values: Any) -> None:
        """One fetch (record_fetch's keyword arguments without session and run_id)."""
        with self._lock:
            self._pending.fetches.append(values)
        self._maybe_flush()

    def page(self, *, url: str, etag: str | None, last_modified: str | None, sha256: str, fetched_at: datetime) -> None:
        """The validators of a page whose body is in the document store under sha256."""
        with self._lock:
            self._pending.pages[url] = {"url": url, "etag": etag, "last_modified": last_modified,
                                        "sha256": sha256, "fetched_at": fetched_at}
        self._maybe_flush()

    def target(self, org_id: str, **changes: Any) -> None:
        """Changes to the org's CrawlTarget (list_url, needs_browser, …)."""
        with self._lock:
            self._pending.targets.setdefault(org_id, {}).update(changes)
        self._maybe_flush()

    def _row(self, values: dict[str, Any]) -> dict[str, Any]:
        """Every column present (one executemany), the same defaults as record_fetch."""
        row = {name: values.get(name) for name in _FETCH_COLUMNS}
        row.update(run_id=self.run_id, fetched_at=values.get("fetched_at") or utcnow())
        return row

    def _maybe_flush(self) -> None:
        if len(self._pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Write everything pending; called by batch size, a timer and at the end of the crawl."""
        with self._lock:
            pending, self._pending = self._pending, _Pending()
        if not len(pending):
            return
        with session_scope(self.engine) as session:
            if pending.fetches:
                # One INSERT for the batch (record_fetch's columns): a flush per row costs seconds per thousand.
                session.execute(insert(Fetch), [self._row(v) for v in pending.fetches])
            for page in pending.pages.values():
                _upsert_page(session, page)
            for org_id, changes in pending.targets.items():
                target = crawl_target(session=session, org_id=org_id)
                for name, value in changes.items():
                    setattr(target, name, value)
                session.add(target)


_FETCH_COLUMNS = ("org_id", "url", "status", "error", "content_type", "etag", "last_modified", "size",
                  "elapsed_ms", "sha256")


def _upsert_page(session: Session, values: dict[str, Any]) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(PageCache).values(**values)
    stmt = stmt.on_conflict_do_update(index_elements=["url"], set_={
        k: getattr(stmt.excluded, k) for k in ("etag", "last_modified", "sha256", "fetched_at")})
    session.execute(stmt)
