"""`nianbao registry import FILE.csv`: add or update organisations and supervisors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nianbao.errors import RegistryError
from nianbao.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="registry_command", required=True, metavar="ACTION")
    imp = sub.add_parser("import", help="导入机构名录 CSV（UTF-8 或 GBK，可重复导入）")
    imp.add_argument("file", type=Path, help="名录 CSV 文件")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from db.database import open_database
    from db.engine import session_scope
    from db.registry import import_registry

    try:
        data = args.file.read_bytes()
    except FileNotFoundError:
        raise RegistryError(f"名录文件不存在：{args.file}") from None
    except OSError as exc:
        raise RegistryError(f"无法读取名录文件 {args.file}：{exc.strerror}") from None
    engine = open_database(settings.db_url)
    try:
        with session_scope(engine) as session:
            result = import_registry(session=session, data=data)
    finally:
        engine.dispose()
    for error in result.errors:
        print(f"错误 {error}", file=sys.stderr)
    print(result.summary())
    return 0
