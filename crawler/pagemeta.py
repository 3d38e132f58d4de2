"""What a detail page says about itself: its title and the portal's publication date (发布日期)."""

from __future__ import annotations

import re
from datetime import date

from parsel import Selector

_META_NAMES = ("pubdate", "publishdate", "firstpublishedtime", "publishtime", "article:published_time",
               "dc.date", "dc.date.issued", "releasedate", "pub_date", "articledate")
_LABELLED = re.compile(
    r"(?:发布日期|发布时间|发布于|公开日期|发文时间|信息时间|日期)\s*[:：]?\s*"
    r"((?:19|20)\d{2})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})"
)
_ANY_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def _make_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """The first Y-M-D date in `text` (2024-01-19, 2024/1/19, 2024年1月19日, 2024-01-19-10:00:00)."""
    found = _ANY_DATE.search(text or "")
    return _make_date(*found.groups()) if found else None


def meta_date(selector: Selector) -> date | None:
    """A publication date from <meta name=PubDate …> and its relatives."""
    for node in selector.xpath("//meta[@content]"):
        key = (node.attrib.get("name") or node.attrib.get("property") or node.attrib.get("itemprop") or "").lower()
        if key in _META_NAMES:
            found = parse_date(node.attrib["content"])
            if found:
                return found
    return None


def labelled_date(text: str) -> date | None:
    """A date printed after 发布日期/发布时间 in the page text."""
    found = _LABELLED.search(text)
    return _make_date(*found.groups()) if found else None


def page_text(selector: Selector) -> str:
    """Visible text of a page, scripts and styles left out (lxml directly: no Selector per text node)."""
    root = selector.root
    if not hasattr(root, "xpath"):
        return ""
    # An HTML parser gives <script> and <style> only text children: the parent test is enough (and cheap).
    parts = root.xpath("//body//text()[not(parent::script) and not(parent::style)]")
    return re.sub(r"\s+", " ", " ".join(str(p) for p in parts)).strip()


def publication_date(selector: Selector, text: str | None = None) -> date | None:
    """The portal's publication date for a page: meta tags first, then a labelled date in the text."""
    return meta_date(selector) or labelled_date(text if text is not None else page_text(selector))


def page_title(selector: Selector) -> str:
    """The article title: ArticleTitle meta, then <h1>, then <title>."""
    for xpath in ("//meta[@name='ArticleTitle']/@content", "//meta[@property='og:title']/@content",
                  "string(//h1)", "string(//title)"):
        value = re.sub(r"\s+", " ", selector.xpath(xpath).get() or "").strip()
        if value:
            return value
    return ""
