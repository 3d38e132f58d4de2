"""The overview of a year and portal health."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from monitor.web.chart import status_chart
from monitor.web.deps import CurrentViewer, DbSession, now_utc, render, year_param
from monitor.web.details import health
from monitor.web.queries import available_years, overview

router = APIRouter()


@router.get("/")
def overview_page(request: Request, session: DbSession, viewer: CurrentViewer,
                  year: Annotated[int, Depends(year_param)]) -> Response:
    data = overview(session=session, viewer=viewer, year=year, now=now_utc(request), memo=request.app.state.memo)
    return render(request, "overview.html", {
        "data": data, "chart": status_chart(data.by_status), "years": available_years(session=session),
        "year": year})


@router.get("/health")
def health_page(request: Request, session: DbSession, viewer: CurrentViewer,
                page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    data = health(session=session, viewer=viewer, now=now_utc(request), page=page)
    return render(request, "health.html", {"data": data})
