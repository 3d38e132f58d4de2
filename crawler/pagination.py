"""The next page of a list, whatever the pager: script-written, index_N.html, ?page=N, or a 下一页 link."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from crawler.discovery import Link

_SCRIPT_PAGER = re.compile(
    r"createPageHTML\(\s*['\"]?(\w+)['\"]?\s*,\s*['\"]?(\w+)['\"]?\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)
_NEXT_TEXT = re.compile(r"^(下一页|下页|后一页|next|›|»|>|>>)$", re.I)
_PAGE_PARAMS = ("page", "pageno", "pagenum", "pageindex", "p", "pn", "currentpage", "curpage", "page_no")
_INDEX_N = re.compile(r"^(?P<stem>.*?)(?:_(?P<n>\d+))?\.(?P<ext>s?html?)$")


def script_pager_next(selector: Selector, page_url: str) -> str | None:
    """TRS-style `createPageHTML(total, current, "index", "html")`: pages index.html, index_1.html, …"""
    for script in selector.xpath("//script/text()").getall():
        found = _SCRIPT_PAGER.search(script)
        if not found:
            continue
        total, prefix, suffix = _script_value(script, found.group(1)), found.group(3), found.group(4)
        number = _index_number(page_url, prefix)
        if total is None:
            return None
        if number is None or number + 1 >= total:
            return None
        return urljoin(page_url, f"{prefix}_{number + 1}.{suffix}")
    return None


def _script_value(script: str, token: str) -> int | None:
    """A literal number, or the value of `var token = N` earlier in the script."""
    if token.isdigit():
        return int(token)
    found = re.search(rf"\b{re.escape(token)}\s*=\s*['\"]?(\d+)", script)
    return int(found.group(1)) if found else None


def _index_number(page_url: str, prefix: str) -> int | None:
    """0 for index.html (or a directory URL), N for index_N.html."""
    name = urlsplit(page_url).path.rsplit("/", 1)[-1]
    if name == "":
        return 0
    found = re.fullmatch(rf"{re.escape(prefix)}(?:_(\d+))?\.\w+", name)
    if not found:
        return None
    return int(found.group(1) or 0)


def _page_param(url: str) -> tuple[str, int] | None:
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            return key, int(value)
    return None


def _same_list(a: str, b: str) -> bool:
    """Two URLs of one list: same host and directory (index_N siblings or ?page= variants)."""
    pa, pb = urlsplit(a), urlsplit(b)
    return pa.netloc == pb.netloc and pa.path.rsplit("/", 1)[0] == pb.path.rsplit("/", 1)[0]


def _page_number(url: str) -> int:
    """1-based page number of a list URL: ?page=N as printed, index_N.html as N+1, else 1."""
    param = _page_param(url)
    if param:
        return param[1]
    found = _INDEX_N.match(urlsplit(url).path.rsplit("/", 1)[-1])
    return int(found.group("n")) + 1 if found and found.group("n") else 1


def link_pager_next(page_links: list[Link], page_url: str) -> str | None:
    """A 下一页 link, else the numbered sibling link of the next page."""
    siblings = [l for l in page_links if l.url != page_url and _same_list(l.url, page_url)]
    for link in siblings:
        if _NEXT_TEXT.match(link.text.strip()) or "下一页" in link.text:
            return link.url
    wanted = _page_number(page_url) + 1
    current_param = _page_param(page_url)
    for link in siblings:
        if link.text.strip().isdigit() and _page_number(link.url) == wanted:
            return link.url
        param = _page_param(link.url)
        if param and current_param is None and param[1] == wanted and _same_path(link.url, page_url):
            return link.url
    return None


def _same_path(a: str, b: str) -> bool:
    return urlsplit(a).path == urlsplit(b).path


def with_page(url: str, key: str, number: int) -> str:
    """`url` with its page parameter set to `number`."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != key] + [(key, str(number))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def next_page(selector: Selector, page_links: list[Link], page_url: str) -> str | None:
    """The URL of the list page after `page_url`, or None on the last page."""
    return link_pager_next(page_links, page_url) or script_pager_next(selector, page_url)
