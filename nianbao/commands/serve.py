"""`nianbao serve`: the background service (scheduled crawls, status refresh, digests) and the status pages."""

from __future__ import annotations

import argparse
import logging
import threading
from typing import TYPE_CHECKING

from nianbao.settings import Settings

if TYPE_CHECKING:
    from monitor.service_config import ServiceConfig


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--listen", help="页面监听地址 主机:端口（默认：NIANBAO_LISTEN）")
    parser.add_argument("--no-web", action="store_true", help="只运行定时任务，不提供页面")
    parser.add_argument("--season-crawl", metavar="CRON", help="1–4 月抓取时间（crontab，默认每天 02:00）")
    parser.add_argument("--offseason-crawl", metavar="CRON", help="其余月份抓取时间（crontab，默认每周一 02:00）")
    parser.add_argument("--status-refresh", metavar="CRON", help="合规状态刷新时间（crontab，默认每天 00:30）")
    parser.add_argument("--weekly-digest", metavar="CRON", help="每周摘要时间（crontab，默认周一 08:00）")
    parser.add_argument(
        "--crawl-target",
        metavar="MODULE:FUNC",
        help="抓取方式：subprocess（默认，子进程运行 nianbao crawl）或 模块:函数(settings)",
    )


def _config(args: argparse.Namespace, settings: Settings) -> ServiceConfig:
    from monitor.service_config import ServiceConfig

    if args.listen:
        settings = settings.model_copy(update={"listen": args.listen})
    return ServiceConfig.from_settings(
        settings,
        season_crawl=args.season_crawl,
        offseason_crawl=args.offseason_crawl,
        status_refresh=args.status_refresh,
        weekly_digest=args.weekly_digest,
        crawl_target=args.crawl_target,
        web=False if args.no_web else None,
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from db.database import open_database
    from monitor.logs import configure_json_logging
    from monitor.serve_app import create_service_app
    from monitor.service import Service, stop_on_signals

    configure_json_logging(logging.DEBUG if args.verbose else logging.INFO)
    config = _config(args, settings)
    engine = open_database(settings.db_url)
    stop = threading.Event()
    stop_on_signals(stop)
    service = Service(settings=settings, config=config, engine=engine)
    service.start()
    try:
        if config.web:
            server = uvicorn.Server(
                uvicorn.Config(
                    create_service_app(service), host=config.host, port=config.port, log_config=None, access_log=False
                )
            )
            server.run()
        else:
            while not stop.wait(1.0):
                pass
    finally:
        service.stop()
        engine.dispose()
    return 0
