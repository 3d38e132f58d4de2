"""Admins manage supervisors: list, add, set the organisations each one sees."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import delete, func, select
from sqlmodel import Session

from db.models import Org, Supervisor, SupervisorScope
from monitor.web.deps import AdminViewer, DbSession, render
from monitor.web.passwords import WeakPassword, hash_password
from nianbao.errors import NotFound

router = APIRouter(prefix="/admin")
MAX_SCOPES = 1000


def supervisors_with_scopes(session: Session) -> list[tuple[Supervisor, list[str]]]:
    scopes: dict[int, list[str]] = {}
    for sid, oid in session.execute(select(SupervisorScope.supervisor_id, SupervisorScope.org_id)
                                    .order_by(SupervisorScope.org_id)):
        scopes.setdefault(sid, []).append(oid)
    people = session.scalars(select(Supervisor).order_by(Supervisor.email))
    return [(s, scopes.get(s.id or 0, [])) for s in people]


def _page(request: Request, session: Session, error: str | None = None, status_code: int = 200) -> Response:
    return render(request, "admin.html", {"people": supervisors_with_scopes(session), "error": error}, status_code)


@router.get("/supervisors")
def supervisor_list(request: Request, session: DbSession, viewer: AdminViewer) -> Response:
    return _page(request, session)


@router.post("/supervisors")
def supervisor_add(request: Request, session: DbSession, viewer: AdminViewer,
                   email: Annotated[str, Form(max_length=254)], password: Annotated[str, Form(max_length=1024)],
                   name: Annotated[str, Form(max_length=100)] = "", is_admin: Annotated[bool, Form()] = False,
                   scopes: Annotated[str, Form(max_length=100_000)] = "") -> Response:
    email = email.strip().lower()
    if "@" not in email:
        return _page(request, session, "请输入有效的邮箱地址", 400)
    if session.scalar(select(func.count()).select_from(Supervisor).where(func.lower(Supervisor.email) == email)):
        return _page(request, session, f"账号 {email} 已存在", 400)
    try:
        password_hash = hash_password(password)
    except WeakPassword as exc:
        return _page(request, session, str(exc), 400)
    org_ids, unknown = _known_orgs(session, scopes)
    if unknown:
        return _page(request, session, "未知的机构编号：" + "、".join(unknown[:10]), 400)
    supervisor = Supervisor(email=email, name=name.strip() or None, password_hash=password_hash, is_admin=is_admin)
    session.add(supervisor)
    session.flush()
    session.add_all(SupervisorScope(supervisor_id=supervisor.id, org_id=oid) for oid in org_ids)
    session.commit()
    return RedirectResponse("/admin/supervisors", status_code=303)


def _known_orgs(session: Session, text: str) -> tuple[list[str], list[str]]:
    wanted = list(dict.fromkeys(part.strip() for part in text.replace(",", "\n").replace("，", "\n").splitlines()
                                if part.strip()))[:MAX_SCOPES]
    known = set(session.scalars(select(Org.id).where(Org.id.in_(wanted)))) if wanted else set()
    return [w for w in wanted if w in known], [w for w in wanted if w not in known]


@router.get("/supervisors/{supervisor_id}")
def supervisor_edit(request: Request, session: DbSession, viewer: AdminViewer, supervisor_id: int) -> Response:
    person = session.get(Supervisor, supervisor_id)
    if person is None:
        raise NotFound("未找到该监督人员")
    scopes = list(session.scalars(select(SupervisorScope.org_id).where(SupervisorScope.supervisor_id == supervisor_id)
                                  .order_by(SupervisorScope.org_id)))
    return render(request, "admin_edit.html", {"person": person, "scopes": scopes, "error": None})


@router.post("/supervisors/{supervisor_id}")
def supervisor_update(request: Request, session: DbSession, viewer: AdminViewer, supervisor_id: int,
                      scopes: Annotated[str, Form(max_length=100_000)] = "",
                      name: Annotated[str, Form(max_length=100)] = "",
                      is_admin: Annotated[bool, Form()] = False) -> Response:
    person = session.get(Supervisor, supervisor_id)
    if person is None:
        raise NotFound("未找到该监督人员")
    org_ids, unknown = _known_orgs(session, scopes)
    if unknown:
        return render(request, "admin_edit.html", {"person": person, "scopes": scopes.split(),
                                                   "error": "未知的机构编号：" + "、".join(unknown[:10])}, 400)
    if person.id == viewer.id and not is_admin:
        is_admin = True  # an admin cannot lock themselves out
    person.name = name.strip() or None
    person.is_admin = is_admin
    session.execute(delete(SupervisorScope).where(SupervisorScope.supervisor_id == supervisor_id))
    session.add_all(SupervisorScope(supervisor_id=supervisor_id, org_id=oid) for oid in org_ids)
    session.commit()
    return RedirectResponse("/admin/supervisors", status_code=303)
