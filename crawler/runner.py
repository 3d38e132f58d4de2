"""One crawl in this process: a CrawlRun row, the Scrapy crawl, the summary (in Chinese)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess

from crawler.config import scrapy_settings
from crawler.distributed import Worker, attach, join_crawl
from crawler.spiders.portals import PortalSpider
from db.engine import make_engine, session_scope
from db.fetches import finish_run, start_run
from nianbao.settings import Settings


@dataclass
class CrawlSummary:
    run_id: int
    finish_reason: str
    portals: int
    portals_done: int
    reports: int
    new_reports: int
    parse_failed: int
    store_failed: int = 0  # the database refused them; their bytes are in the document store
    errors: dict[str, str] = field(default_factory=dict)
    unregistered: dict[str, list[str]] = field(default_factory=dict)
    requests: int = 0
    elapsed_s: float = 0.0

    def stats(self) -> dict[str, Any]:
        return {"finish_reason": self.finish_reason, "portals": self.portals, "portals_done": self.portals_done,
                "reports": self.reports, "new_reports": self.new_reports, "parse_failed": self.parse_failed,
                "store_failed": self.store_failed, "portal_errors": len(self.errors), "requests": self.requests, "elapsed_s": round(self.elapsed_s, 2),
                "unregistered": self.unregistered}

    def text(self) -> str:
        lines = [f"抓取完成（第 {self.run_id} 次）：门户 {self.portals_done}/{self.portals}，"
                 f"报告 {self.reports} 份（新增 {self.new_reports} 份），无法解析 {self.parse_failed} 份，"
                 f"出错门户 {len(self.errors)} 个，请求 {self.requests} 次，用时 {self.elapsed_s:.1f} 秒"]
        if self.store_failed:
            lines.append(f"有 {self.store_failed} 份报告未能写入数据库（文档已保存，详见日志），下次抓取会重试")
        if self.finish_reason != "finished":
            lines.append(f"抓取未正常结束：{self.finish_reason}")
        for org_id, message in sorted(self.errors.items())[:20]:
            lines.append(f"  {org_id}：{message}")
        if len(self.errors) > 20:
            lines.append(f"  ……另有 {len(self.errors) - 20} 个门户出错")
        if self.unregistered:
            lines.append("名录中没有的机构发布的报告（请管理员核对）：")
            for name, urls in sorted(self.unregistered.items()):
                lines.append(f"  {name}：{'、'.join(urls[:3])}")
        return "\n".join(lines)


def run_crawl(settings: Settings, *, org_ids: Sequence[str] = (), overrides: dict[str, Any] | None = None,
              ) -> CrawlSummary:
    """Crawl (all or the named) portals; with NIANBAO_REDIS_URL, share the queue with other workers."""
    engine = make_engine(settings.db_url)
    with session_scope(engine) as session:
        run_id = start_run(session=session).id
    assert run_id is not None
    worker = None
    if settings.redis_url:
        worker = join_crawl(settings.redis_url)
    try:
        summary = _crawl(settings, run_id=run_id, org_ids=org_ids, overrides=overrides, worker=worker)
    finally:
        if worker is not None:
            worker.leave()
    status = "finished" if summary.finish_reason == "finished" else "interrupted"
    with session_scope(engine) as session:
        finish_run(session=session, run_id=run_id, status=status, stats=summary.stats())
    engine.dispose()
    return summary


def _quiet_libraries(level: int) -> None:
    """Scrapy sets its loggers to DEBUG; the CLI's level (WARNING, INFO with -v) applies to them too."""
    for name in ("scrapy", "twisted", "scrapy_playwright", "scrapy_redis", "py.warnings", "asyncio"):
        logging.getLogger(name).setLevel(level)


def _crawl(settings: Settings, *, run_id: int, org_ids: Sequence[str], overrides: dict[str, Any] | None,
           worker: Worker | None) -> CrawlSummary:
    crawl_settings = scrapy_settings(settings, run_id=run_id, org_ids=org_ids, overrides=overrides)
    crawl_settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(crawl_settings)
    _quiet_libraries(logging.getLogger().getEffectiveLevel())
    crawler = process.create_crawler(PortalSpider)
    if worker is not None:
        attach(crawler, worker)
    process.crawl(crawler)
    process.start()
    context = getattr(crawler, "_nianbao_context", None)
    if context is not None:
        context.close()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    spider = crawler.spider
    ledger = getattr(spider, "ledger", None)
    outcome = getattr(crawler, "nianbao_outcome", None)
    counts = outcome.counts if outcome else {}
    started, finished = stats.get("start_time"), stats.get("finish_time")
    return CrawlSummary(
        run_id=run_id, finish_reason=str(stats.get("finish_reason", "unknown")),
        portals=ledger.total if ledger else 0, portals_done=len(ledger.responded) if ledger else 0,
        reports=counts.get("reports", 0), new_reports=counts.get("new_reports", 0),
        parse_failed=counts.get("parse_failed", 0), store_failed=counts.get("store_failed", 0), errors=dict(ledger.errors) if ledger else {},
        unregistered={k: sorted(v) for k, v in outcome.unregistered.items()} if outcome else {},
        requests=int(stats.get("downloader/request_count", 0)),
        elapsed_s=(finished - started).total_seconds() if started and finished else 0.0,
    )
