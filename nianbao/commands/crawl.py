"""`nianbao crawl [--org ID]...`: crawl the registered portals in this process, then print a summary."""

from __future__ import annotations

import argparse
from typing import Any

from nianbao.errors import ConfigError, NotFound
from nianbao.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--org", action="append", default=[], metavar="ID", help="只抓取该机构的门户（可重复）")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="覆盖一项 Scrapy 设置（同 scrapy -s），可重复")
    parser.add_argument("--no-browser", action="store_true", help="不使用 Chromium（需要浏览器的页面将找不到报告）")


def _overrides(pairs: list[str], no_browser: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ConfigError(f"设置应写成 NAME=VALUE：{pair}")
        values[name.strip()] = value
    if no_browser:
        values["NIANBAO_BROWSER"] = False
    return values


def _check_orgs(engine: Any, org_ids: list[str]) -> None:
    from sqlmodel import Session, select

    from db.models import Org

    if not org_ids:
        return
    with Session(engine) as session:
        found = set(session.exec(select(Org.id).where(Org.id.in_(org_ids))).all())  # type: ignore[attr-defined]
    missing = [o for o in org_ids if o not in found]
    if missing:
        raise NotFound(f"名录中没有机构：{'、'.join(missing)}")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from crawler.runner import run_crawl
    from db.database import open_database

    overrides = _overrides(args.set, args.no_browser)
    engine = open_database(settings.db_url)
    try:
        _check_orgs(engine, args.org)
    finally:
        engine.dispose()
    summary = run_crawl(settings, org_ids=args.org, overrides=overrides)
    print(summary.text())
    return 0 if summary.finish_reason in ("finished", "shutdown") else 1
