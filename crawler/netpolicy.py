"""Where the crawler may go: the portal's registrable domain for pages, public addresses only."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import tldextract
from scrapy.crawler import Crawler
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

# The public suffix list bundled with tldextract: no network fetch at start-up.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=())


@lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """'www.shuangyashan.gov.cn' -> 'shuangyashan.gov.cn'; IP addresses and bare names are their own domain."""
    host = (host or "").lower().rstrip(".")
    if is_ip(host):
        return host
    parts = _EXTRACT(host)
    return parts.top_domain_under_public_suffix or host


def url_domain(url: str) -> str:
    return registrable_domain(urlsplit(url).hostname or "")


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def is_private(address: str) -> bool:
    """Loopback, private, link-local, reserved and other non-public addresses."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    return not ip.is_global


class PublicOnlyResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing names that resolve to non-public addresses unless allowed."""

    allow_private = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> PublicOnlyResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = crawler.settings.getbool("NIANBAO_ALLOW_PRIVATE_HOSTS")
        return resolver

    def getHostByName(self, name: str, timeout: Any = ()) -> Deferred[str]:  # noqa: N802 (Twisted's name)
        result = super().getHostByName(name, timeout)
        if self.allow_private:
            return result
        return result.addCallback(self._refuse_private, name)

    @staticmethod
    def _refuse_private(address: str, name: str) -> str:
        if is_private(address):
            raise DNSLookupError(f"{name} 解析到非公网地址 {address}，已拒绝")
        return address
