"""Report pipeline: documents go in batches to worker processes that store, parse, validate, attribute and record."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections import Counter
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from scrapy.crawler import Crawler

from crawler.context import CrawlContext, context_for
from crawler.ingest import Ingested, Ingestor, ingest_in_worker, start_worker
from crawler.items import ReportItem

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What the pipeline did with the crawl's documents, for the summary."""

    counts: Counter[str] = field(default_factory=Counter)
    unregistered: dict[str, set[str]] = field(default_factory=dict)  # claimed name -> document URLs


class Batcher:
    """Collects items for up to `delay` seconds or `size` items and hands each batch to `run` at once:
    one transaction and one trip to a worker per batch, not per document."""

    def __init__(self, run: Callable[[list[ReportItem]], Awaitable[list[Ingested]]], *, size: int,
                 delay: float) -> None:
        self.run = run
        self.size = size
        self.delay = delay
        self._pending: list[tuple[ReportItem, asyncio.Future[Ingested]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def add(self, item: ReportItem) -> Ingested:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Ingested] = loop.create_future()
        self._pending.append((item, future))
        if len(self._pending) >= self.size:
            self._flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.delay, self._flush)
        return await future

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._pending = self._pending, []
        if batch:
            task = asyncio.ensure_future(self._deliver(batch))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _deliver(self, batch: list[tuple[ReportItem, asyncio.Future[Ingested]]]) -> None:
        try:
            results = await self.run([item for item, _ in batch])
        except Exception as exc:  # each item's process_item raises it: Scrapy logs it per item
            for _, future in batch:
                future.set_exception(exc)
            return
        for (_, future), result in zip(batch, results):
            future.set_result(result)


class ReportPipeline:
    """Parsing a PDF and writing its report must not stall the downloads: both happen in worker processes."""

    def __init__(self, crawler: Crawler, context: CrawlContext, workers: int = 0, batch: int = 16) -> None:
        self.crawler = crawler
        self.context = context
        self.outcome = Outcome()
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.ingestor: Ingestor | None = None  # in this process when there are no workers
        self.batcher = Batcher(self._ingest, size=batch, delay=0.05)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReportPipeline:
        context = context_for(crawler)
        default = min(4, os.cpu_count() or 1)
        pipeline = cls(crawler, context, crawler.settings.getint("NIANBAO_PARSE_WORKERS", default),
                       crawler.settings.getint("NIANBAO_INGEST_BATCH", 16))
        crawler.nianbao_outcome = pipeline.outcome  # type: ignore[attr-defined]  # read by `nianbao crawl`
        return pipeline

    def open_spider(self) -> None:
        if self.workers > 0:
            self.pool = self._start_pool()

    def _start_pool(self) -> ProcessPoolExecutor:
        # spawn: the crawler process has threads (reactor, resolver), which fork does not copy safely.
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=start_worker,
                                   initargs=(self.context.engine.url.render_as_string(hide_password=False),
                                             str(self.context.store.root), self.context.run_id))

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    async def process_item(self, item: ReportItem) -> ReportItem:
        self._count(item, await self.batcher.add(item))
        return item

    def store(self, item: ReportItem) -> None:
        """Ingest one item in this thread (tests, small crawls)."""
        self._count(item, self._local().ingest([item])[0])

    def _local(self) -> Ingestor:
        if self.ingestor is None:
            self.ingestor = Ingestor(self.context.engine, self.context.store, self.context.run_id)
        return self.ingestor

    async def _ingest(self, items: list[ReportItem]) -> list[Ingested]:
        if self.pool is None:
            return await asyncio.to_thread(self._local().ingest, items)
        pool = self.pool
        try:
            return await asyncio.wrap_future(pool.submit(ingest_in_worker, items))
        except BrokenProcessPool:
            # A worker died (killed, out of memory, a crash in a native parser): new workers, one more try.
            log.error("解析进程意外退出，重启后重试 %d 份文档", len(items))
            if self.pool is pool:  # the first batch to notice restarts the pool
                pool.shutdown(wait=False, cancel_futures=False)
                self.pool = self._start_pool()
            return await asyncio.wrap_future(self.pool.submit(ingest_in_worker, items))

    def _count(self, item: ReportItem, result: Ingested) -> None:
        if result.failure is not None:
            self.outcome.counts["parse_failed" if result.saved else "store_failed"] += 1
            return
        self.outcome.counts["reports"] += 1
        self.outcome.counts["new_reports" if result.new else "known_reports"] += 1
        if result.org_id is None:
            self.outcome.unregistered.setdefault(result.claimed_org or "（未署名）", set()).add(item.url)
        spider = self.crawler.spider
        if spider is not None and hasattr(spider, "ledger"):
            spider.ledger.found_report(item.portal_org)
