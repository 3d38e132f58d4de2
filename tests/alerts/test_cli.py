"""`nianbao digest`: compose, --outbox writes the stored messages as .eml, --send goes through SMTP."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import time_machine
from sqlmodel import Session, select

from db.models import OutboxMessage
from nianbao.cli import main
from tests.alerts import scenario
from tests.alerts.conftest import MAIL_FROM, free_port


@pytest.fixture
def cli_env(world, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Environment settings for the scenario, with the clock frozen at its run time."""
    engine, ids = world
    monkeypatch.setenv("NIANBAO_DB_URL", str(engine.url))
    monkeypatch.setenv("NIANBAO_BASE_URL", scenario.BASE_URL)
    monkeypatch.setenv("NIANBAO_MAIL_FROM", MAIL_FROM)
    monkeypatch.delenv("NIANBAO_SMTP_URL", raising=False)
    with time_machine.travel(scenario.NOW, tick=False):  # the scenario's Wednesday, 10:00 Beijing time
        yield engine, ids


def test_outbox_writes_the_stored_messages(cli_env, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    engine, ids = cli_env
    out = tmp_path / "eml"
    assert main(["digest", "--as-of", "2027-01-20", "--outbox", str(out)]) == 0
    assert "2027年第3周（2027-W03）：新生成摘要 3 份（其中一切正常 1 份），无事不发 1 人" in capsys.readouterr().out
    files = sorted(out.glob("*.eml"))
    assert [f.name for f in files] == [f"2027-W03-{ids[k]}.eml" for k in ("alice", "bob", "dave")]
    with Session(engine) as session:
        stored = {row.to_addr: row.message for row in session.exec(select(OutboxMessage)).all()}
    parsed = BytesParser(policy=policy.default).parsebytes(files[0].read_bytes())
    assert files[0].read_bytes() == stored[parsed["To"].addresses[0].addr_spec]
    assert parsed["Subject"].startswith("【年报监测】2027年第3周摘要：")
    # Again later that week: the same files, nothing new composed.
    assert main(["digest", "--as-of", "2027-01-22", "--outbox", str(out)]) == 0
    assert "新生成摘要 0 份" in capsys.readouterr().out
    assert sorted(out.glob("*.eml")) == files


def test_send_needs_smtp(cli_env, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main(["digest", "--send"]) == 1
    assert capsys.readouterr().err.strip() == "nianbao: 未配置 NIANBAO_SMTP_URL，无法发送摘要邮件"


def test_send_through_smtp_then_nothing_twice(cli_env, smtp_server, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    controller, recorder = smtp_server
    monkeypatch.setenv("NIANBAO_SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
    assert main(["digest", "--as-of", "2027-01-20", "--send"]) == 0
    assert "发送成功 3 封" in capsys.readouterr().out
    assert main(["digest", "--as-of", "2027-01-20", "--send"]) == 0
    assert "新生成摘要 0 份" in capsys.readouterr().out
    assert len(recorder.messages) == 3


def test_send_with_smtp_down_exits_non_zero(cli_env, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NIANBAO_SMTP_URL", f"smtp://127.0.0.1:{free_port()}")
    assert main(["digest", "--as-of", "2027-01-20", "--send"]) == 1
    captured = capsys.readouterr()
    assert "稍后重试 3 封" in captured.out and "无法连接 SMTP 服务器" in captured.err


def test_send_over_starttls_trusting_an_internal_ca(cli_env, certificate, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """Mail servers on government intranets often have certificates from an internal CA: SSL_CERT_FILE names it."""
    from tests.alerts.smtpd import PASSWORD, USER, Recorder, authenticator, start

    recorder = Recorder()
    controller = start(recorder, tls_context=certificate.server_context(), require_starttls=True,
                       authenticator=authenticator, auth_required=True)
    try:
        monkeypatch.setenv("NIANBAO_SMTP_URL", f"smtp+starttls://{USER}:{PASSWORD}@127.0.0.1:{controller.port}")
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
        assert main(["digest", "--as-of", "2027-01-20", "--send"]) == 0
    finally:
        controller.stop()
    assert "发送成功 3 封" in capsys.readouterr().out
    assert len(recorder.messages) == 3 and all(m.tls and m.authenticated for m in recorder.messages)
