"""Farms served under host names: Scrapy resolves them with portalfarm.resolver.FarmResolver only."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from portalfarm import Farm, FarmSpec
from portalfarm.resolver import FarmResolver

SCRAPY_SCRIPT = textwrap.dedent("""
    import json, sys
    import scrapy
    from scrapy.crawler import CrawlerProcess

    hosts, urls = json.loads(sys.argv[1]), json.loads(sys.argv[2])
    seen = []

    class Probe(scrapy.Spider):
        name = "probe"
        custom_settings = {"HTTPERROR_ALLOW_ALL": True}

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, errback=self.failed)

        def parse(self, response):
            seen.append([response.url, response.status, response.css("title::text").get()])

        def failed(self, failure):
            seen.append([failure.request.url, type(failure.value).__name__, None])

    process = CrawlerProcess({"TWISTED_DNS_RESOLVER": "portalfarm.resolver.FarmResolver", "PORTALFARM_HOSTS": hosts,
                              "LOG_ENABLED": False, "RETRY_ENABLED": False, "DOWNLOAD_TIMEOUT": 10,
                              "TELNETCONSOLE_ENABLED": False})
    process.crawl(Probe)
    process.start()
    print(json.dumps(sorted(seen), ensure_ascii=False))
""")


def test_resolver_maps_farm_names_and_refuses_the_rest() -> None:
    resolver = FarmResolver(None, {"www.suibin.gov.cn": "127.77.0.4", "evil.example": "8.8.8.8"})
    assert resolver.resolve("WWW.SUIBIN.GOV.CN") == "127.77.0.4"
    assert resolver.resolve("127.77.0.9") == "127.77.0.9" and resolver.resolve("localhost") == "127.0.0.1"
    assert resolver.resolve("evil.example") is None and resolver.resolve("www.gov.cn") is None


@pytest.mark.slow
def test_scrapy_crawls_a_named_farm() -> None:
    spec = FarmSpec.generate(2, 2, faults=False)
    with Farm(spec, names=True).running() as farm:
        urls = [farm.base_url(p.id) for p in spec.portals] + ["http://www.not-in-the-farm.gov.cn/"]
        assert urls[0].startswith("http://www.shuangyashan.gov.cn:")
        done = subprocess.run([sys.executable, "-c", SCRAPY_SCRIPT, json.dumps(farm.hosts), json.dumps(urls)],
                              capture_output=True, timeout=60, check=True)
    seen = {url: (status, title) for url, status, title in json.loads(done.stdout)}
    for portal in spec.portals:
        assert seen[farm.base_url(portal.id)] == (200, portal.name)
    assert seen["http://www.not-in-the-farm.gov.cn/"][0] in ("DNSLookupError", "CannotResolveHostError")
    assert "MAP www.shuangyashan.gov.cn 127.77.0.1" in farm.chromium_host_rules()
