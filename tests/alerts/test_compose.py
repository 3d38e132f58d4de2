"""Composition: the message parses back with both parts, Chinese headers, counts and links; scopes hold."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from sqlmodel import Session, select

from alerts.digest import plan_digests
from alerts.outbox import Planned
from db.models import Digest, OutboxMessage
from tests.alerts import scenario
from tests.alerts.conftest import make_settings

BASE = scenario.BASE_URL


def _plan(world, env) -> dict[int, Planned]:  # type: ignore[no-untyped-def]
    engine, _ = world
    settings = make_settings(str(engine.url))
    with Session(engine) as session:
        plan = plan_digests(session=session, settings=settings, as_of=scenario.AS_OF, now=scenario.NOW, env=env)
    assert plan.period == scenario.PERIOD
    return {p.supervisor_id: p for p in plan.digests}


def _parse(planned: Planned) -> EmailMessage:
    assert planned.message is not None
    parsed = BytesParser(policy=policy.default).parsebytes(planned.message.as_bytes(policy=policy.SMTP))
    assert isinstance(parsed, EmailMessage)
    return parsed


def _parts(message: EmailMessage) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_digest_parses_back_with_both_parts_and_chinese_headers(world, strict_env) -> None:  # type: ignore[no-untyped-def]
    _, ids = world
    alice = _plan(world, strict_env)[ids["alice"]]
    raw = alice.message.as_bytes(policy=policy.SMTP)  # type: ignore[union-attr]
    assert max(raw) < 128, "headers and bodies are 7-bit on the wire (RFC 2047, base64/QP)"
    message = _parse(alice)
    assert message["Subject"] == "【年报监测】2027年第3周摘要：未发布1，逾期1，有误2，已更正1，即将到期2，无法抓取1"
    assert message["From"].addresses[0].display_name == "年报监测中心"
    assert message["From"].addresses[0].addr_spec == "nianbao@example.cn"
    assert message["To"].addresses[0].display_name == "王丽"
    assert message["Message-ID"] == f"<nianbao.{scenario.PERIOD}.{ids['alice']}@example.cn>"
    text, html = _parts(message)
    assert "王丽，您好：" in text
    assert "新增未发布 1，逾期发布 1，新认定有误 1，报告有误 1，已更正 1，两周内到期 2，门户无法抓取 1" in text
    assert "<!DOCTYPE html>" in html and "<link" not in html and "<img" not in html


def test_digest_lists_each_item_with_numbers_and_links(world, strict_env) -> None:  # type: ignore[no-untyped-def]
    _, ids = world
    text, html = _parts(_parse(_plan(world, strict_env)[ids["alice"]]))
    for body in (text, html):
        assert f"{BASE}/orgs/sys-edu" in body  # newly missing
        assert f"{BASE}/orgs/sys-fin" in body  # late
        assert f"{BASE}/reports/{ids['report:fin']}" in body  # new report with errors
        assert f"{BASE}/reports/{ids['report:sys-v2']}" in body  # corrected (version 2)
        assert f"{BASE}/orgs/sys-jd" in body  # portal failing, and township deadline
        assert scenario.A01 in body and scenario.A03 in body and scenario.T02 in body
        assert "第 2 版" in body
        assert f"{BASE}/reports/{ids['report:edu-2024']}" in body and scenario.Y01 in body  # newly inconsistent
        assert "2027-01-31（还有 11 天）" in body
        assert "连接超时（30 秒）" in body
    assert "双鸭山市财政局 2025年度（2027-01-16 认定）：" + scenario.C02 in text
    assert scenario.C02 in html
    assert "［A01 错误］" + scenario.A01 in text
    assert "［T02 提醒］" + scenario.T02 in text
    assert "［Y01 错误］" + scenario.Y01 in text
    assert text.count(scenario.T02) == 1  # the inconsistent report lists its errors only
    # Not news: the old error, the status that flipped back to ok, the override deadline (02-28), the old missing.
    assert "旧的错误" not in text
    assert "双鸭山市人民政府 2025年度（" not in text
    assert "2027-02-28" not in text
    assert text.count("双鸭山市尖山区二马路街道办事处") == 2  # deadline + portal, not the old status change


def test_supervisor_sees_nothing_outside_their_subtrees(world, strict_env) -> None:  # type: ignore[no-untyped-def]
    _, ids = world
    planned = _plan(world, strict_env)
    alice_text, alice_html = _parts(_parse(planned[ids["alice"]]))
    bob_text, bob_html = _parts(_parse(planned[ids["bob"]]))
    for body in (alice_text, alice_html):
        assert "鹤岗" not in body and "/orgs/hg" not in body and f"/reports/{ids['report:hg-edu']}" not in body
    for body in (bob_text, bob_html):
        assert "双鸭山" not in body and "/orgs/sys" not in body
        assert "鹤岗的错误" in body and f"{BASE}/reports/{ids['report:hg-edu']}" in body
    # hg-edu went missing, then its new report with errors made it inconsistent: listed once, as that report.
    bob = planned[ids["bob"]].counts
    assert (bob["missing"], bob["inconsistent"], bob["errors"]) == (0, 0, 1)
    assert planned[ids["bob"]].counts["upcoming"] == 0  # hg-edu published 2026 already


def test_empty_week_all_clear_or_nothing(world, strict_env) -> None:  # type: ignore[no-untyped-def]
    _, ids = world
    planned = _plan(world, strict_env)
    dave = _parse(planned[ids["dave"]])
    assert dave["Subject"] == "【年报监测】2027年第3周摘要：一切正常"
    text, html = _parts(dave)
    assert "一切正常" in text and "一切正常" in html
    assert planned[ids["erin"]].message is None and planned[ids["erin"]].counts["silent"] is True


def test_counts_and_window_are_recorded_with_the_digest(world, strict_env) -> None:  # type: ignore[no-untyped-def]
    from alerts import run_weekly

    engine, ids = world
    run = run_weekly(engine=engine, settings=make_settings(str(engine.url)), as_of=scenario.AS_OF, now=scenario.NOW,
                     env=strict_env)
    assert (run.composed, run.all_clear, run.silent, run.already, run.delivery) == (3, 1, 1, 0, None)
    with Session(engine) as session:
        digests = {d.supervisor_id: d for d in session.exec(select(Digest)).all()}
        outbox = session.exec(select(OutboxMessage)).all()
    counts = digests[ids["alice"]].counts
    assert {k: counts[k] for k in ("missing", "late", "inconsistent", "errors", "findings", "corrected", "upcoming",
                                   "unreachable")} == {
        "missing": 1, "late": 1, "inconsistent": 1, "errors": 1, "findings": 2, "corrected": 1, "upcoming": 2,
        "unreachable": 1}
    assert counts["until"] == scenario.NOW.isoformat()
    assert len(outbox) == 3 and {m.status for m in outbox} == {"pending"}
    assert {m.to_addr for m in outbox} == {"alice@sys.example.cn", "bob@hg.example.cn", "dave@hg.example.cn"}


def test_long_sections_are_cut_with_a_pointer_to_the_pages(strict_env) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from alerts.compose import LIST_LIMIT, render_digest
    from alerts.content import DeadlineItem, DigestContent

    items = [DeadlineItem(f"o{i}", f"机构{i}", 2026, date(2027, 1, 31), 11, f"{BASE}/orgs/o{i}")
             for i in range(LIST_LIMIT + 5)]
    content = DigestContent(period="2027-W03", label="2027年第3周", since=scenario.NOW, until=scenario.NOW,
                            as_of=scenario.AS_OF, recipient_name=None, upcoming=items)
    rendered = render_digest(strict_env, content, home_url=BASE + "/")
    for body in (rendered.text, rendered.html):
        assert "另有 5 项未列出" in body
        assert f"/orgs/o{LIST_LIMIT - 1}\"" in body or f"/orgs/o{LIST_LIMIT - 1}\n" in body
        assert f"/orgs/o{LIST_LIMIT}\"" not in body and f"/orgs/o{LIST_LIMIT}\n" not in body
    assert rendered.subject.endswith("摘要：即将到期105")


def test_html_escapes_what_came_from_portals(strict_env) -> None:  # type: ignore[no-untyped-def]
    from alerts.compose import render_alert
    from alerts.content import FindingLine, ReportItem

    report = ReportItem(7, "o1", "<b>某局</b>", 2025, 1, None, 1, 0, scenario.NOW, f"{BASE}/reports/7",
                        f"{BASE}/orgs/o1", (FindingLine("A01", "error", "第一项<script>alert(1)</script>=3"),))
    rendered = render_alert(strict_env, report, recipient_name="王丽", home_url=BASE + "/")
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "&lt;b&gt;某局&lt;/b&gt;" in rendered.html
    assert "第一项<script>alert(1)</script>=3" in rendered.text  # plain text is not HTML-escaped
