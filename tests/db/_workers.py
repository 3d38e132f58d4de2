"""Child processes for the concurrency and crash tests: `python -m tests.db._workers ROLE URL DIR [N]`."""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from db.engine import make_engine, read_session, session_scope
from db.fetches import finish_run, record_fetch, start_run
from db.models import CrawlRun, Fetch, Org, StatusChange
from db.registry import import_registry
from db.reports import latest_reports, record_document, record_report, status_inputs
from db.store import DocumentStore
from tests.db.conftest import T0, make_report

ORGS = [f"org-{i}" for i in range(10)]
BATCH = 20


def _crawl_batch(engine, store: DocumentStore, i: int) -> None:  # type: ignore[no-untyped-def]
    """One crawl batch in one transaction: a run, BATCH fetches, one document and report."""
    seen = T0 + timedelta(minutes=i)
    with session_scope(engine) as session:
        run = start_run(session=session, started_at=seen)
        org = ORGS[i % len(ORGS)]
        for k in range(BATCH):
            record_fetch(session=session, run_id=run.id, org_id=org, url=f"https://{org}.gov.cn/{i}/{k}", status=200,
                         error=None, fetched_at=seen)
        doc = record_document(session=session, store=store, data=f"report {i}".encode(), media_type="text/plain",
                              source_url=None, seen_at=seen)
        record_report(session=session, org_id=org, document=doc, report=make_report(granted=i), source_url=None,
                      page_url=None, published_on=None, published_source=None, seen_at=seen)
        finish_run(session=session, run_id=run.id, stats={"fetches": BATCH}, finished_at=seen)  # type: ignore[arg-type]


def writer(url: str, folder: Path, n: int) -> None:
    engine, store = make_engine(url), DocumentStore(folder / "documents")
    for i in range(n):
        _crawl_batch(engine, store, i)
        if i == 2:
            (folder / "started").touch()
            _wait(folder / "reader-ready")  # make sure the two processes overlap, however slow the host
    engine.dispose()


def _wait(path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def reader(url: str, folder: Path, n: int) -> None:
    """The web process: reads pages and also writes (status changes) while the crawler writes."""
    engine, last = make_engine(url), -1
    deadline = time.monotonic() + 60
    while not (folder / "writer-done").exists() and time.monotonic() < deadline:
        with read_session(engine) as session:
            count = session.scalar(select(func.count()).select_from(Fetch)) or 0
            assert count >= last, "a committed write disappeared"
            last = count
            latest_reports(session=session, year=2024)
        with session_scope(engine) as session:  # read, then write in the same transaction
            status_inputs(session=session, year=2024)
            if session.get(Org, ORGS[0]) is not None:
                session.add(StatusChange(org_id=ORGS[0], year=2024, new_status="ok"))
        (folder / "reader-ready").touch()
    engine.dispose()


def crash_import(url: str, folder: Path, n: int) -> None:
    """Import a large registry, and stop (to be killed) before the transaction commits."""
    rows = "".join(f"o{i},机构{i},,department,,,{'o0' if i else ''},https://o{i}.gov.cn/,,,s{i % 7}@example.cn\n"
                   for i in range(n))
    data = ("id,name,aliases,kind,region_code,level,parent_id,homepage,report_list_url,deadline,supervisor_emails\n"
            + rows).encode()
    engine = make_engine(url)
    with session_scope(engine) as session:
        import_registry(session=session, data=data)
        session.flush()
        (folder / "started").touch()
        time.sleep(60)


def crash_crawl(url: str, folder: Path, n: int) -> None:
    """Commit crawl batches until killed (the parent kills at an arbitrary moment)."""
    engine, store = make_engine(url), DocumentStore(folder / "documents")
    for i in range(n):
        _crawl_batch(engine, store, i)
        if i == 3:
            (folder / "started").touch()
    time.sleep(60)


def count_runs(url: str) -> int:
    engine = make_engine(url)
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(CrawlRun)) or 0


ROLES = {"writer": writer, "reader": reader, "crash_import": crash_import, "crash_crawl": crash_crawl}

if __name__ == "__main__":
    role, url, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    ROLES[role](url, folder, int(sys.argv[4]) if len(sys.argv) > 4 else 0)
