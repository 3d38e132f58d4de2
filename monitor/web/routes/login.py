"""Login and logout."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func
from sqlmodel import select

from db.models import Supervisor
from monitor.web.auth import TooManyAttempts, csrf_token
from monitor.web.deps import DbSession, render
from monitor.web.passwords import hash_tag, verify_password

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would let a phishing link bounce through the login."""
    # "//host" and "/\host" are other sites to a browser.
    if not target or not target.startswith("/") or target[1:2] in ("/", "\\") or urlsplit(target).netloc:
        return "/"
    return target


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "email": "", "error": None})


@router.post("/login")
def login(request: Request, session: DbSession, email: Annotated[str, Form(max_length=254)],
          password: Annotated[str, Form(max_length=1024)], next: Annotated[str, Form()] = "/") -> Response:
    email = email.strip().lower()
    throttle = request.app.state.throttle
    try:
        throttle.check(_client(request), email)
    except TooManyAttempts as exc:
        return render(request, "login.html", {"next": _safe_next(next), "email": email, "error": str(exc)},
                      status_code=429)
    supervisor = session.exec(select(Supervisor).where(func.lower(Supervisor.email) == email)).first()
    if not verify_password(supervisor.password_hash if supervisor else None, password):
        throttle.failed(_client(request), email)
        return render(request, "login.html", {"next": _safe_next(next), "email": email,
                                              "error": "邮箱或密码不正确"}, status_code=400)
    assert supervisor is not None
    throttle.succeeded(_client(request), email)
    request.session.clear()
    request.session.update({"uid": supervisor.id, "tag": hash_tag(supervisor.password_hash)})
    csrf_token(request.session)  # a fresh token for the new session
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
