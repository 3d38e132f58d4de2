"""Lists written by script: 大汉 jcms's XML dataproxy (read directly) and pagers a browser must click."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from parsel import Selector

_JPAGE_KEYS = ("columnid", "unitid", "perpage")
_JPAGE_VALUE = r"['\"]?\s*[:=]\s*['\"]?(\d+)"
DATAPROXY = "/module/web/jpage/dataproxy.jsp"
BATCH = 300  # records per dataproxy request (jcms caps a request at a few hundred)
# Anchors a browser-rendered pager uses: numbered links that run script instead of navigating.
PAGER_ANCHORS = "a[onclick], a[href^='javascript']"
# Finds the pager anchor numbered n (false when there is none); _CLICK_PAGE keeps the page's body, clicks it.
_FIND_PAGE = """([selector, n]) => {
  window.__nianbaoNext = [...document.querySelectorAll(selector)]
    .find(a => (a.innerText || a.textContent).trim() === n);
  return Boolean(window.__nianbaoNext);
}"""
_CLICK_PAGE = "() => { window.__nianbaoBefore = document.body.innerHTML; window.__nianbaoNext.click(); }"
_PAGE_CHANGED = "() => document.body.innerHTML !== window.__nianbaoBefore"


def jcms_config(selector: Selector) -> dict[str, int] | None:
    """`var jpage = {columnid: 97824, unitid: 97831, perpage: 2}` (or the dataproxy.jsp query) on a list page."""
    scripts = " ".join(selector.xpath("//script/text()").getall() + selector.xpath("//script/@src").getall())
    if "jpage" not in scripts and "dataproxy" not in scripts:
        return None
    found: dict[str, int] = {}
    for key in _JPAGE_KEYS:
        match = re.search(key + _JPAGE_VALUE, scripts, re.I)
        if match:
            found[key] = int(match.group(1))
    return found if "columnid" in found else None


def dataproxy_url(page_url: str, config: dict[str, int], start: int = 1) -> str:
    """The XML endpoint for records start..start+BATCH-1 of the column."""
    query = {"startrecord": start, "endrecord": start + BATCH - 1, "perpage": config.get("perpage", 15),
             "col": 1, "appid": 1, "webid": 1, "path": "/", "columnid": config["columnid"],
             "sourceContentType": 1, "unitid": config.get("unitid", config["columnid"]), "permissiontype": 0}
    return urljoin(page_url, DATAPROXY) + "?" + urlencode(query)


def is_dataproxy(url: str) -> bool:
    return urlsplit(url).path.endswith("dataproxy.jsp")


def dataproxy_records(text: str) -> tuple[Selector, int]:
    """The <record> fragments of a dataproxy answer as one HTML selector, and <totalrecord>."""
    records = re.findall(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", text, re.S)
    total = re.search(r"<totalrecord>\s*(\d+)\s*</totalrecord>", text)
    return Selector(text="<ul>" + "".join(records) + "</ul>"), int(total.group(1)) if total else len(records)


def next_dataproxy(url: str, total: int) -> str | None:
    """The next batch's URL, or None when `url` reached totalrecord."""
    params = dict(parse_qsl(urlsplit(url).query))
    end = int(params.get("endrecord", "0") or 0)
    if end >= total:
        return None
    params["startrecord"], params["endrecord"] = str(end + 1), str(end + BATCH)
    return url.split("?", 1)[0] + "?" + urlencode(params)


async def click_through_pages(page: Any, max_pages: int) -> tuple[list[str], str | None]:
    """HTML of each further page of a script pager (numbered anchors 2, 3, … clicked in a live Playwright
    page), and why clicking stopped early (None when the last page was reached)."""
    from playwright.async_api import Error as PlaywrightError

    contents: list[str] = []
    try:
        await _click_pages(page, max_pages, contents)
    except PlaywrightError as exc:
        return contents, str(exc).splitlines()[0][:200]
    return contents, None


async def _click_pages(page: Any, max_pages: int, contents: list[str]) -> None:
    # One evaluate per page, not a round trip per anchor; the old body stays in the page, not in transit.
    for number in range(2, max_pages + 1):
        if not await page.evaluate(_FIND_PAGE, [PAGER_ANCHORS, str(number)]):
            return
        async with page.expect_response(lambda r: r.request.resource_type in ("xhr", "fetch"), timeout=30_000):
            await page.evaluate(_CLICK_PAGE)
        # Polled every 50 ms: the default (every animation frame) keeps Chromium painting while it waits.
        await page.wait_for_function(_PAGE_CHANGED, polling=50, timeout=30_000)
        contents.append(await page.content())
