"""Web fixtures: a seeded database (SQLite file and PostgreSQL), the app behind a live uvicorn, logged-in clients."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from tests.conftest import pg_schema
from tests.web.fixtures import PASSWORD, Seeded, seed
from tests.web.server import LiveServer

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Site:
    url: str
    seeded: Seeded
    engine: sa.engine.Engine
    kind: str

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10, follow_redirects=False)

    @contextmanager
    def login(self, email: str, password: str = PASSWORD) -> Iterator[httpx.Client]:
        with self.client() as client:
            response = login(client, email, password)
            assert response.status_code == 303, response.text
            yield client


def csrf_of(client: httpx.Client, path: str) -> str:
    match = CSRF_RE.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: httpx.Client, email: str, password: str) -> httpx.Response:
    token = csrf_of(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token, "next": "/"})


@pytest.fixture(scope="session")
def _pg_schema_url() -> Iterator[str]:
    with pg_schema("nbweb") as url:
        yield url


def _start_site(kind: str, url: str, root: Path) -> Iterator[Site]:
    from db.engine import init_db, make_engine
    from monitor.web import create_app
    from nianbao.settings import load_settings

    settings = load_settings(db_url=url, data_dir=root / "data", secret_key="test-secret-" + uuid.uuid4().hex)
    engine = make_engine(url)
    init_db(engine)
    seeded = seed(engine, settings.document_dir)
    server = LiveServer(create_app(settings, engine=engine, strict_templates=True)).start()
    try:
        yield Site(server.url, seeded, engine, kind)
    finally:
        server.stop()
        engine.dispose()


@pytest.fixture(scope="session")
def sqlite_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("web-sqlite")
    yield from _start_site("sqlite", f"sqlite:///{root / 'nianbao.db'}", root)


@pytest.fixture(scope="session")
def postgresql_site(tmp_path_factory: pytest.TempPathFactory, _pg_schema_url: str) -> Iterator[Site]:
    yield from _start_site("postgresql", _pg_schema_url, tmp_path_factory.mktemp("web-pg"))


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest) -> Site:
    """The seeded site on each database engine."""
    return request.getfixturevalue(f"{request.param}_site")
