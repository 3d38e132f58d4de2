"""The organisation list (with exports) and the organisation page."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from monitor.web.deps import CurrentViewer, DbSession, Filter, render
from monitor.web.details import org_detail
from monitor.web.export import to_csv, to_xlsx
from monitor.web.queries import PER_PAGE_CHOICES, SORTS, all_orgs, available_years, list_orgs

router = APIRouter()
EXPORT_LIMIT = 200_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/orgs")
def org_list(request: Request, session: DbSession, viewer: CurrentViewer, flt: Filter) -> Response:
    page = list_orgs(session=session, viewer=viewer, flt=flt, memo=request.app.state.memo)
    return render(request, "orgs.html", {"page": page, "flt": flt, "years": available_years(session=session),
                                         "sorts": SORTS, "per_page_choices": PER_PAGE_CHOICES})


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename=\"orgs.{name.rsplit('.', 1)[-1]}\"; "
                                   f"filename*=UTF-8''{quote(name)}"}


@router.get("/orgs/export.csv")
def export_csv(session: DbSession, viewer: CurrentViewer, flt: Filter) -> Response:
    rows = all_orgs(session=session, viewer=viewer, flt=flt, limit=EXPORT_LIMIT)
    return Response(to_csv(rows, flt.year), media_type="text/csv; charset=utf-8",
                    headers=_attachment(f"机构合规状态-{flt.year}.csv"))


@router.get("/orgs/export.xlsx")
def export_xlsx(session: DbSession, viewer: CurrentViewer, flt: Filter) -> Response:
    rows = all_orgs(session=session, viewer=viewer, flt=flt, limit=EXPORT_LIMIT)
    return Response(to_xlsx(rows, flt.year), media_type=XLSX_TYPE,
                    headers=_attachment(f"机构合规状态-{flt.year}.xlsx"))


@router.get("/orgs/{org_id:path}")
def org_page(request: Request, session: DbSession, viewer: CurrentViewer, org_id: str) -> Response:
    detail = org_detail(session=session, viewer=viewer, org_id=org_id)
    return render(request, "org.html", {"d": detail})
