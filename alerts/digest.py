"""Weekly digests: decide per supervisor what to say for the period, once, and put it in the outbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment
from sqlalchemy import func
from sqlmodel import Session, col, select

from alerts.collect import Facts, load_facts
from alerts.compose import BadAddress, build_message, mailbox, make_environment, message_id_for, render_digest
from alerts.content import DigestContent, Links
from alerts.outbox import Planned, enqueue
from alerts.period import WEEK, as_of_day, cutoff, iso_week, utcnow, week_label
from alerts.scope import OrgTree, Recipient, load_recipients
from db.models import Digest
from nianbao.settings import Settings

ALERT_PREFIX = "alert-"


@dataclass(slots=True)
class Plan:
    period: str
    digests: list[Planned] = field(default_factory=list)
    already: int = 0  # supervisors who have this period's digest already
    errors: list[str] = field(default_factory=list)  # one Chinese line per supervisor who could not be composed


def _window_starts(session: Session, recipients: list[Recipient], until: datetime) -> dict[int, datetime]:
    """Each supervisor's window starts where their previous weekly digest ended (else a week before `until`)."""
    latest = (select(func.max(Digest.id)).where(~col(Digest.period).startswith(ALERT_PREFIX))
              .group_by(col(Digest.supervisor_id)))
    previous: dict[int, Any] = dict(session.exec(
        select(Digest.supervisor_id, Digest.counts).where(col(Digest.id).in_(latest.scalar_subquery()))).all())
    starts = {}
    for recipient in recipients:
        since = until - WEEK
        ended = (previous.get(recipient.id) or {}).get("until")
        if ended:
            moment = datetime.fromisoformat(ended)
            if moment < until:
                since = moment
        starts[recipient.id] = since
    return starts


def digest_content(facts: Facts, recipient: Recipient, *, period: str, since: datetime) -> DigestContent:
    visible = recipient.visible
    news = facts.status_news(visible, since)
    errors, corrected = facts.report_news(visible, since)
    # A new report with errors also turns its body inconsistent: list it once, with its findings.
    listed = {item.report_id for item in errors + corrected}
    inconsistent = [item for item in news["inconsistent"] if item.report_id not in listed]
    return DigestContent(
        period=period, label=week_label(period), since=since, until=facts.until, as_of=facts.as_of,
        recipient_name=recipient.name, missing=news["missing"], late=news["late"], inconsistent=inconsistent,
        errors=errors, corrected=corrected,
        upcoming=facts.deadlines(visible), unreachable=facts.portals(visible),
    )


def plan_digests(*, session: Session, settings: Settings, as_of: date | datetime, now: datetime | None = None,
                 env: Environment | None = None) -> Plan:
    """Compose (in memory) the period's digest of every supervisor who does not have it yet."""
    tz = ZoneInfo(settings.timezone)
    now = now or utcnow()
    day = as_of_day(as_of, tz)
    plan = Plan(period=iso_week(day))
    until = cutoff(as_of, tz=tz, now=now)
    tree = OrgTree.load(session)
    done = set(session.exec(select(Digest.supervisor_id).where(Digest.period == plan.period)).all())
    # A supervisor with no organisations (no scope yet) gets nothing, not a misleading 一切正常.
    recipients = [r for r in load_recipients(session=session, tree=tree) if r.visible is None or r.visible]
    todo = [r for r in recipients if r.id not in done]
    plan.already = len(recipients) - len(todo)
    if not todo:
        return plan
    starts = _window_starts(session, todo, until)
    links = Links(settings.base_url)
    facts = load_facts(session=session, tree=tree, links=links, since=min(starts.values()), until=until, as_of=day)
    env = env or make_environment(timezone=settings.timezone)
    for recipient in todo:
        content = digest_content(facts, recipient, period=plan.period, since=starts[recipient.id])
        try:
            plan.digests.append(_planned(settings, env, recipient, content, now))
        except BadAddress as exc:  # this supervisor is retried next run, once the address is fixed
            plan.errors.append(f"监督人员 {recipient.id}：{exc}")
    return plan


def _planned(settings: Settings, env: Environment, recipient: Recipient, content: DigestContent, now: datetime) -> Planned:
    rendered = render_digest(env, content, home_url=Links(settings.base_url).base + "/")
    counts: dict[str, Any] = {**content.counts(), "since": content.since.isoformat(), "until": content.until.isoformat()}
    silent = content.empty and not recipient.send_all_clear
    counts["all_clear"] = content.empty
    counts["silent"] = silent  # decided and recorded, so the period stays "done", but nothing is mailed
    to = mailbox(recipient.email, recipient.name)
    message = None
    if not silent:
        message = build_message(
            settings=settings, rendered=rendered, to=to,
            message_id=message_id_for(settings=settings, supervisor_id=recipient.id, period=content.period),
            date=now, period=content.period,
        )
    return Planned(recipient.id, to.addr_spec, content.period, rendered.subject, counts, message, now)


def compose_digests(*, session: Session, settings: Settings, as_of: date | datetime, now: datetime | None = None,
                    env: Environment | None = None) -> list[Digest]:
    """Compose and enqueue every missing digest of the period in the caller's transaction."""
    plan = plan_digests(session=session, settings=settings, as_of=as_of, now=now, env=env)
    return [enqueue(session=session, planned=planned) for planned in plan.digests]
