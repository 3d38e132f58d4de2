"""The ASGI app `nianbao serve` runs: the status pages (monitor.web) when present, plus /healthz."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from monitor.service import Service


def _pages(service: Service) -> FastAPI:
    try:
        from monitor.web import create_app
    except ImportError:
        return FastAPI(title="nianbao", docs_url=None, redoc_url=None, openapi_url=None)
    return create_app(service.context.settings, engine=service.engine)


def create_service_app(service: Service) -> FastAPI:
    """The pages app with a `/healthz` endpoint reporting the scheduler and database."""
    app = _pages(service)

    async def healthz() -> Any:
        healthy, details = service.health()
        return JSONResponse(details, status_code=200 if healthy else 503)

    if not any(getattr(route, "path", None) == "/healthz" for route in app.routes):
        app.add_api_route("/healthz", healthz, methods=["GET"], include_in_schema=False)
    return app
