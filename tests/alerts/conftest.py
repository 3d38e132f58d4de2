"""Fixtures for digest tests: the known scenario, settings pointing at it, real SMTP servers on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from alerts.compose import make_environment
from nianbao.settings import Settings, load_settings
from tests.alerts import scenario
from tests.alerts.smtpd import Certificate, LoopbackController, Recorder, self_signed, start

MAIL_FROM = "年报监测中心 <nianbao@example.cn>"


def make_settings(db_url: str, smtp_url: str | None = None) -> Settings:
    return load_settings(db_url=db_url, smtp_url=smtp_url, base_url=scenario.BASE_URL, mail_from=MAIL_FROM,
                         timezone="Asia/Shanghai")


@pytest.fixture
def world(sqlite_engine):  # type: ignore[no-untyped-def]
    """(engine, ids) with the scenario inserted into a SQLite file."""
    return sqlite_engine, scenario.build(sqlite_engine)


@pytest.fixture
def strict_env():  # type: ignore[no-untyped-def]
    return make_environment(timezone="Asia/Shanghai", strict=True)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    pytest.importorskip("cryptography")
    return self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def smtp_server() -> Iterator[tuple[LoopbackController, Recorder]]:
    """Plain SMTP, no auth."""
    recorder = Recorder()
    controller = start(recorder)
    yield controller, recorder
    controller.stop()


@pytest.fixture
def any_world(engine):  # type: ignore[no-untyped-def]
    """The scenario on SQLite and on PostgreSQL."""
    return engine, scenario.build(engine)


def free_port() -> int:
    """A loopback port nothing listens on (yet): connecting to it is refused."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
