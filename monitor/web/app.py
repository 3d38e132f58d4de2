"""The application factory: middleware, routers, static files, and the web edge of the error hierarchy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from monitor.web.cache import Memo
from monitor.web.auth import AccessDenied, LoginThrottle, TooManyAttempts
from monitor.web.deps import LoginRequired, render, verify_csrf
from monitor.web.routes import admin, api, login, orgs, overview, reports
from monitor.web.templating import make_templates
from nianbao.errors import ConfigError, NianbaoError, NotFound
from nianbao.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "nianbao_session"
SESSION_SECONDS = 8 * 3600
HTTP_MESSAGES = {404: "页面不存在", 405: "不支持该请求方法", 403: "无权访问", 400: "请求无效", 429: "请求过于频繁"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def create_app(settings: Settings, *, engine: Engine | None = None, strict_templates: bool = False,
               clock: Callable[[], datetime] | None = None, throttle: LoginThrottle | None = None,
               cache_ttl: float = 120.0) -> FastAPI:
    """The status pages and /api/ for `settings`; `engine` defaults to one built from settings.db_url."""
    _check_secret(settings)
    if engine is None:
        from db.engine import make_engine

        engine = make_engine(settings.db_url)
    app = FastAPI(title="nianbao 年报监测", version="1", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(verify_csrf)])
    app.state.settings = settings
    app.state.engine = engine
    app.state.templates = make_templates(strict=strict_templates, timezone=settings.timezone)
    app.state.throttle = throttle or LoginThrottle()
    app.state.clock = clock
    app.state.memo = Memo(ttl=cache_ttl)
    for module in (login, overview, orgs, reports, admin, api):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _install_error_pages(app)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie=SESSION_COOKIE,
                       max_age=SESSION_SECONDS, same_site="lax", https_only=settings.base_url.startswith("https"))
    return app


class SecurityHeaders:
    """Pure ASGI (cheaper than BaseHTTPMiddleware): CSP and friends on every response, no-store on pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        private = not path.startswith("/static/")  # pages carry CSRF tokens and supervisors' data

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if private:
                    headers.setdefault("Cache-Control", "private, no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _check_secret(settings: Settings) -> None:
    """Forged session cookies are one signature away with the published default key: refuse it off loopback."""
    default = Settings.model_fields["secret_key"].default
    host = urlsplit(settings.base_url).hostname or ""
    if settings.secret_key == default and host not in ("127.0.0.1", "localhost", "::1"):
        raise ConfigError("配置项 NIANBAO_SECRET_KEY 仍是默认值：对外提供页面前必须设置为随机长字符串")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "error.html", {"status": status, "message": message}, status_code=status)


def _status_for(exc: NianbaoError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, AccessDenied):
        return 403
    if isinstance(exc, TooManyAttempts):
        return 429
    return 400


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={_quote(target)}", status_code=303)

    @app.exception_handler(NianbaoError)
    async def nianbao_error(request: Request, exc: NianbaoError) -> Response:
        return _error(request, _status_for(exc), str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, HTTP_MESSAGES.get(exc.status_code, "请求无法完成"))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = "、".join(str(e["loc"][-1]) for e in exc.errors()[:5])
        return _error(request, 400, f"请求参数无效：{fields}")


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")
