"""JSON under /api/: everything the pages show, behind the same login, plus the OpenAPI document."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from db.models import Document, Report
from monitor.web import schemas
from monitor.web.deps import AdminViewer, CurrentViewer, DbSession, Filter, now_utc, year_param
from monitor.web.details import health, org_detail, report_detail
from monitor.web.queries import available_years, list_orgs, overview
from monitor.web.routes.admin import supervisors_with_scopes

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/openapi.json", include_in_schema=False)
def openapi_document(request: Request, viewer: CurrentViewer) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/me", response_model=schemas.Me)
def me(viewer: CurrentViewer) -> schemas.Me:
    return schemas.Me(email=viewer.email, name=viewer.name, is_admin=viewer.is_admin)


@router.get("/years", response_model=list[int])
def years(session: DbSession, viewer: CurrentViewer) -> list[int]:
    return available_years(session=session)


@router.get("/overview", response_model=schemas.OverviewOut)
def overview_json(request: Request, session: DbSession, viewer: CurrentViewer,
                  year: Annotated[int, Depends(year_param)]) -> schemas.OverviewOut:
    data = overview(session=session, viewer=viewer, year=year, now=now_utc(request), memo=request.app.state.memo)
    return schemas.OverviewOut(
        year=data.year, total=data.total, by_status=data.by_status, by_kind=data.by_kind,
        by_region=[schemas.RegionCount(region=p, name=name, counts=c) for p, name, c in data.by_region],
        changes_since=data.since, changes_total=data.changes_total,
        changes=[schemas.Change(**c) for c in data.changes])


@router.get("/orgs", response_model=schemas.OrgPageOut)
def orgs_json(request: Request, session: DbSession, viewer: CurrentViewer, flt: Filter) -> schemas.OrgPageOut:
    page = list_orgs(session=session, viewer=viewer, flt=flt, memo=request.app.state.memo)
    return schemas.OrgPageOut(year=flt.year, total=page.total, page=flt.page, pages=page.pages,
                              per_page=flt.per_page, rows=[schemas.OrgRowOut(**asdict(r)) for r in page.rows])


def _summary(report: Report) -> dict[str, Any]:
    return {k: getattr(report, k) for k in schemas.ReportSummary.model_fields}


def _document(document: Document) -> schemas.DocumentOut:
    return schemas.DocumentOut(**document.model_dump(include=set(schemas.DocumentOut.model_fields) - {"download_url"}),
                               download_url=f"/documents/{document.sha256}")


@router.get("/orgs/{org_id:path}", response_model=schemas.OrgOut)
def org_json(session: DbSession, viewer: CurrentViewer, org_id: str) -> schemas.OrgOut:
    d = org_detail(session=session, viewer=viewer, org_id=org_id)
    crawl = schemas.CrawlOut(**d.target.model_dump()) if d.target else None
    return schemas.OrgOut(
        **d.org.model_dump(include={"id", "name", "aliases", "kind", "level", "region_code", "homepage",
                                    "report_list_url"}),
        parent_id=d.parent.id if d.parent else None, children=d.children,
        statuses=[schemas.StatusOut(**s.model_dump()) for s in d.statuses],
        reports=[schemas.ReportSummary(**_summary(r)) for r in d.reports],
        documents=[_document(doc) for doc in d.documents.values()], crawl=crawl,
        fetches=[schemas.FetchOut(**f.model_dump()) for f in d.fetches])


@router.get("/reports/{report_id}", response_model=schemas.ReportOut)
def report_json(session: DbSession, viewer: CurrentViewer, report_id: int) -> schemas.ReportOut:
    d = report_detail(session=session, viewer=viewer, report_id=report_id)
    return schemas.ReportOut(
        **_summary(d.report), org_id=d.report.org_id, org_name=d.org.name if d.org else None,
        claimed_org=d.report.claimed_org, data=d.report.data,
        findings=[schemas.FindingOut(rule=f.rule, severity=f.severity, message=f.message, cells=f.cells)
                  for f in d.findings],
        versions=[schemas.ReportSummary(**_summary(v)) for v in d.versions],
        document=_document(d.document) if d.document else None)


@router.get("/health", response_model=schemas.HealthOut)
def health_json(request: Request, session: DbSession, viewer: CurrentViewer,
                page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> schemas.HealthOut:
    h = health(session=session, viewer=viewer, now=now_utc(request), page=page)
    portals = [schemas.PortalOut(org_id=r["target"].org_id, org_name=r["org_name"], errors_week=r["errors_week"],
                                 **r["target"].model_dump(exclude={"org_id", "needs_browser"}))
               for r in h.rows]
    return schemas.HealthOut(targets=h.targets, failing=h.failing, never_succeeded=h.never_succeeded,
                             fetches_day=h.fetches_day, errors_day=h.errors_day, page=h.page, pages=h.pages,
                             total_rows=h.total_rows, portals=portals)


@router.get("/supervisors", response_model=list[schemas.SupervisorOut])
def supervisors_json(session: DbSession, viewer: AdminViewer) -> list[schemas.SupervisorOut]:
    return [schemas.SupervisorOut(id=p.id or 0, email=p.email, name=p.name, is_admin=p.is_admin,
                                  can_log_in=bool(p.password_hash), scopes=scopes)
            for p, scopes in supervisors_with_scopes(session)]
