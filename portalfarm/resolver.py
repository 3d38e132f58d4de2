"""Scrapy DNS resolver for a farm served under host names (`Farm(spec, names=True)`).

    settings = {"TWISTED_DNS_RESOLVER": "portalfarm.resolver.FarmResolver", "PORTALFARM_HOSTS": farm.hosts}

Names in PORTALFARM_HOSTS resolve to their loopback address; loopback literals and localhost
resolve to themselves; everything else fails, so a crawl can never leave 127.0.0.0/8.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from twisted.internet import defer
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer


def loopback(name: str) -> bool:
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@implementer(IResolverSimple)
class FarmResolver:
    def __init__(self, reactor: Any, hosts: dict[str, str]) -> None:
        self.reactor = reactor
        self.hosts = {name.lower(): ip for name, ip in hosts.items() if loopback(ip)}

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> FarmResolver:
        return cls(reactor, crawler.settings.getdict("PORTALFARM_HOSTS"))

    def install_on_reactor(self) -> None:
        self.reactor.installResolver(self)

    def resolve(self, name: str) -> str | None:
        """The address for `name`, or None when it is not a farm name nor loopback."""
        lowered = name.lower()
        if lowered == "localhost":
            return "127.0.0.1"
        if loopback(lowered):
            return lowered
        return self.hosts.get(lowered)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:  # noqa: N802
        address = self.resolve(name)
        if address is None:
            return defer.fail(DNSLookupError(f"{name} is not a farm host"))
        return defer.succeed(address)
