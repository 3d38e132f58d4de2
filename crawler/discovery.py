"""Reading portal pages: links, the annual-report column, report entries, attachments and browser need."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from parsel import Selector

from crawler.pagemeta import parse_date
from crawler.titles import is_annual_report_title, normalize

DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".txt", ".ofd")
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#", "data:")
_FILE_IN_TEXT = re.compile(r"\.(pdf|docx?|xlsx?|wps)\b", re.I)


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str  # link text and title attribute, whitespace-normalised
    listed_on: date | None = None  # a date printed beside the link in a list


def is_document_url(url: str) -> bool:
    """An attachment by its path: PDF, DOC, DOCX, XLS, XLSX, WPS…"""
    return urlsplit(url).path.lower().endswith(DOCUMENT_EXTENSIONS)


def _clean_url(base: str, href: str) -> str | None:
    href = (href or "").strip()
    if not href or href.lower().startswith(_SKIP_SCHEMES):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("http", "https"):
        return None
    return urlunsplit(parts._replace(fragment=""))


_ROW_TAGS = frozenset({"li", "tr", "dd", "p"})


def _link_date(anchor: Any) -> date | None:
    """A date in the list row holding the link (<li><a>…</a><span>2024-01-19</span></li>)."""
    node = anchor
    for _ in range(4):
        parent = node.getparent()
        if parent is None:
            break
        node = parent
        if isinstance(node.tag, str) and node.tag.lower() in _ROW_TAGS:
            return parse_date(node.text_content())
    return None


def _anchor_text(shown: str, title: str) -> str:
    """The link's text; a title attribute holding the full text of a cut title ('…年度…') replaces it."""
    shown, title = re.sub(r"\s+", " ", shown).strip(), re.sub(r"\s+", " ", title).strip()
    if not title or title == shown:
        return shown
    if title.startswith(shown.rstrip(".…。 ")):
        return title
    return f"{shown} {title}".strip()


def links(selector: Selector, base_url: str) -> list[Link]:
    """Every followable <a href> of a page, in document order, without duplicates (lxml directly: fast)."""
    seen: set[str] = set()
    found: list[Link] = []
    root = selector.root
    if not hasattr(root, "iter"):
        return found
    for anchor in root.iter("a", "A"):
        url = _clean_url(base_url, anchor.get("href") or "")
        if not url or url in seen:
            continue
        seen.add(url)
        found.append(Link(url, _anchor_text(anchor.text_content(), anchor.get("title") or ""), _link_date(anchor)))
    return found


def column_score(link: Link) -> int:
    """How strongly a link points at the annual-report column (>= 80) or at 政府信息公开 (>= 30)."""
    text, path = normalize(link.text), urlsplit(link.url).path.lower()
    if is_annual_report_title(text) and re.search(r"(19|20)\d{2}", text):
        return 0  # one report, not the column
    score = 0
    if re.search(r"年度报告|年报", text):
        score = 90 if "信息公开" in text else 80
    elif "政府信息公开" in text:
        score = 50
    elif re.search(r"信息公开|政务公开", text):
        score = 40
    if re.search(r"ndbg|annual|nianbao|xxgknb", path):
        score = max(score, 80) + 5
    elif score and re.search(r"xxgk|zwgk|gkml", path):
        score += 5
    return score


def column_candidates(page_links: list[Link]) -> tuple[list[Link], list[Link]]:
    """(annual-report columns, 信息公开 pages) among a page's links, best first."""
    scored = sorted(((column_score(l), i, l) for i, l in enumerate(page_links)), key=lambda t: (-t[0], t[1]))
    columns = [l for s, _, l in scored if s >= 80]
    portals = [l for s, _, l in scored if 30 <= s < 80]
    return columns, portals


def report_links(page_links: list[Link], *, in_report_column: bool) -> list[Link]:
    """Links that are annual reports by their text (or, for attachments, by file name)."""
    found = []
    for link in page_links:
        text = link.text
        if is_document_url(link.url):
            text = f"{text} {urlsplit(link.url).path.rsplit('/', 1)[-1]}"
        if is_annual_report_title(text, in_report_column=in_report_column):
            found.append(link)
    return found


def attachments(page_links: list[Link]) -> list[Link]:
    """Links to document files (PDF, DOC, …) or link texts naming a file."""
    return [l for l in page_links if is_document_url(l.url) or _FILE_IN_TEXT.search(l.text)]


def needs_browser(selector: Selector, page_links: list[Link]) -> bool:
    """A list page without report entries whose content is written by script (not just a pager)."""
    if report_links(page_links, in_report_column=True):
        return False
    inline = [t for t in selector.xpath("//script/text()").getall() if t.strip() and "createPageHTML" not in t]
    sources = [s for s in selector.xpath("//script/@src").getall() if not re.search(r"page\.js$", s)]
    return bool(inline or sources)
