"""Crawl stand-ins the service calls by import path in tests (`crawl_target`): real database writes, no portals."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from crawler.report.model import Report
from db.engine import make_engine, session_scope
from db.models import CrawlRun
from nianbao.settings import Settings
from tests.monitor.factory import store_report

# (org id, report, first seen, page date): what the portals publish, by date, for scripted_crawl.
PLAN: list[tuple[str, Report, date, date | None]] = []


def count_crawl(settings: Settings) -> None:
    """A crawl that only records that it ran (one CrawlRun row)."""
    engine = make_engine(settings.db_url)
    with session_scope(engine) as session:
        session.add(CrawlRun(status="finished"))
    engine.dispose()


def scripted_crawl(settings: Settings) -> None:
    """A crawl that finds every planned report published by today (Beijing time)."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    engine = make_engine(settings.db_url)
    with session_scope(engine) as session:
        session.add(CrawlRun(status="finished"))
        for org_id, report, seen, page_date in PLAN:
            if seen <= today:
                store_report(session, org_id=org_id, report=report, seen=seen, page_date=page_date)
    engine.dispose()


def crawl_until_stopped(settings: Settings) -> None:
    """A long crawl: runs until the service is asked to stop (at most 20 s), then gives up like a crawl child."""
    from monitor.jobs import current

    count_crawl(settings)
    if current().stopping.wait(20):
        raise RuntimeError("服务停止，抓取已中断")
