"""`nianbao status --year Y [--as-of DATE] [--json]`: compliance per organisation, with a summary."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

from nianbao.settings import Settings


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{value}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, help="报告年度（默认：截至日期的上一年）")
    parser.add_argument("--as-of", type=_date, dest="as_of", help="截至日期 YYYY-MM-DD（默认：今天，北京时间）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出到标准输出")
    parser.add_argument("--recompute", action="store_true", help="不使用上次刷新的结果，全部重新计算")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from db.database import open_database
    from db.engine import read_session
    from monitor.compliance import compute_statuses
    from monitor.evidence import load_orgs
    from monitor.status_view import StatusView, from_statuses, status_view
    from monitor.summary import write_json, write_text

    as_of = args.as_of or datetime.now(ZoneInfo(settings.timezone)).date()
    year = args.year or as_of.year - 1
    engine = open_database(settings.db_url)
    try:
        with read_session(engine) as session:
            if args.recompute:
                statuses = compute_statuses(session=session, year=year, as_of=as_of)
                orgs = {o.id: o for o in load_orgs(session=session, aliases=False)}
                view = StatusView(year, as_of, from_statuses(statuses, orgs), True)
            else:
                view = status_view(session=session, year=year, as_of=as_of)
    finally:
        engine.dispose()
    if view.recomputed and not args.recompute:
        print("nianbao: 上次刷新后有新的抓取或名录变更，已全部重新计算", file=sys.stderr)
    (write_json if args.json else write_text)(view, sys.stdout)
    return 0
