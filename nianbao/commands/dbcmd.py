"""`nianbao db upgrade|current`: apply migrations, or show the schema revision."""

from __future__ import annotations

import argparse

from nianbao.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    sub.add_parser("upgrade", help="把数据库升级到最新结构")
    sub.add_parser("current", help="显示数据库当前的结构版本")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from db.database import open_database
    from db.migrate import current_revision, head_revision

    engine = open_database(settings.db_url, migrate=args.db_command == "upgrade")
    try:
        current = current_revision(engine)
    finally:
        engine.dispose()
    head = head_revision()
    if args.db_command == "upgrade":
        print(f"数据库已是最新结构（版本 {current}）")
        return 0
    state = "最新" if current == head else f"待升级，最新为 {head}"
    print(f"当前结构版本：{current or '（空库）'}（{state}）")
    return 0
