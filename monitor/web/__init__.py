"""Status pages and JSON API for supervisors (FastAPI + Jinja2, server-rendered, Chinese)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI
    from sqlalchemy.engine import Engine

    from nianbao.settings import Settings


def create_app(settings: Settings, *, engine: Engine | None = None, **options: Any) -> FastAPI:
    """The web application; imported lazily so `nianbao user` does not load FastAPI."""
    from monitor.web.app import create_app as factory

    return factory(settings, engine=engine, **options)
