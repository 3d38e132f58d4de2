"""Immediate alerts: a new report with an error-level finding, mailed within the hour, once, in scope only."""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.parser import BytesParser

from sqlmodel import Session, select

from alerts import run_immediate
from db.models import Digest
from tests.alerts import scenario
from tests.alerts.conftest import make_settings


def test_alert_reaches_subscribed_supervisors_in_scope_once(world, smtp_server, strict_env) -> None:  # type: ignore[no-untyped-def]
    engine, ids = world
    controller, recorder = smtp_server
    settings = make_settings(str(engine.url), f"smtp://127.0.0.1:{controller.port}")
    now = scenario.IN_WINDOW + timedelta(minutes=40)  # the hourly run after the report was found
    run = run_immediate(engine=engine, settings=settings, now=now, env=strict_env)
    again = run_immediate(engine=engine, settings=settings, now=now + timedelta(hours=1), env=strict_env)
    assert (run.composed, run.delivery.sent) == (1, 1)  # type: ignore[union-attr]
    assert (again.composed, again.delivery.sent) == (0, 0)  # type: ignore[union-attr]
    # alice (sys subtree) only: erin subscribes but sees hg-sw; bob sees hg-edu but does not subscribe.
    [received] = recorder.messages
    assert received.rcpt_tos == ["alice@sys.example.cn"]
    message = BytesParser(policy=policy.default).parsebytes(received.data)
    assert message["Subject"] == "【年报监测】即时提醒：双鸭山市财政局2025年度报告发现2处错误"
    assert message["Message-ID"] == f"<nianbao.alert-{ids['report:fin']}.{ids['alice']}@example.cn>"
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    for body in (text, html):
        assert scenario.A01 in body and f"{scenario.BASE_URL}/reports/{ids['report:fin']}" in body
    with Session(engine) as session:
        periods = session.exec(select(Digest.period).where(Digest.supervisor_id == ids["alice"])).all()
    assert periods == [f"alert-{ids['report:fin']}"]


def test_old_reports_do_not_alert(world) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    run = run_immediate(engine=engine, settings=make_settings(str(engine.url)), now=scenario.NOW)
    assert (run.composed, run.delivery) == (0, None)  # found four days ago: the weekly digest has it


def test_names_with_line_breaks_do_not_break_headers(world, strict_env) -> None:  # type: ignore[no-untyped-def]
    from alerts.immediate import plan_alerts
    from db.engine import session_scope
    from db.models import Org

    engine, ids = world
    with session_scope(engine) as session:
        org = session.get(Org, "sys-fin")
        assert org is not None
        org.name = "双鸭山市\n财政局"
    with Session(engine) as session:
        [alert] = plan_alerts(session=session, settings=make_settings(str(engine.url)),
                              now=scenario.IN_WINDOW + timedelta(minutes=5), env=strict_env)
    assert alert.message is not None
    message = BytesParser(policy=policy.default).parsebytes(alert.message.as_bytes())
    assert message["Subject"] == "【年报监测】即时提醒：双鸭山市 财政局2025年度报告发现2处错误"


def test_alerts_do_not_move_the_weekly_window(world) -> None:  # type: ignore[no-untyped-def]
    from alerts import run_weekly

    engine, ids = world
    settings = make_settings(str(engine.url))
    assert run_immediate(engine=engine, settings=settings, now=scenario.IN_WINDOW + timedelta(minutes=5)).composed == 1
    run_weekly(engine=engine, settings=settings, as_of=scenario.AS_OF, now=scenario.NOW)
    with Session(engine) as session:
        weekly = session.exec(select(Digest).where(Digest.supervisor_id == ids["alice"],
                                                   Digest.period == scenario.PERIOD)).one()
    assert weekly.counts["since"] == (scenario.NOW - timedelta(days=7)).isoformat()
    assert weekly.counts["errors"] == 1  # the alerted report is in the weekly digest too
