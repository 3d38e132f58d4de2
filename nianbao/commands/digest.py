"""`nianbao digest [--as-of DATE] [--send | --outbox DIR]`: compose the week's digests into the outbox, then send
them by SMTP or write them as .eml files (the same stored messages either way)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from nianbao.errors import ConfigError
from nianbao.settings import Settings


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{value}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=_date, dest="as_of", metavar="DATE", help="摘要日期 YYYY-MM-DD，决定所属的 ISO 周（默认：今天，北京时间）")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--send", action="store_true", help="通过 SMTP（NIANBAO_SMTP_URL）发送待发邮件")
    target.add_argument("--outbox", type=Path, metavar="DIR", help="把本期摘要写成 .eml 文件到 DIR，不发送")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from alerts import run_weekly
    from alerts.outbox import write_eml
    from alerts.period import week_label
    from db.database import open_database
    from db.engine import read_session

    if args.send and settings.smtp is None:
        raise ConfigError("未配置 NIANBAO_SMTP_URL，无法发送摘要邮件")
    as_of = args.as_of or datetime.now(ZoneInfo(settings.timezone)).date()
    engine = open_database(settings.db_url)
    try:
        run_result = run_weekly(engine=engine, settings=settings, as_of=as_of, deliver=args.send)
        label = week_label(run_result.period)
        print(f"{label}（{run_result.period}）：新生成摘要 {run_result.composed} 份（其中一切正常 "
              f"{run_result.all_clear} 份），无事不发 {run_result.silent} 人，此前已生成 {run_result.already} 份")
        for line in run_result.errors:
            print(f"nianbao: {line}", file=sys.stderr)
        if args.outbox is not None:
            with read_session(engine) as session:
                paths = write_eml(session=session, period=run_result.period, directory=args.outbox)
            print(f"已写出 {len(paths)} 封邮件到 {args.outbox}")
        delivery = run_result.delivery
        if delivery is None:
            return 1 if run_result.errors else 0
        print(f"发送成功 {delivery.sent} 封，稍后重试 {delivery.retrying} 封，放弃 {delivery.failed} 封")
        for line in delivery.errors:
            print(f"nianbao: {line}", file=sys.stderr)
        return 1 if delivery.errors or run_result.errors else 0
    finally:
        engine.dispose()
