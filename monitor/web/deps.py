"""Request dependencies: database session, the signed-in viewer, CSRF check, rendering."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from db.engine import read_session
from db.models import Supervisor
from monitor.web.auth import CSRF_FIELD, CSRF_HEADER, AccessDenied, csrf_token, csrf_valid
from monitor.web.labels import KINDS, RULES, STATUS_LABELS
from monitor.web.passwords import hash_tag
from monitor.web.queries import PER_PAGE_CHOICES, SORTS, OrgFilter, default_year
from monitor.web.scope import Viewer
from nianbao.errors import NianbaoError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRequired(NianbaoError):
    """No valid session: pages redirect to the login form, the API answers 401."""


def db_session(request: Request) -> Iterator[Session]:
    """Reads do not take SQLite's write lock (db.engine.read_session); forms that write get a normal session."""
    engine = request.app.state.engine
    if request.method in SAFE_METHODS:
        with read_session(engine) as session:
            yield session
        return
    with Session(engine, expire_on_commit=False) as session:
        yield session


DbSession = Annotated[Session, Depends(db_session)]


def current_viewer(request: Request, session: DbSession) -> Viewer:
    uid = request.session.get("uid")
    supervisor = session.get(Supervisor, uid) if isinstance(uid, int) else None
    if supervisor is None or not supervisor.password_hash or request.session.get("tag") != hash_tag(supervisor.password_hash):
        request.session.pop("uid", None)
        raise LoginRequired("请先登录")
    viewer = Viewer.of(supervisor)
    request.state.viewer = viewer
    return viewer


CurrentViewer = Annotated[Viewer, Depends(current_viewer)]


def admin_viewer(viewer: CurrentViewer) -> Viewer:
    if not viewer.is_admin:
        raise AccessDenied("只有管理员可以管理监督人员")
    return viewer


AdminViewer = Annotated[Viewer, Depends(admin_viewer)]


async def verify_csrf(request: Request) -> None:
    """Every unsafe request carries the session's token in the form field or the X-CSRF-Token header."""
    if request.method in SAFE_METHODS:
        return
    supplied: object = request.headers.get(CSRF_HEADER)
    if supplied is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        supplied = (await request.form()).get(CSRF_FIELD)
    if not csrf_valid(request.session, supplied):
        raise AccessDenied("表单已过期或缺少安全令牌，请刷新页面后重试")


def now_utc(request: Request) -> datetime:
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock else datetime.now(timezone.utc)


def year_param(request: Request, session: DbSession,
               year: Annotated[int | None, Query(ge=1990, le=2100, description="统计年度")] = None) -> int:
    return year if year is not None else default_year(session=session, today=now_utc(request).date())


def _choice(value: str | None, allowed: Any) -> str | None:
    return value if value and value in allowed else None


def org_filter(
    year: Annotated[int, Depends(year_param)],
    status: Annotated[str | None, Query(description="状态：ok/inconsistent/late/missing/not_due/unknown")] = None,
    kind: Annotated[str | None, Query(description="机构类型：government/department/township")] = None,
    region: Annotated[str | None, Query(pattern=r"^\d{0,6}$", description="行政区划代码前缀")] = None,
    rule: Annotated[str | None, Query(description="规则编号，如 A01")] = None,
    q: Annotated[str | None, Query(max_length=100, description="名称或编号包含")] = None,
    sort: Annotated[str, Query(description="排序：" + "/".join(SORTS))] = "name",
    desc: Annotated[bool, Query()] = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=max(PER_PAGE_CHOICES))] = 50,
) -> OrgFilter:
    return OrgFilter(year=year, status=_choice(status, STATUS_LABELS), kind=_choice(kind, KINDS),
                     region=region or None, rule=_choice((rule or "").upper(), RULES), q=(q or "").strip() or None,
                     sort=sort if sort in SORTS else "name", desc=desc, page=page, per_page=per_page)


Filter = Annotated[OrgFilter, Depends(org_filter)]


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    """A page, with the viewer and the CSRF token every form needs."""
    values = {"viewer": getattr(request.state, "viewer", None), "csrf_token": csrf_token(request.session),
              "csrf_field": CSRF_FIELD, "path": request.url.path}
    values.update(context or {})
    return request.app.state.templates.TemplateResponse(request, name, values, status_code=status_code)
