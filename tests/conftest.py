"""Session-wide fixtures: paths to the shared seeds, and real databases (SQLite file, PostgreSQL)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
REAL_PDF = SHARED / "real" / "huaian-2024.pdf"
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"


def pytest_configure(config: pytest.Config) -> None:
    if not SEEDS:
        raise pytest.UsageError(f"找不到种子报告：{SHARED / 'seeds'}（测试需要与仓库并列的 shared/ 目录）")


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def require_service(name: str, port: int) -> None:
    """Skip when a real service is absent, unless CI demands it (NIANBAO_REQUIRE_SERVICES=1): then fail."""
    if _listening(port):
        return
    message = f"{name} is not listening on 127.0.0.1:{port}"
    if os.environ.get("NIANBAO_REQUIRE_SERVICES") == "1":
        pytest.fail(message + " (required in CI)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    assert SEEDS, f"no seeds under {SHARED / 'seeds'}"
    return SEEDS


@pytest.fixture(scope="session")
def real_pdf() -> Path:
    return REAL_PDF


@contextmanager
def pg_schema(prefix: str = "nb") -> Iterator[str]:
    """A fresh schema in the real PostgreSQL `test` database (a URL whose search_path is it), dropped afterwards."""
    require_service("PostgreSQL", 5432)
    import sqlalchemy as sa

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_BASE)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    with pg_schema() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'nianbao.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Every storage test runs on both engines."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return request.getfixturevalue(name)


@pytest.fixture
def redis_url() -> str:
    require_service("Redis", 6379)
    return REDIS_URL


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    """A migrated engine on SQLite and on PostgreSQL (parametrised through db_url)."""
    from db.engine import init_db, make_engine

    eng = make_engine(db_url)
    init_db(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url: str):  # type: ignore[no-untyped-def]
    """A migrated engine on a SQLite file only, for tests that are not about the engine."""
    from db.engine import init_db, make_engine

    eng = make_engine(sqlite_url)
    init_db(eng)
    yield eng
    eng.dispose()
