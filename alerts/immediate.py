"""Immediate alerts: a newly found report with an error-level finding, mailed within the hour to those who asked."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email.headerregistry import Address

from jinja2 import Environment
from sqlmodel import Session, col, select

from alerts.collect import new_reports
from alerts.compose import BadAddress, build_message, mailbox, make_environment, message_id_for, render_alert
from alerts.content import Links, ReportItem
from alerts.digest import ALERT_PREFIX
from alerts.outbox import Planned
from alerts.period import utcnow
from alerts.scope import OrgTree, Recipient, load_recipients
from db.models import Digest, Supervisor
from nianbao.settings import Settings

log = logging.getLogger(__name__)
# Hourly runs look back a day, so a missed run or a restart loses nothing; the period key keeps it once.
LOOKBACK = timedelta(hours=24)


def alert_period(report_id: int) -> str:
    return f"{ALERT_PREFIX}{report_id}"


def plan_alerts(*, session: Session, settings: Settings, now: datetime | None = None,
                env: Environment | None = None) -> list[Planned]:
    """One alert per (supervisor with immediate_alerts, new report with errors in their subtrees), not sent before."""
    now = now or utcnow()
    wanted = {i for i in session.exec(select(Supervisor.id).where(col(Supervisor.immediate_alerts))).all() if i is not None}
    if not wanted:
        return []
    tree = OrgTree.load(session)
    links = Links(settings.base_url)
    reports = new_reports(session=session, tree=tree, links=links, since=now - LOOKBACK, until=now, corrected=False)
    if not reports:
        return []
    periods = {alert_period(r.report_id) for r in reports}
    done = set(session.exec(select(Digest.supervisor_id, Digest.period).where(col(Digest.period).in_(periods))).all())
    env = env or make_environment(timezone=settings.timezone)
    planned = []
    for recipient in load_recipients(session=session, tree=tree, ids=wanted):
        try:
            to = mailbox(recipient.email, recipient.name)
        except BadAddress as exc:  # recorded and skipped; retried next hour once the address is fixed
            log.warning("immediate alerts for supervisor %s skipped: %s", recipient.id, exc)
            continue
        for report in sorted(reports, key=lambda r: r.report_id):
            period = alert_period(report.report_id)
            if (recipient.id, period) in done:
                continue
            if recipient.visible is not None and report.org_id not in recipient.visible:
                continue
            planned.append(_alert(settings, env, links, recipient, to, report, now))
    return planned


def _alert(settings: Settings, env: Environment, links: Links, recipient: Recipient, to: Address,
           report: ReportItem, now: datetime) -> Planned:
    period = alert_period(report.report_id)
    rendered = render_alert(env, report, recipient_name=recipient.name, home_url=links.base + "/")
    message = build_message(
        settings=settings, rendered=rendered, to=to,
        message_id=message_id_for(settings=settings, supervisor_id=recipient.id, period=period),
        date=now, period=period,
    )
    counts = {"errors": report.error_count, "warnings": report.warning_count, "report_id": report.report_id}
    return Planned(recipient.id, to.addr_spec, period, rendered.subject, counts, message, now)
