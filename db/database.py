"""Opening the configured database from the CLI: engine, migrations, one Chinese error if unreachable."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from db.engine import init_db, make_engine
from nianbao.errors import ConfigError


def open_database(url: str, *, migrate: bool = True) -> Engine:
    """An engine for `url`, migrated to head unless `migrate` is False."""
    engine = make_engine(url)
    try:
        if migrate:
            init_db(engine)
        else:
            with engine.connect():
                pass
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ConfigError(f"无法连接数据库（NIANBAO_DB_URL）：{reason}") from None
    return engine
