"""`nianbao status --year Y [--as-of DATE] [--json]`: compliance per organisation, with a summary.

`--json` prints one object: {"schema": "nianbao.status/1", "year", "as_of", "recomputed",
"summary": {"total", "by_status": {status: n}, "by_kind": {kind: {status: n}}, "by_region": {city code: {status: n}}},
"organisations": [{"org_id", "name", "kind", "level", "region_code", "parent_id", "status", "report_id",
"deadline", "reasons": [{"rule", "severity", "message", ...}]}]}. Statuses: ok, inconsistent, late, missing, not_due.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from nianbao.errors import ConfigError
from nianbao.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from monitor.status_view import StatusView


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


def _view(engine: Engine, *, year: int, as_of: date, recompute: bool) -> StatusView:
    from db.engine import read_connection

    with read_connection(engine) as conn:
        if recompute:
            from monitor.status_redo import computed_view

            return computed_view(conn, year=year, as_of=as_of)
        from monitor.status_view import status_view

        return status_view(conn=conn, year=year, as_of=as_of)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy.exc import NoSuchTableError, OperationalError, ProgrammingError

    from db.database import open_database
    from monitor.summary import write_json, write_text

    as_of = args.as_of or datetime.now(ZoneInfo(settings.timezone)).date()
    year = args.year or as_of.year - 1
    # Read-only: no migration here (and no Alembic import, a quarter of the answer time on 30,000 bodies);
    # the usual answer imports no SQLModel class either (monitor.status_view reflects the tables it reads).
    engine = open_database(settings.db_url, migrate=False)
    try:
        view = _view(engine, year=year, as_of=as_of, recompute=args.recompute)
    except (OperationalError, ProgrammingError, NoSuchTableError):
        raise ConfigError("数据库结构不是最新或尚未建立，请先运行 nianbao db upgrade") from None
    finally:
        engine.dispose()
    if view.recomputed and not args.recompute:
        print("nianbao: 上次刷新后有新的抓取或名录变更，已全部重新计算", file=sys.stderr)
    (write_json if args.json else write_text)(view, sys.stdout)
    return 0
