"""Report pipeline: store the bytes, parse and validate, attribute, record the report version."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from scrapy.crawler import Crawler

from crawler.attribution import Attribution, OrgDirectory
from crawler.context import CrawlContext, context_for
from crawler.items import ReportItem
from crawler.state import load_directory
from db.engine import session_scope
from db.fetches import record_fetch
from db.models import utcnow
from db.reports import record_document, record_report
from nianbao.errors import DocumentError


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

    def __init__(self, crawler: Crawler, context: CrawlContext, directory: OrgDirectory) -> None:
        self.crawler = crawler
        self.context = context
        self.directory = directory
        self.outcome = Outcome()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReportPipeline:
        context = context_for(crawler)
        pipeline = cls(crawler, context, load_directory(context.engine))
        crawler.nianbao_outcome = pipeline.outcome  # type: ignore[attr-defined]  # read by `nianbao crawl`
        return pipeline

    async def process_item(self, item: ReportItem) -> ReportItem:
        await asyncio.to_thread(self.store, item)
        return item

    def store(self, item: ReportItem) -> None:
        """Parse first (slow, no transaction open), then record document and report in one transaction."""
        from crawler.report import PARSER_VERSION, read_report

        seen_at = utcnow()
        try:
            parsed = read_report(item.body, name=_file_name(item.url), media_type=item.media_type)
        except DocumentError as exc:
            self._failed_parse(item, str(exc))
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
