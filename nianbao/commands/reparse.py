"""`nianbao reparse [--year Y]`: parse stored documents again with the current parser, keeping history."""

from __future__ import annotations

import argparse
import logging
import sys

from nianbao.errors import DocumentError, NianbaoError, NotFound
from nianbao.settings import Settings

log = logging.getLogger(__name__)
BATCH = 50  # short transactions: the crawler and the pages keep working meanwhile


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, help="只重新解析该年度的报告")


def _parser() -> tuple[object, str | None]:
    try:
        from crawler.report import read_report
    except ImportError:
        raise NianbaoError("解析器不可用：crawler.report.read_report 无法导入") from None
    import crawler.report as package

    return read_report, getattr(package, "PARSER_VERSION", None)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from db.database import open_database
    from db.engine import session_scope
    from db.reparse import reparse_report, report_ids
    from db.store import DocumentStore

    read, version = _parser()
    store = DocumentStore(settings.document_dir)
    engine = open_database(settings.db_url)
    changed = unchanged = 0
    failed: list[str] = []
    try:
        with session_scope(engine) as session:
            ids = report_ids(session=session, year=args.year)
        for start in range(0, len(ids), BATCH):
            with session_scope(engine) as session:
                for report_id in ids[start:start + BATCH]:
                    try:
                        with session.begin_nested():
                            if reparse_report(session=session, store=store, report_id=report_id, read=read,  # type: ignore[arg-type]
                                              parser_version=version):
                                changed += 1
                            else:
                                unchanged += 1
                    except (DocumentError, NotFound) as exc:
                        failed.append(f"报告 {report_id}：{exc}")
    finally:
        engine.dispose()
    for line in failed:
        print(f"失败 {line}", file=sys.stderr)
    print(f"重新解析 {len(ids)} 份报告：结果变化 {changed} 份，未变 {unchanged} 份，失败 {len(failed)} 份")
    return 0
