"""`nianbao reports [--year Y] [--json]`: the newest version of each stored report."""

from __future__ import annotations

import argparse
import json
from typing import Any

from nianbao.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, help="统计年度（默认：全部年度）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出到标准输出")


def report_rows(*, session: Any, year: int | None) -> list[dict[str, Any]]:
    """One dict per latest report version: what `nianbao reports --json` prints."""
    from db.reports import findings_for, latest_reports

    reports = latest_reports(session=session, year=year)
    findings = findings_for(session=session, report_ids=[r.id for r in reports if r.id is not None])
    return [
        {
            "org_id": r.org_id, "year": r.year, "version": r.version, "url": r.source_url, "page_url": r.page_url,
            "published_on": r.published_on.isoformat() if r.published_on else None,
            "published_source": r.published_source, "template": r.template, "title": r.title,
            "errors": r.error_count, "warnings": r.warning_count,
            "findings": [f.rule for f in findings.get(r.id, [])],  # type: ignore[arg-type]
        }
        for r in reports
    ]


def _text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "没有已存储的年度报告"
    lines = [f"{'机构':<16}年度  版本  发布日期    模板  问题"]
    for row in rows:
        rules = "、".join(row["findings"]) or "无"
        lines.append(f"{row['org_id'] or '（未登记）':<16}{row['year'] or '?':<6}{row['version']:<6}"
                     f"{row['published_on'] or '—':<12}{row['template'] or '?':<6}{rules}")
        lines.append(f"    {row['url'] or ''}")
    lines.append(f"共 {len(rows)} 份")
    return "\n".join(lines)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from db.database import open_database
    from db.engine import read_session

    engine = open_database(settings.db_url)
    try:
        with read_session(engine) as session:
            rows = report_rows(session=session, year=args.year)
    finally:
        engine.dispose()
    print(json.dumps(rows, ensure_ascii=False, indent=2) if args.json else _text(rows))
    return 0
