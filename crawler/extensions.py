"""Progress on stderr and periodic flushing of the fetch record while the crawl runs."""

from __future__ import annotations

import sys
from typing import TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from twisted.internet import task

from crawler.context import context_for


class Progress:
    """Every NIANBAO_PROGRESS_INTERVAL seconds: flush pending rows, print portals done/total, reports, errors."""

    def __init__(self, crawler: Crawler, interval: float, stream: TextIO) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        ext = cls(crawler, crawler.settings.getfloat("NIANBAO_PROGRESS_INTERVAL", 5.0), sys.stderr)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Spider) -> None:
        self.loop = task.LoopingCall(self.tick, spider)
        self.loop.start(self.interval, now=False)

    def tick(self, spider: Spider) -> None:
        context_for(self.crawler).recorder.flush()
        ledger = getattr(spider, "ledger", None)
        if ledger is not None and self.interval > 0:
            print(f"nianbao: {ledger.progress_line()}", file=self.stream, flush=True)

    def closed(self, spider: Spider) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        ledger = getattr(spider, "ledger", None)
        if ledger is not None:
            print(f"nianbao: {ledger.progress_line()}", file=self.stream, flush=True)
