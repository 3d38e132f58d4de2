"""Scrapy settings for one crawl, from nianbao's typed Settings (read once in the CLI) and the run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scrapy.settings import Settings as ScrapySettings

from nianbao.settings import Settings

REDIS_SCHEDULER = {
    "SCHEDULER": "crawler.distributed.SharedScheduler",
    "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
    # Kept across processes; crawler.distributed clears them when the first worker of a crawl joins.
    "SCHEDULER_PERSIST": True,
    "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
    "SCHEDULER_QUEUE_KEY": "nianbao:%(spider)s:requests",
    "SCHEDULER_DUPEFILTER_KEY": "nianbao:%(spider)s:dupefilter",
}


def scrapy_settings(settings: Settings, *, run_id: int | None, org_ids: Sequence[str] = (),
                    overrides: dict[str, Any] | None = None) -> ScrapySettings:
    """The crawler's settings module, then this run's values, then `-s NAME=VALUE` overrides."""
    result = ScrapySettings()
    result.setmodule("crawler.settings", priority="project")
    values: dict[str, Any] = {
        "USER_AGENT": settings.user_agent,
        "ROBOTSTXT_USER_AGENT": "nianbao",
        "DOWNLOAD_MAXSIZE": settings.max_document_mb * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 0,
        "NIANBAO_DB_URL": settings.db_url,
        "NIANBAO_DATA_DIR": str(settings.data_dir),
        "NIANBAO_RUN_ID": run_id or 0,
        "NIANBAO_ORG_IDS": list(org_ids),
        "NIANBAO_ALLOW_PRIVATE_HOSTS": settings.allow_private_hosts,
    }
    if settings.redis_url:
        values.update(REDIS_SCHEDULER, REDIS_URL=settings.redis_url)
        # An idle worker stays while the shared crawl has work (crawler.distributed.SharedIdle).
        values["EXTENSIONS"] = {**result.getdict("EXTENSIONS"), "crawler.distributed.SharedIdle": 400}
    result.setdict(values, priority="cmdline")
    for name, value in (overrides or {}).items():
        result.set(name, value, priority="cmdline")
    if not result.getbool("NIANBAO_BROWSER"):
        result.set("DOWNLOAD_HANDLERS", {}, priority="cmdline")
    return result
