"""Core tables reflected from the database, for readers that must not pay for importing the SQLModel classes."""

from __future__ import annotations

from sqlalchemy import Connection, MetaData, Table
from sqlalchemy.exc import NoSuchTableError


def reflect_tables(conn: Connection, *names: str) -> dict[str, Table]:
    """The named tables as the database holds them (name -> Table), foreign keys left unresolved."""
    meta = MetaData()
    meta.reflect(conn, only=lambda name, _meta: name in names, resolve_fks=False)
    missing = [n for n in names if n not in meta.tables]
    if missing:
        raise NoSuchTableError(missing[0])
    return dict(meta.tables)
