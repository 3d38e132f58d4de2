"""The portal spider: home page -> 政府信息公开 -> annual-report column -> list pages -> reports."""

from __future__ import annotations

import functools
import mimetypes
import re
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date
from typing import Any

from parsel import Selector
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.context import CrawlContext, context_for
from crawler.discovery import Link, attachments, column_candidates, is_document_url, links, needs_browser, report_links
from crawler.faults import describe_exception, describe_status
from crawler.items import ReportItem
from crawler.ledger import Ledger
from crawler.middlewares import CACHED_FLAG, DOMAIN, KIND, ORG, RECHECK
from crawler.netpolicy import url_domain
from crawler.pagemeta import page_text, page_title, publication_date
from crawler.pagination import next_page
from crawler.scripted import click_through_pages, dataproxy_records, dataproxy_url, is_dataproxy, jcms_config, next_dataproxy
from crawler.state import (Known, Portal, Recheck, due_for_recheck, load_known, load_portals, mark_checked,
                           mark_finished, mark_started)
from crawler.titles import is_annual_report_title
from db.models import utcnow

# A portal's structure first (home, 信息公开, lists), and rendered lists before everything: the browser takes a
# few at a time, so lists found late (or rendered late) would trail the crawl by minutes.
PRIORITY = {"rendered": 50, "list": 40, "portal": 40, "home": 40, "document": 30, "detail": 20}
_REPORT_MARKERS = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请", "行政复议", "存在的主要问题")
Callback = Callable[..., Iterator[Any]]


def settles(callback: Callback) -> Callback:
    """Mark the request settled in the ledger once its callback has yielded everything."""

    @functools.wraps(callback)
    def wrapper(self: PortalSpider, response: Response, **kwargs: Any) -> Iterator[Any]:
        self.ledger.responded.add(response.meta[ORG])
        try:
            yield from callback(self, response, **kwargs)
        finally:
            self.ledger.settled(response.meta[ORG])

    return wrapper


def looks_like_report(text: str) -> bool:
    """Page text that is itself a report (its sections are printed), not a wrapper around an attachment."""
    return sum(marker in text for marker in _REPORT_MARKERS) >= 3


class PortalSpider(Spider):
    name = "portals"
    context: CrawlContext
    portals: dict[str, Portal]
    known: Known
    ledger: Ledger
    columns: dict[str, set[str]]  # annual-report columns found per portal this crawl
    unchanged: set[str]  # rechecked documents the portal answered 304 for

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.context = context_for(crawler)
        org_ids = crawler.settings.getlist("NIANBAO_ORG_IDS")
        spider.portals = {p.org_id: p for p in load_portals(spider.context.engine, org_ids)}
        spider.known = load_known(spider.context.engine)
        spider.ledger = Ledger(total=len(spider.portals))
        spider.browser_enabled = crawler.settings.getbool("NIANBAO_BROWSER", True)
        spider.max_depth = crawler.settings.getint("NIANBAO_DISCOVERY_DEPTH", 3)
        spider.max_list_pages = crawler.settings.getint("NIANBAO_MAX_LIST_PAGES", 200)
        spider.started_at = utcnow()
        spider.columns = {}
        spider.recheck_after = crawler.settings.getfloat("NIANBAO_REVALIDATE_AFTER_DAYS", 7.0)
        spider.recheck_max = crawler.settings.getfloat("NIANBAO_REVALIDATE_MAX", 0.05)
        spider.unchanged = set()
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider.closed_with, signal=signals.spider_closed)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        mark_started(self.context.engine, self.portals, self.started_at)
        for portal in self.portals.values():
            for url in portal.list_urls:
                yield self._list_request(portal, url, column=True, list_org=portal.list_orgs.get(url),
                                         browser=portal.needs_browser)
            if portal.discover or not portal.list_urls:
                yield self._request(portal, portal.homepage, "home", self.parse_portal, nb_depth=0)
        for request in self._recheck_requests():
            yield request

    # -- requests -------------------------------------------------------------------------------

    def _domains(self, portal: Portal) -> tuple[str, ...]:
        return tuple({url_domain(portal.homepage), *(url_domain(u) for u in portal.list_urls)})

    def _in_scope(self, portal: Portal, url: str) -> bool:
        return url_domain(url) in self._domains(portal)

    def _request(self, portal: Portal, url: str, kind: str, callback: Callback, *, browser: bool = False,
                 dont_filter: bool = False, **meta: Any) -> Request:
        self.ledger.opened(portal.org_id)
        domain = url_domain(url) if url_domain(url) in self._domains(portal) else url_domain(portal.homepage)
        meta = {ORG: portal.org_id, DOMAIN: domain, KIND: kind, **meta}
        priority = PRIORITY[kind]
        if browser and self.browser_enabled:
            meta.update(playwright=True, playwright_include_page=True,
                        playwright_page_goto_kwargs={"wait_until": "networkidle"})
            callback, priority = self.parse_rendered, PRIORITY["rendered"]
        return Request(url, callback=callback, errback=self.on_error, meta=meta, priority=priority,
                       dont_filter=dont_filter)

    def _list_request(self, portal: Portal, url: str, *, column: bool, list_org: str | None,
                      page_no: int = 1, browser: bool = False, dont_filter: bool = False) -> Request:
        callback = self.parse_dataproxy if is_dataproxy(url) else self.parse_list
        return self._request(portal, url, "list", callback, browser=browser, dont_filter=dont_filter,
                             nb_column=column, nb_list_org=list_org, nb_page_no=page_no)

    def _recheck_requests(self) -> list[Request]:
        """Known report documents not checked for NIANBAO_REVALIDATE_AFTER_DAYS, oldest first, at most
        NIANBAO_REVALIDATE_MAX: fetched conditionally, so an unchanged one costs a 304 and a changed one
        (corrected in place, same URL) goes through the pipeline as a new version."""
        by_org = {org_id: p for p in self.portals.values() for org_id in p.org_ids}
        due = due_for_recheck(self.context.engine, now=self.started_at,
                              after_days=self.recheck_after, limit=self.recheck_max)
        requests = []
        for recheck in due:
            portal = by_org.get(recheck.org_id)
            if portal is not None and self._in_scope(portal, recheck.url):
                requests.append(self._recheck(portal, recheck))
        return requests

    def _recheck(self, portal: Portal, recheck: Recheck) -> Request:
        meta = {"nb_title": recheck.title, "nb_page": recheck.page_url, "nb_list_org": recheck.org_id,
                "nb_published": recheck.published_on, RECHECK: True, "handle_httpstatus_list": [304]}
        if is_document_url(recheck.url):
            return self._request(portal, recheck.url, "document", self.parse_document, **meta)
        return self._request(portal, recheck.url, "detail", self.parse_detail, **meta)

    def _checked_unchanged(self, response: Response) -> bool:
        """A recheck answered 304: the stored version is still the portal's."""
        if response.status == 304 and CACHED_FLAG in response.flags:
            self.unchanged.add(response.url)
            return True
        return False

    def _portal(self, response: Response) -> Portal:
        return self.portals[response.meta[ORG]]

    def _known(self, portal: Portal, url: str) -> bool:
        return url in self.known.documents or url in self.known.pages

    def _entry_requests(self, portal: Portal, page_url: str, entries: list[Link], *, list_org: str | None,
                        published: date | None = None, title: str | None = None) -> Iterator[Request]:
        for link in entries:
            if self._known(portal, link.url):
                continue
            listed = link.listed_on or published
            meta = {"nb_title": title or link.text, "nb_page": page_url, "nb_list_org": list_org,
                    "nb_published": listed.isoformat() if listed else None}
            if is_document_url(link.url):
                yield self._request(portal, link.url, "document", self.parse_document, **meta)
            elif self._in_scope(portal, link.url):
                yield self._request(portal, link.url, "detail", self.parse_detail, **meta)

    def _with_browser(self, response: Response, portal: Portal) -> Request | None:
        """The same list again through Chromium, when its items are written by script."""
        if response.meta.get("playwright") or not self.browser_enabled:
            return None
        self.context.recorder.target(portal.org_id, needs_browser=True)
        return self._list_request(portal, response.url, column=bool(response.meta.get("nb_column")),
                                  list_org=response.meta.get("nb_list_org"), browser=True, dont_filter=True)

    def _list_entries(self, response: Response, portal: Portal, entries: list[Link]) -> Iterator[Request]:
        """Requests for a list page's unknown reports; marks the portal as having a column."""
        if entries:
            self.ledger.columns_found.add(portal.org_id)
        yield from self._entry_requests(portal, response.url, entries, list_org=response.meta.get("nb_list_org"))

    def _stop_listing(self, portal: Portal, entries: list[Link]) -> bool:
        """An unchanged portal: once a whole page is known, older pages hold only known reports."""
        return portal.complete_before and bool(entries) and all(self._known(portal, e.url) for e in entries)

    @staticmethod
    def _entries(selector: Selector, url: str, column: bool) -> tuple[list[Link], list[Link]]:
        """(all links, report entries) of a list page."""
        page_links = links(selector, url)
        return page_links, report_links(page_links, in_report_column=column)

    # -- callbacks ------------------------------------------------------------------------------

    @settles
    def parse_portal(self, response: Response) -> Iterator[Any]:
        """Home page or a 信息公开 page: find the annual-report columns, collect any reports on the way."""
        portal = self._portal(response)
        if not isinstance(response, TextResponse):
            return
        page_links = links(response.selector, response.url)
        yield from self._entry_requests(portal, response.url, report_links(page_links, in_report_column=False),
                                        list_org=None)
        columns, open_gov = column_candidates([l for l in page_links if self._in_scope(portal, l.url)])
        if columns:
            self.ledger.columns_found.add(portal.org_id)
            found = self.columns.setdefault(portal.org_id, set())
            found.update(c.url for c in columns)
            self.context.recorder.target(portal.org_id, list_url=" ".join(sorted(found)))
            for column in columns:
                yield self._list_request(portal, column.url, column=True, list_org=portal.list_orgs.get(column.url))
        elif response.meta.get("nb_depth", 0) < self.max_depth:
            for link in open_gov[:3]:
                yield self._request(portal, link.url, "portal", self.parse_portal,
                                    nb_depth=response.meta.get("nb_depth", 0) + 1)

    @settles
    def parse_list(self, response: Response) -> Iterator[Any]:
        """One page of a report list: the reports on it, then the next page (unless all are known)."""
        portal = self._portal(response)
        if not isinstance(response, TextResponse):
            return
        selector = response.selector
        column = bool(response.meta.get("nb_column"))
        page_links, entries = self._entries(selector, response.url, column)
        if not entries:
            jcms = jcms_config(selector)
            if jcms is not None:
                yield self._list_request(portal, dataproxy_url(response.url, jcms), column=column,
                                         list_org=response.meta.get("nb_list_org"))
                return
            if needs_browser(selector, page_links):
                retry = self._with_browser(response, portal)
                if retry is not None:
                    yield retry
                    return
        yield from self._list_entries(response, portal, entries)
        if self._stop_listing(portal, entries):
            return
        page_no = response.meta.get("nb_page_no", 1)
        following = next_page(selector, page_links, response.url)
        if following and page_no < self.max_list_pages and self._in_scope(portal, following):
            yield self._list_request(portal, following, column=column, list_org=response.meta.get("nb_list_org"),
                                     page_no=page_no + 1)

    @settles
    def parse_dataproxy(self, response: Response) -> Iterator[Any]:
        """jcms's XML list: every record of the column, in batches."""
        portal = self._portal(response)
        selector, total = dataproxy_records(response.text)
        column = bool(response.meta.get("nb_column"))
        _, entries = self._entries(selector, response.url, column)
        yield from self._list_entries(response, portal, entries)
        following = next_dataproxy(response.url, total)
        if following and not self._stop_listing(portal, entries):
            yield self._list_request(portal, following, column=column, list_org=response.meta.get("nb_list_org"),
                                     page_no=response.meta.get("nb_page_no", 1) + 1)

    async def parse_rendered(self, response: Response) -> AsyncIterator[Any]:
        """A list rendered by Chromium: its pages are clicked through in the live page, then closed."""
        page = response.meta.pop("playwright_page", None)
        org = response.meta[ORG]
        self.ledger.responded.add(org)
        try:
            portal = self.portals[org]
            column = bool(response.meta.get("nb_column"))
            _, first = self._entries(response.selector, response.url, column)
            for request in self._list_entries(response, portal, first):
                yield request
            if page is None or self._stop_listing(portal, first):
                return
            contents, failure = await click_through_pages(page, self.max_list_pages)
            if failure:
                self.ledger.failed(org, f"浏览器翻页失败：{failure}（{response.url}）")
            for html in contents:
                for request in self._list_entries(response, portal,
                                                  self._entries(Selector(text=html), response.url, column)[1]):
                    yield request
        finally:
            if page is not None:
                await page.close()
            self.ledger.settled(org)

    @settles
    def parse_detail(self, response: Response) -> Iterator[Any]:
        """A report's page: the report itself (HTML) and/or its attachments, with the 发布日期."""
        portal = self._portal(response)
        if self._checked_unchanged(response):
            return
        if not isinstance(response, TextResponse):
            yield self._item(response, portal)
            return
        selector = response.selector
        listed = response.meta.get("nb_page") if response.meta.get(RECHECK) else None
        listed = listed or _listed_url(response)
        text = page_text(selector)
        title = page_title(selector)
        if not is_annual_report_title(title, in_report_column=True):
            title = response.meta.get("nb_title") or title
        published = publication_date(selector, text) or _meta_date(response)
        files = attachments(links(selector, response.url))
        named = [f for f in files if is_annual_report_title(f.text, in_report_column=True)]
        if looks_like_report(text) and not named:
            yield self._item(response, portal, title=title, published=published, page_url=listed)
            return
        chosen = named or files[:3]
        yield from self._entry_requests(portal, listed, [Link(f.url, f.text) for f in chosen],
                                        list_org=response.meta.get("nb_list_org"), published=published,
                                        title=None if named else title)

    @settles
    def parse_document(self, response: Response) -> Iterator[Any]:
        if self._checked_unchanged(response):
            return
        yield self._item(response, self._portal(response))

    def _item(self, response: Response, portal: Portal, *, title: str | None = None,
              published: date | None = None, page_url: str | None = None) -> ReportItem:
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").split(";")[0].strip()
        media_type = content_type or mimetypes.guess_type(response.url)[0] or "application/octet-stream"
        return ReportItem(portal_org=portal.org_id, default_org=response.meta.get("nb_list_org") or portal.org_id,
                          url=response.url, page_url=page_url or response.meta.get("nb_page"),
                          title=title or response.meta.get("nb_title") or "", body=response.body,
                          media_type=media_type, published_on=published or _meta_date(response))

    # -- failures and the end -------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        org = request.meta.get(ORG)
        exc = failure.value
        if isinstance(exc, HttpError):
            message = describe_status(exc.response.status) or "HTTP 错误"
        else:
            message = describe_exception(exc)
        if org:
            if not message.startswith("超出门户域名"):
                structural = request.meta.get(KIND) not in ("detail", "document")
                self.ledger.failed(org, f"{message}（{request.url}）", structural=structural)
            self.ledger.settled(org)

    def request_dropped(self, request: Request) -> None:
        if request.meta.get(ORG):
            self.ledger.settled(request.meta[ORG])

    def closed_with(self, spider: Spider, reason: str) -> None:
        for org_id in sorted(self.ledger.responded - self.ledger.columns_found - set(self.ledger.errors)):
            message = "未找到年度报告栏目或报告"
            self.ledger.failed(org_id, message)
            self.context.recorder.fetch(org_id=org_id, url=self.portals[org_id].homepage, status=None, error=message)
        self.context.recorder.flush()
        if self.unchanged:
            mark_checked(self.context.engine, self.unchanged, self.started_at)
        if reason == "finished":
            mark_finished(self.context.engine, errors=self.ledger.errors, incomplete=self.ledger.incomplete,
                          org_ids=self.ledger.responded | set(self.ledger.errors), at=utcnow())


def _listed_url(response: Response) -> str:
    """The URL the list linked to (before redirects): what the next crawl will see and skip."""
    return (response.meta.get("redirect_urls") or [response.url])[0]


def _meta_date(response: Response) -> date | None:
    value = response.meta.get("nb_published")
    if not value or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    return date.fromisoformat(value)
