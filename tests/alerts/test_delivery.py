"""Delivery against real aiosmtpd servers on loopback: plain, STARTTLS and implicit TLS with AUTH; retries."""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest
from sqlmodel import Session, select

from alerts import run_weekly
from alerts.delivery import deliver_pending
from alerts.outbox import backoff, claim, summary
from alerts.period import as_utc
from db.models import OutboxMessage
from tests.alerts import scenario
from tests.alerts.conftest import free_port, make_settings
from tests.alerts.smtpd import PASSWORD, USER, Recorder, authenticator, start

NOW = scenario.NOW
RECIPIENTS = {"alice@sys.example.cn", "bob@hg.example.cn", "dave@hg.example.cn"}


def _outbox(engine) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def _message_ids(recorder: Recorder) -> list[str]:
    return [BytesParser(policy=policy.default).parsebytes(m.data)["Message-ID"] for m in recorder.messages]


def test_plain_smtp_delivers_and_marks_sent(world, smtp_server, strict_env) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    controller, recorder = smtp_server
    settings = make_settings(str(engine.url), f"smtp://127.0.0.1:{controller.port}")
    run = run_weekly(engine=engine, settings=settings, as_of=scenario.AS_OF, now=NOW, env=strict_env)
    assert run.delivery is not None and (run.delivery.sent, run.delivery.retrying, run.delivery.failed) == (3, 0, 0)
    assert {r for m in recorder.messages for r in m.rcpt_tos} == RECIPIENTS
    assert {m.mail_from for m in recorder.messages} == {"nianbao@example.cn"}
    rows = _outbox(engine)
    assert {row.status for row in rows} == {"sent"} and all(row.sent_at for row in rows)
    # What the server got is byte for byte what the outbox holds.
    assert sorted(m.data.replace(b"\r\n", b"\n") for m in recorder.messages) == sorted(
        row.message.replace(b"\r\n", b"\n") for row in rows)
    assert deliver_pending(engine=engine, settings=settings, now=NOW + timedelta(hours=1)).sent == 0


def test_starttls_with_auth(world, certificate, strict_env) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    recorder = Recorder()
    controller = start(recorder, tls_context=certificate.server_context(), require_starttls=True,
                       authenticator=authenticator, auth_required=True)
    try:
        settings = make_settings(str(engine.url), f"smtp+starttls://{USER}:{PASSWORD}@127.0.0.1:{controller.port}")
        run = run_weekly(engine=engine, settings=settings, as_of=scenario.AS_OF, now=NOW, env=strict_env,
                         tls_context=certificate.client_context())
    finally:
        controller.stop()
    assert run.delivery is not None and run.delivery.sent == 3
    assert all(m.authenticated and m.tls for m in recorder.messages) and len(recorder.messages) == 3


def test_implicit_tls_with_auth(world, certificate) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    recorder = Recorder()
    # aiosmtpd counts only STARTTLS as TLS for auth_require_tls (and warns when AUTH is required
    # without it), so AUTH is offered but not required here; the recorder checks the client used it.
    controller = start(recorder, ssl_context=certificate.server_context(), authenticator=authenticator,
                       auth_require_tls=False)
    try:
        settings = make_settings(str(engine.url), f"smtps://{USER}:{PASSWORD}@127.0.0.1:{controller.port}")
        run = run_weekly(engine=engine, settings=settings, as_of=scenario.AS_OF, now=NOW,
                         tls_context=certificate.client_context())
    finally:
        controller.stop()
    assert run.delivery is not None and run.delivery.sent == 3
    assert all(m.authenticated for m in recorder.messages) and len(recorder.messages) == 3


@pytest.mark.parametrize("problem", ["untrusted certificate", "wrong password"])
def test_session_problems_are_recorded_and_retried(world, certificate, problem) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    recorder = Recorder()
    controller = start(recorder, tls_context=certificate.server_context(), require_starttls=True,
                       authenticator=authenticator, auth_required=True)
    password = PASSWORD if problem == "untrusted certificate" else "wrong"
    context = None if problem == "untrusted certificate" else certificate.client_context()
    try:
        settings = make_settings(str(engine.url), f"smtp+starttls://{USER}:{password}@127.0.0.1:{controller.port}")
        run = run_weekly(engine=engine, settings=settings, as_of=scenario.AS_OF, now=NOW, tls_context=context)
    finally:
        controller.stop()
    assert run.delivery is not None and (run.delivery.sent, run.delivery.retrying) == (0, 3)
    assert recorder.messages == []
    rows = _outbox(engine)
    assert {(row.status, row.attempts) for row in rows} == {("pending", 1)}
    expected = "CERTIFICATE_VERIFY_FAILED" if problem == "untrusted certificate" else "SMTP 登录失败（535）"
    assert all(expected in (row.last_error or "") for row in rows)


def test_smtp_down_then_back_delivers_each_digest_exactly_once(any_world) -> None:  # type: ignore[no-untyped-def]
    engine, _ = any_world
    port = free_port()  # nothing listens: connections are refused
    settings = make_settings(str(engine.url), f"smtp://127.0.0.1:{port}")
    run = run_weekly(engine=engine, settings=settings, as_of=scenario.AS_OF, now=NOW)
    assert run.composed == 3 and run.delivery is not None
    assert (run.delivery.sent, run.delivery.retrying, run.delivery.failed) == (0, 3, 0)
    assert all("无法连接 SMTP 服务器" in line for line in run.delivery.errors)
    rows = _outbox(engine)
    assert {(row.status, row.attempts) for row in rows} == {("pending", 1)}
    with Session(engine) as session:
        health = summary(session=session)
    assert (health.pending, health.sent, len(health.problems)) == (3, 0, 3)
    assert health.oldest_pending_at is not None and as_utc(health.oldest_pending_at) == NOW
    # Backoff: not due again before a minute has passed (a restart changes nothing: the state is in the table).
    assert deliver_pending(engine=engine, settings=settings, now=NOW + timedelta(seconds=30)).retrying == 0
    second = deliver_pending(engine=engine, settings=settings, now=NOW + timedelta(minutes=1, seconds=1))
    assert second.retrying == 3
    assert {row.attempts for row in _outbox(engine)} == {2}

    recorder = Recorder()
    controller = start(recorder, port=port)  # the server is back, on the same port
    try:
        assert deliver_pending(engine=engine, settings=settings, now=NOW + timedelta(minutes=2)).sent == 0  # backing off
        back = deliver_pending(engine=engine, settings=settings, now=NOW + timedelta(minutes=3, seconds=1))
        again = deliver_pending(engine=engine, settings=settings, now=NOW + timedelta(days=1))
        rerun = run_weekly(engine=engine, settings=settings, as_of=scenario.AS_OF, now=NOW + timedelta(days=1))
    finally:
        controller.stop()
    assert back.sent == 3 and again.sent == 0
    assert (rerun.composed, rerun.already, rerun.delivery.sent) == (0, 4, 0)  # type: ignore[union-attr]
    ids = _message_ids(recorder)
    assert len(ids) == 3 and len(set(ids)) == 3
    assert sorted(r for m in recorder.messages for r in m.rcpt_tos) == sorted(RECIPIENTS)
    assert {row.status for row in _outbox(engine)} == {"sent"}


def test_server_failing_mid_batch_then_recovering(world) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    recorder = Recorder(defer=1)  # the first DATA gets 451; the rest are accepted
    controller = start(recorder)
    try:
        settings = make_settings(str(engine.url), f"smtp://127.0.0.1:{controller.port}")
        first = run_weekly(engine=engine, settings=settings, as_of=scenario.AS_OF, now=NOW).delivery
        controller.stop()  # gone while the deferred message waits for its retry
        down = deliver_pending(engine=engine, settings=settings, now=NOW + timedelta(minutes=5))
        controller = start(recorder, port=controller.port)
        later = deliver_pending(engine=engine, settings=settings, now=NOW + timedelta(minutes=10))
    finally:
        controller.stop()
    assert first is not None and (first.sent, first.retrying) == (2, 1)
    assert "451" in first.errors[0]
    assert (down.sent, down.retrying) == (0, 1)
    assert later.sent == 1
    assert sorted(r for m in recorder.messages for r in m.rcpt_tos) == sorted(RECIPIENTS)


def test_permanent_refusal_is_given_up_and_shown(world, smtp_server) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    controller, recorder = smtp_server
    recorder.reject.add("bob@hg.example.cn")
    settings = make_settings(str(engine.url), f"smtp://127.0.0.1:{controller.port}")
    run = run_weekly(engine=engine, settings=settings, as_of=scenario.AS_OF, now=NOW)
    assert run.delivery is not None and (run.delivery.sent, run.delivery.failed) == (2, 1)
    failed = [row for row in _outbox(engine) if row.status == "failed"]
    assert [row.to_addr for row in failed] == ["bob@hg.example.cn"] and "550" in (failed[0].last_error or "")
    assert deliver_pending(engine=engine, settings=settings, now=NOW + timedelta(days=1)).sent == 0
    with Session(engine) as session:
        health = summary(session=session)
    assert (health.pending, health.sent, health.failed, health.oldest_pending_at) == (0, 2, 1, None)
    [(to, subject, attempts, error)] = health.problems
    assert (to, attempts) == ("bob@hg.example.cn", 1) and subject.startswith("【年报监测】") and "550" in (error or "")


def test_a_claimed_message_is_not_claimed_twice(world) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    run_weekly(engine=engine, settings=make_settings(str(engine.url)), as_of=scenario.AS_OF, now=NOW)
    row = _outbox(engine)[0]
    assert row.id is not None
    with Session(engine) as one, Session(engine) as two:
        assert claim(session=one, message_id=row.id, attempts=0, now=NOW) is not None
        assert claim(session=two, message_id=row.id, attempts=0, now=NOW) is None


def test_backoff_doubles_up_to_six_hours() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert backoff(30) == timedelta(hours=6)


def test_without_smtp_nothing_is_tried(world) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    settings = make_settings(str(engine.url))
    assert run_weekly(engine=engine, settings=settings, as_of=scenario.AS_OF, now=NOW).delivery is None
    assert deliver_pending(engine=engine, settings=settings, now=NOW).configured is False


def test_many_messages_go_out_in_several_connections(world, smtp_server) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    controller, recorder = smtp_server
    settings = make_settings(str(engine.url), f"smtp://127.0.0.1:{controller.port}")
    run_weekly(engine=engine, settings=settings, as_of=scenario.AS_OF, now=NOW, deliver=False)
    result = deliver_pending(engine=engine, settings=settings, now=NOW, limit=2)
    assert result.sent == 3 and len(recorder.messages) == 3


def test_a_long_pass_reads_the_clock_for_every_message(world, smtp_server) -> None:  # type: ignore[no-untyped-def]
    """Leases and sent_at come from the real clock, not the pass's start (a stale lease could be taken twice)."""
    import time_machine

    engine, _ = world
    controller, recorder = smtp_server
    settings = make_settings(str(engine.url), f"smtp://127.0.0.1:{controller.port}")
    run_weekly(engine=engine, settings=settings, as_of=scenario.AS_OF, now=NOW, deliver=False)
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False) as traveller:
        original = recorder.handle_DATA

        async def slow_server(server, session, envelope):  # type: ignore[no-untyped-def]
            traveller.shift(timedelta(minutes=15))  # each message takes a quarter of an hour
            return await original(server, session, envelope)

        recorder.handle_DATA = slow_server  # type: ignore[method-assign]
        assert deliver_pending(engine=engine, settings=settings).sent == 3
    sent = sorted(row.sent_at for row in _outbox(engine) if row.sent_at)
    assert [round((s - NOW).total_seconds() / 60) for s in sent] == [16, 31, 46]
