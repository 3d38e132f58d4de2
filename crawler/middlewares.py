"""Downloader middlewares: crawl scope, conditional requests from PageCache, and a record of every fetch."""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.responsetypes import responsetypes
from scrapy.settings import BaseSettings
from sqlmodel import Session, select

from crawler.context import CrawlContext, context_for
from crawler.faults import describe_exception, describe_status
from crawler.netpolicy import is_ip, is_private, url_domain
from db.models import PageCache, utcnow

ORG, DOMAIN, KIND = "nb_org", "nb_domain", "nb_kind"
RECHECK = "nb_recheck"  # a stored report document fetched again to see whether it changed
REPORT_KINDS = frozenset({"detail", "document"})  # validators kept (not bodies), for rechecks
PAGE_KINDS = frozenset({"home", "portal", "list", "detail"})
LIST_KINDS = frozenset({"home", "portal", "list"})  # pages re-read every crawl: worth a conditional request
CACHED_FLAG = "nianbao-unchanged"
_META_CHARSET = re.compile(rb"<meta[^>]+charset", re.I)


def _is_robots(request: Request) -> bool:
    return urlsplit(request.url).path == "/robots.txt"


class ScopeMiddleware:
    """Pages only within the portal's registrable domain; no private or link-local hosts unless allowed."""

    def __init__(self, allow_private: bool, org_of_host: dict[str, str]) -> None:
        self.allow_private = allow_private
        self.org_of_host = org_of_host

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        context = context_for(crawler)
        return cls(context.allow_private, context.org_of_host)

    def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        if request.meta.get(ORG):
            self.org_of_host.setdefault(urlsplit(request.url).netloc, request.meta[ORG])
        if not self.allow_private and (is_ip(host) and is_private(host) or host == "localhost"):
            raise IgnoreRequest(f"拒绝访问非公网地址 {host}（NIANBAO_ALLOW_PRIVATE_HOSTS 未开启）")
        domain = request.meta.get(DOMAIN)
        if request.meta.get(KIND) in PAGE_KINDS and domain and url_domain(request.url) != domain:
            raise IgnoreRequest(f"超出门户域名 {domain}：{request.url}")


class ConditionalMiddleware:
    """If-None-Match/If-Modified-Since from PageCache; a 304 becomes the stored page, flagged unchanged.

    Report pages and documents keep only their validators: a recheck (meta RECHECK) sends them and a 304
    reaches the spider as such (flagged unchanged, no body), which notes the document as checked.
    """

    def __init__(self, context: CrawlContext) -> None:
        self.context = context
        with Session(context.engine) as session:
            rows = session.exec(select(PageCache)).all()
        self.cache: dict[str, PageCache] = {row.url: row for row in rows}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalMiddleware:
        return cls(context_for(crawler))

    def _cacheable(self, request: Request) -> bool:
        return request.meta.get(KIND) in LIST_KINDS or _is_robots(request)

    def process_request(self, request: Request) -> None:
        known = self.cache.get(request.url)
        if known is not None and request.meta.get(RECHECK):
            self._validators(request, known)
            return
        if known is None or not self._cacheable(request) or request.meta.get("playwright"):
            return
        if not (known.sha256 and self.context.pages.has(known.sha256)):
            return  # the kept body is gone: fetch in full
        self._validators(request, known)

    @staticmethod
    def _validators(request: Request, known: PageCache) -> None:
        if known.etag:
            request.headers.setdefault(b"If-None-Match", known.etag.encode())
        if known.last_modified:
            request.headers.setdefault(b"If-Modified-Since", known.last_modified.encode())

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get(KIND) in REPORT_KINDS:
            if response.status == 304 and request.meta.get(RECHECK):
                return response.replace(flags=[*response.flags, CACHED_FLAG])
            if response.status == 200 and not request.meta.get("playwright"):
                self._remember(request.url, response, keep_body=False)
            return response
        if not self._cacheable(request):
            return response
        known = self.cache.get(request.url)
        body = self.context.pages.get(known.sha256) if response.status == 304 and known and known.sha256 else None
        if body is not None:
            cls = responsetypes.from_args(headers=response.headers, url=request.url, body=body)
            return cls(url=response.url, status=200, headers=response.headers, body=body, request=request,
                       flags=[*response.flags, CACHED_FLAG], protocol=response.protocol)
        if response.status == 200 and not request.meta.get("playwright"):
            self._remember(request.url, response)
        return response

    def _remember(self, url: str, response: Response, *, keep_body: bool = True) -> None:
        etag = _header(response, b"ETag")
        last_modified = _header(response, b"Last-Modified")
        if not (etag or last_modified):
            return
        known = self.cache.get(url)
        if known is not None and (known.etag, known.last_modified) == (etag, last_modified) and not keep_body:
            return  # nothing new to remember
        sha256 = self.context.pages.put(response.body) if keep_body else hashlib.sha256(response.body).hexdigest()
        row = PageCache(url=url, etag=etag, last_modified=last_modified, sha256=sha256, fetched_at=utcnow())
        self.cache[url] = row
        self.context.recorder.page(url=url, etag=etag, last_modified=last_modified, sha256=sha256,
                                   fetched_at=row.fetched_at)


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class EncodingMiddleware:
    """HTML without a declared charset: UTF-8 when it decodes, else GB18030 (what Chinese portals mean)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EncodingMiddleware:
        return cls()

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, HtmlResponse) or request.meta.get("playwright"):
            return response
        declared = b"charset" in (response.headers.get(b"Content-Type") or b"").lower()
        if declared or _META_CHARSET.search(response.body[:4096]):
            return response
        try:
            response.body.decode("utf-8")
        except UnicodeDecodeError:
            return response.replace(encoding="gb18030")
        return response.replace(encoding="utf-8")


class FetchLogMiddleware:
    """Records every download attempt (status, size, validators, or the error) against its portal."""

    def __init__(self, context: CrawlContext) -> None:
        self.context = context

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchLogMiddleware:
        return cls(context_for(crawler))

    def _org(self, request: Request) -> str | None:
        return request.meta.get(ORG) or self.context.org_of_host.get(urlsplit(request.url).netloc)

    def process_request(self, request: Request) -> None:
        self._org(request)
        request.meta["nb_started"] = time.monotonic()

    def process_response(self, request: Request, response: Response) -> Response:
        # A missing robots.txt means "no restrictions", not a fault of the portal.
        error = None if _is_robots(request) and response.status == 404 else describe_status(response.status)
        self._record(request, status=response.status, error=error,
                     content_type=_header(response, b"Content-Type"), etag=_header(response, b"ETag"),
                     last_modified=_header(response, b"Last-Modified"), size=len(response.body))
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        if isinstance(exception, IgnoreRequest) and str(exception).startswith("超出门户域名"):
            return  # a link outside the portal: nothing was fetched, nothing is wrong
        self._record(request, status=None, error=describe_exception(exception))

    def _record(self, request: Request, **values: Any) -> None:
        started = request.meta.get("nb_started")
        elapsed = int((time.monotonic() - started) * 1000) if started else None
        self.context.recorder.fetch(org_id=self._org(request), url=request.url, fetched_at=utcnow(),
                                    elapsed_ms=elapsed, **values)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, each one later than the last: NIANBAO_RETRY_BACKOFF × 2^(n-1) seconds, capped."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("NIANBAO_RETRY_BACKOFF", 1.0)
        self.cap = settings.getfloat("NIANBAO_RETRY_BACKOFF_MAX", 30.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        return await self._later(super().process_response(request, response))

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:  # type: ignore[override]
        return await self._later(super().process_exception(request, exception))

    async def _later(self, result: Any) -> Any:
        if isinstance(result, Request):
            attempt = int(result.meta.get("retry_times", 1))
            await asyncio.sleep(min(self.cap, self.base * 2 ** (attempt - 1)))
        return result
