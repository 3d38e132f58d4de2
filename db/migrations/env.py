"""Alembic environment: runs on the connection `db.migrate` passes in (online), or emits SQL (offline)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import db.models  # noqa: F401  (registers the tables)
from db.migrate import render_item
from sqlmodel import SQLModel

config = context.config
target_metadata = SQLModel.metadata


def _include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Autogenerate only our models' tables: the service keeps apscheduler_jobs, job_run etc. itself."""
    return type_ != "table" or name in target_metadata.tables


def _configure(**kw: object) -> None:
    context.configure(
        target_metadata=target_metadata,
        include_name=_include_name,
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
        **kw,  # type: ignore[arg-type]
    )


def run_offline() -> None:
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection: Connection = config.attributes["connection"]
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
