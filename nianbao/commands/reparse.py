"""`nianbao reparse [--year Y]`: parse stored documents again with the current parser, keeping history."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

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
    from db.store import DocumentStore

    read, version = _parser()
    store = DocumentStore(settings.document_dir)
    engine = open_database(settings.db_url)
    try:
        total, changed, failed = _reparse_reports(engine, store, read, version, args.year)
        recovered, still_failing = _retry_failed(engine, store, read, version)
    finally:
        engine.dispose()
    for line in failed:
        print(f"失败 {line}", file=sys.stderr)
    print(f"重新解析 {total} 份报告：结果变化 {changed} 份，未变 {total - changed - len(failed)} 份，失败 {len(failed)} 份；"
          f"此前无法解析的文档新识别 {recovered} 份，仍无法解析 {still_failing} 份")
    return 0


def _reparse_reports(engine: Any, store: Any, read: Any, version: str | None, year: int | None) -> tuple[int, int, list[str]]:
    from db.engine import session_scope
    from db.reparse import reparse_report, report_ids

    changed, failed = 0, []
    with session_scope(engine) as session:
        ids = report_ids(session=session, year=year)
    for start in range(0, len(ids), BATCH):
        with session_scope(engine) as session:
            for report_id in ids[start:start + BATCH]:
                try:
                    with session.begin_nested():
                        changed += reparse_report(session=session, store=store, report_id=report_id, read=read,
                                                  parser_version=version)
                except (DocumentError, NotFound) as exc:
                    failed.append(f"报告 {report_id}：{exc}")
    return len(ids), changed, failed


def _retry_failed(engine: Any, store: Any, read: Any, version: str | None) -> tuple[int, int]:
    """Documents no parser could read so far (whatever their year): the ones read now become reports."""
    from db.engine import session_scope
    from db.reparse import failed_documents, retry_failed

    with session_scope(engine) as session:
        candidates = failed_documents(session=session)
    recovered = 0
    for sha256, org_id, url in candidates:
        try:
            with session_scope(engine) as session:
                retry_failed(session=session, store=store, sha256=sha256, org_id=org_id, url=url, read=read,
                             parser_version=version)
            recovered += 1
        except (DocumentError, NotFound):
            continue
    return recovered, len(candidates) - recovered
