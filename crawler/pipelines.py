"""Report pipeline: store the bytes, parse and validate, attribute, record the report version."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from scrapy.crawler import Crawler

from crawler.attribution import Attribution, OrgDirectory
from crawler.context import CrawlContext, context_for
from crawler.items import ReportItem
from crawler.parsing import parse
from crawler.report import PARSER_VERSION
from crawler.report.model import Report as ParsedReport
from crawler.state import load_directory
from db.engine import session_scope
from db.fetches import record_fetch
from db.models import utcnow
from db.reports import record_document, record_report


@dataclass
class Outcome:
    """What the pipeline did with the crawl's documents, for the summary."""

    counts: Counter[str] = field(default_factory=Counter)
    unregistered: dict[str, set[str]] = field(default_factory=dict)  # claimed name -> document URLs


def _file_name(url: str) -> str | None:
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return name or None


class ReportPipeline:
    """Runs in worker threads: parsing a PDF must not stall the downloads."""

    def __init__(self, crawler: Crawler, context: CrawlContext, directory: OrgDirectory, workers: int = 0) -> None:
        self.crawler = crawler
        self.context = context
        self.directory = directory
        self.outcome = Outcome()
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReportPipeline:
        context = context_for(crawler)
        default = min(4, max(1, (os.cpu_count() or 2) - 1))
        workers = crawler.settings.getint("NIANBAO_PARSE_WORKERS", default)
        pipeline = cls(crawler, context, load_directory(context.engine), workers)
        crawler.nianbao_outcome = pipeline.outcome  # type: ignore[attr-defined]  # read by `nianbao crawl`
        return pipeline

    def open_spider(self) -> None:
        if self.workers > 0:
            # spawn: the crawler process has threads (reactor, resolver), which fork does not copy safely.
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    async def process_item(self, item: ReportItem) -> ReportItem:
        name = _file_name(item.url)
        if self.pool is not None:
            loop = asyncio.get_running_loop()
            parsed = await loop.run_in_executor(self.pool, parse, item.body, name, item.media_type)
        else:
            parsed = await asyncio.to_thread(parse, item.body, name, item.media_type)
        await asyncio.to_thread(self.record, item, *parsed)
        return item

    def store(self, item: ReportItem) -> None:
        """Parse and record in this thread (tests, small crawls)."""
        self.record(item, *parse(item.body, _file_name(item.url), item.media_type))

    def record(self, item: ReportItem, parsed: ParsedReport | None, failure: str | None) -> None:
        """Record document and report in one transaction, or the document and its failed parse."""
        seen_at = utcnow()
        if parsed is None:
            self._failed_parse(item, failure or "无法读取")
            return
        attribution = self.directory.attribute(title=item.title or parsed.title or "", text_org=parsed.org,
                                               text_year=parsed.year, portal_org=item.default_org)
        with session_scope(self.context.engine) as session:
            document = record_document(session=session, store=self.context.store, data=item.body,
                                       media_type=item.media_type, source_url=item.url, seen_at=seen_at)
            row = record_report(session=session, org_id=attribution.org_id, document=document, report=parsed,
                                source_url=item.url, page_url=item.page_url, published_on=item.published_on,
                                published_source="page" if item.published_on else None, seen_at=seen_at,
                                year=attribution.year, parser_version=PARSER_VERSION)
            if attribution.org_id is None and attribution.claimed_org and row.claimed_org != attribution.claimed_org:
                row.claimed_org = attribution.claimed_org
                session.add(row)
            new = row.first_seen_at == seen_at
        self._count(item, attribution, new=new)

    def _count(self, item: ReportItem, attribution: Attribution, *, new: bool) -> None:
        self.outcome.counts["reports"] += 1
        self.outcome.counts["new_reports" if new else "known_reports"] += 1
        if attribution.org_id is None:
            self.outcome.unregistered.setdefault(attribution.claimed_org or "（未署名）", set()).add(item.url)
        spider = self.crawler.spider
        if spider is not None and hasattr(spider, "ledger"):
            spider.ledger.found_report(item.portal_org)

    def _failed_parse(self, item: ReportItem, message: str) -> None:
        """The document is kept; the failure is a fetch row against it and the portal, not a crash."""
        with session_scope(self.context.engine) as session:
            document = record_document(session=session, store=self.context.store, data=item.body,
                                       media_type=item.media_type, source_url=item.url, seen_at=utcnow())
            record_fetch(session=session, run_id=self.context.run_id, org_id=item.portal_org, url=item.url,
                         status=200, error=f"无法解析：{message}"[:1000], content_type=item.media_type,
                         size=len(item.body), sha256=document.sha256)
        self.outcome.counts["parse_failed"] += 1
