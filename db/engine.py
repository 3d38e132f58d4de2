"""Engine and session factories; `init_db` applies the Alembic migrations.

SQLite gets WAL, foreign keys, a busy timeout and `BEGIN IMMEDIATE` transactions: a deferred
transaction that reads and then writes fails at once with "database is locked" when another
process committed in between (SQLITE_BUSY_SNAPSHOT ignores the busy timeout), while an
immediate one waits its turn. Pass `execution_options(nianbao_readonly=True)` on a connection
(or use `read_connection`, `read_session`) for long read-only work that should not hold the write lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from sqlmodel import Session

READONLY = "nianbao_readonly"


def _sqlite_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Hand transaction control to SQLAlchemy's "begin" event (pysqlite's own BEGIN is deferred).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    mode = "DEFERRED" if conn.get_execution_options().get(READONLY) else "IMMEDIATE"
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    """An engine for `url` (sqlite:///path or postgresql+psycopg://…)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def init_db(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (creating it when the database is empty)."""
    from db.migrate import upgrade

    upgrade(engine)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed on success, rolled back on any error."""
    from sqlmodel import Session  # here, so fast readers using only `read_connection` skip the ORM import

    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """A read-only connection; on SQLite it does not take the write lock."""
    with engine.connect() as conn:
        yield conn.execution_options(**{READONLY: True})


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A read-only session; on SQLite it does not take the write lock."""
    from sqlmodel import Session

    with read_connection(engine) as conn, Session(bind=conn, expire_on_commit=False) as session:
        yield session
