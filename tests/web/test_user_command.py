"""`nianbao user add/passwd` through the CLI entry point against a real SQLite file; the web login honours it."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from db.engine import make_engine
from db.models import Supervisor
from monitor.web.passwords import hash_password, verify_password
from nianbao.cli import main
from tests.web.conftest import Site


@dataclass
class Done:
    returncode: int
    stderr: str


@pytest.fixture
def db_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NIANBAO_DB_URL", f"sqlite:///{tmp_path / 'users.db'}")
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "users.db"


@pytest.fixture
def nianbao(db_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def run(*args: str, stdin: str = "") -> Done:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(args))
        return Done(code, capsys.readouterr().err)

    return run


def _person(db: Path, email: str) -> Supervisor | None:
    engine = make_engine(f"sqlite:///{db}")
    try:
        with Session(engine) as session:
            return session.scalars(select(Supervisor).where(Supervisor.email == email)).first()
    finally:
        engine.dispose()


def test_add_passwd_and_refusals(db_file: Path, nianbao) -> None:  # type: ignore[no-untyped-def]
    done = nianbao("user", "add", "Chief@Example.cn", "--admin", "--password-stdin", stdin="first-pass-1\n")
    assert done.returncode == 0, done.stderr
    assert "已添加账号 chief@example.cn（管理员）" in done.stderr
    person = _person(db_file, "chief@example.cn")
    assert person is not None and person.is_admin and verify_password(person.password_hash, "first-pass-1")

    again = nianbao("user", "add", "chief@example.cn", "--password-stdin", stdin="other-pass-2\n")
    assert again.returncode == 1 and "账号已存在" in again.stderr and "Traceback" not in again.stderr

    changed = nianbao("user", "passwd", "chief@example.cn", "--password-stdin", stdin="second-pass-3\n")
    assert changed.returncode == 0, changed.stderr
    person = _person(db_file, "chief@example.cn")
    assert person is not None and verify_password(person.password_hash, "second-pass-3")
    assert not verify_password(person.password_hash, "first-pass-1")

    short = nianbao("user", "passwd", "chief@example.cn", "--password-stdin", stdin="short\n")
    assert short.returncode == 1 and "至少需要 8 个字符" in short.stderr
    unknown = nianbao("user", "passwd", "nobody@example.cn", "--password-stdin", stdin="long-enough-9\n")
    assert unknown.returncode == 1 and "账号不存在" in unknown.stderr


def test_password_change_ends_other_sessions(sqlite_site: Site) -> None:
    with Session(sqlite_site.engine) as session:
        session.add(Supervisor(email="rotating@example.cn", password_hash=hash_password("before-change-1")))
        session.commit()
    with sqlite_site.login("rotating@example.cn", "before-change-1") as client:
        assert client.get("/api/me").status_code == 200
        with Session(sqlite_site.engine) as session:
            person = session.scalars(select(Supervisor).where(Supervisor.email == "rotating@example.cn")).one()
            person.password_hash = hash_password("after-change-2")
            session.commit()
        assert client.get("/api/me").status_code == 401
        assert client.get("/").headers["location"].startswith("/login")
