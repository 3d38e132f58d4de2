"""`nianbao status --year Y [--as-of DATE] [--json]`: compliance per organisation, with a summary."""

from __future__ import annotations

import argparse
import json
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
    from monitor.compliance import compute_statuses, statuses_as_of
    from monitor.evidence import load_orgs
    from monitor.summary import status_document, status_text

    as_of = args.as_of or datetime.now(ZoneInfo(settings.timezone)).date()
    year = args.year or as_of.year - 1
    engine = open_database(settings.db_url)
    try:
        with read_session(engine) as session:
            compute = compute_statuses if args.recompute else statuses_as_of
            statuses = compute(session=session, year=year, as_of=as_of)
            orgs = load_orgs(session=session)
    finally:
        engine.dispose()
    doc = status_document(statuses, orgs, year=year, as_of=as_of)
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(status_text(doc))
    return 0
