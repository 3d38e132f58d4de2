"""Chromium: what a rendered list page need not load, and one Playwright driver per crawler."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

_HANDLER = "_nianbao_browser_handler"
_SKIPPED = frozenset({"image", "stylesheet", "font", "media"})


def skip_decoration(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: images, styles and fonts carry no list items."""
    return request.resource_type in _SKIPPED


class SharedBrowserHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler, one instance for http and https.

    Scrapy builds a handler per scheme and each would start a Playwright driver of its own (a Node.js
    process of ~120 MB); one crawler needs one.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedBrowserHandler:
        handler = getattr(crawler, _HANDLER, None)
        if handler is None:
            handler = super().from_crawler(crawler)
            setattr(crawler, _HANDLER, handler)
        return handler

    async def close(self) -> None:
        # Scrapy closes the handler once per scheme it serves.
        if getattr(self, "_nianbao_closed", False):
            return
        self._nianbao_closed = True
        await super().close()
