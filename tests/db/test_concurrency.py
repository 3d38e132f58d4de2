"""Two real processes on one database: a crawler writing, a web process reading and writing; and SIGKILL."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from db.engine import init_db, make_engine, session_scope
from db.models import CrawlRun, Document, Fetch, Org, Report, StatusChange, Supervisor
from db.store import DocumentStore
from tests.db._workers import BATCH, ORGS

ROOT = Path(__file__).resolve().parents[2]


def _spawn(role: str, url: str, folder: Path, n: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tests.db._workers", role, url, str(folder), str(n)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(path: Path, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            pytest.fail(f"worker exited early: {proc.communicate()[1].decode()[-2000:]}")
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.02)


def _migrated(url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    init_db(engine)
    with session_scope(engine) as session:
        for org in ORGS:
            session.add(Org(id=org, name=org, kind="department", homepage=f"https://{org}.gov.cn/"))
    return engine


def test_crawler_writes_while_web_reads_on_sqlite(sqlite_url: str, tmp_path: Path) -> None:
    engine = _migrated(sqlite_url)
    n = 40
    writer = _spawn("writer", sqlite_url, tmp_path, n)
    _wait_for(tmp_path / "started", writer)
    reader = _spawn("reader", sqlite_url, tmp_path, 0)
    try:
        _, werr = writer.communicate(timeout=120)
        (tmp_path / "writer-done").touch()
        _, rerr = reader.communicate(timeout=120)
    finally:
        writer.kill(), reader.kill()
    assert writer.returncode == 0, werr.decode()[-2000:]
    assert reader.returncode == 0, rerr.decode()[-2000:]
    assert b"locked" not in werr + rerr
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Fetch)) == n * BATCH
        assert session.scalar(select(func.count()).select_from(CrawlRun).where(CrawlRun.status == "finished")) == n
        assert session.scalar(select(func.count()).select_from(Report)) == n
        assert (session.scalar(select(func.count()).select_from(StatusChange)) or 0) > 0
    engine.dispose()


def _assert_consistent(engine, store: DocumentStore) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    with session_scope(engine) as session:
        for run in session.execute(select(CrawlRun)).scalars():
            fetches = session.scalar(select(func.count()).select_from(Fetch).where(Fetch.run_id == run.id))
            assert (run.status, fetches) == ("finished", run.stats["fetches"]), "a batch was half written"
        for sha in session.execute(select(Document.sha256)).scalars():
            assert hashlib.sha256(store.get(sha)).hexdigest() == sha, "a document row without its whole bytes"
        latest = session.execute(select(Report.org_id, func.count()).where(Report.is_latest).group_by(Report.org_id)).all()
        assert all(count == 1 for _, count in latest)
        session.add(Org(id="after-crash", name="崩溃后", kind="department", homepage="https://x.gov.cn/"))


def test_sigkill_mid_import_leaves_nothing(db_url: str, tmp_path: Path) -> None:
    engine = _migrated(db_url)
    child = _spawn("crash_import", db_url, tmp_path, 2000)
    try:
        _wait_for(tmp_path / "started", child, timeout=60)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        child.kill()
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Org)) == len(ORGS)
        assert session.scalar(select(func.count()).select_from(Supervisor)) == 0
    _assert_consistent(engine, DocumentStore(tmp_path / "documents"))
    engine.dispose()


def test_sigkill_mid_crawl_keeps_whole_batches(db_url: str, tmp_path: Path) -> None:
    engine = _migrated(db_url)
    child = _spawn("crash_crawl", db_url, tmp_path, 10_000)
    try:
        _wait_for(tmp_path / "started", child, timeout=60)
        time.sleep(0.3)  # kill while batches are being written
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        child.kill()
    store = DocumentStore(tmp_path / "documents")
    _assert_consistent(engine, store)
    with session_scope(engine) as session:
        assert (session.scalar(select(func.count()).select_from(CrawlRun)) or 0) >= 4
    engine.dispose()
