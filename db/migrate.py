"""Alembic, configured in code so it works from an installed package (no alembic.ini needed).

SQLite databases are created by copying a template migrated once per process: running
every migration for each new test database would dominate the test suite.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, inspect
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"
_templates: dict[str, Path] = {}


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render our column types as plain SQLAlchemy types in migration files."""
    from sqlmodel.sql.sqltypes import AutoString

    from db.types import UTCDateTime

    if type_ != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic Config pointing at db/migrations, bound to `connection` when given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head, "no migrations found"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate `engine`'s database to `revision`; a new SQLite file at head is copied from a template."""
    path = _sqlite_path(engine)
    if revision == "head" and path is not None and not path.exists() and _create_from_template(path):
        return
    _run_upgrade(engine, revision)


def _create_from_template(path: Path) -> bool:
    """Create `path` as a copy of the migrated template, only if nothing else created it meanwhile."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    os.close(fd)
    try:
        shutil.copyfile(_sqlite_template(), tmp)
        os.link(tmp, path)  # atomic create-if-absent: never overwrites a database another process opened
    except FileExistsError:
        return False
    finally:
        os.unlink(tmp)
    return True


def _run_upgrade(engine: Engine, revision: str) -> None:
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # Batch migrations recreate tables; with foreign keys on, dropping a referenced table fails.
            # The pragma is a no-op inside a transaction, so it goes to the driver connection directly.
            _raw(conn, "PRAGMA foreign_keys=OFF")
        if engine.dialect.name == "postgresql":
            # Two processes starting on a fresh database: the second waits, then finds it migrated.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7262370)")
        try:
            _adopt_unversioned(conn)
            command.upgrade(alembic_config(conn), revision)
            conn.commit()
        finally:
            if sqlite:
                _raw(conn, "PRAGMA foreign_keys=ON")


def _adopt_unversioned(conn: Connection) -> None:
    """A database made by the skeleton's create_all (tables, no alembic_version) is the first revision."""
    tables = set(inspect(conn).get_table_names())
    if "org" in tables and "alembic_version" not in tables:
        command.stamp(alembic_config(conn), FIRST_REVISION)


def _raw(conn: Connection, sql: str) -> None:
    """Run `sql` outside any transaction (SQLite pragmas that refuse to run inside one)."""
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    dbapi.execute(sql)


def _sqlite_path(engine: Engine) -> Path | None:
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _sqlite_template() -> Path:
    head = head_revision()
    if head not in _templates:
        from db.engine import make_engine

        folder = Path(tempfile.mkdtemp(prefix="nianbao-schema-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / f"{head}.db"
        engine = make_engine(f"sqlite:///{path}")
        _run_upgrade(engine, "head")
        with engine.connect() as conn:
            # Fold the WAL into the main file and leave rollback-journal mode so one file is the database.
            _raw(conn, "PRAGMA wal_checkpoint(TRUNCATE)")
            _raw(conn, "PRAGMA journal_mode=DELETE")
        engine.dispose()
        _templates[head] = path
    return _templates[head]


def autogenerate(message: str, url: str | None = None, rev_id: str | None = None) -> None:
    """Developer helper: write a new revision comparing the models with the database at `url`.

    Without `url`, a scratch SQLite database migrated to head is used: the revision holds exactly
    what the models add. `python -m db.migrate "add a column"` does this.
    """
    with tempfile.TemporaryDirectory(prefix="nianbao-revision-") as tmp:
        if url is None:
            from db.engine import make_engine

            url = f"sqlite:///{Path(tmp) / 'scratch.db'}"
            scratch = make_engine(url)
            _run_upgrade(scratch, "head")
            scratch.dispose()
        engine = create_engine(url)
        with engine.connect() as conn:
            command.revision(alembic_config(conn), message=message, autogenerate=True, rev_id=rev_id)
        engine.dispose()


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 2:
        sys.exit('用法: python -m db.migrate "修订说明"')
    autogenerate(sys.argv[1], rev_id=f"{int(head_revision()) + 1:04d}")
