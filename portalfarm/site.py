"""One portal's pages as resources: routing a request path to bytes, built lazily and cached."""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from html import escape
from urllib.parse import parse_qs, quote

from portalfarm import documents, pages
from portalfarm.cache import RenderCache
from portalfarm.pages import Item
from portalfarm.paths import column_dir
from portalfarm.scripts import SCRIPTS
from portalfarm.spec import Column, FarmSpec, Noise, Portal, Report

BEIJING = timezone(timedelta(hours=8))
CACHE_LIMIT = 20_000  # resources kept per portal
HEADLINES = (
    "{name}召开常务会议研究部署近期重点工作",
    "{name}开展安全生产大检查",
    "全力以赴做好春耕备耕各项工作",
    "{name}推进优化营商环境工作会议召开",
    "我市政务服务“一网通办”再提速",
    "关于做好元旦春节期间有关工作的通知",
)


class BuildError(Exception):
    """A page or file of the farm could not be built (its cause is in FarmApp.errors)."""


@dataclass(frozen=True, slots=True)
class Resource:
    body: bytes
    content_type: str
    last_modified: datetime
    etag: str
    headers: tuple[tuple[str, str], ...] = ()


def at(on: date, clock: str = "09:00") -> datetime:
    hour, minute = (int(x) for x in clock.split(":"))
    return datetime(on.year, on.month, on.day, hour, minute, tzinfo=BEIJING)


def resource(body: bytes, content_type: str, modified: datetime, headers: tuple[tuple[str, str], ...] = ()) -> Resource:
    return Resource(body, content_type, modified, '"' + hashlib.sha1(body).hexdigest()[:20] + '"', headers)


Entry = Report | Noise


class Site:
    """Routes of one portal. `invalidate()` after the spec changed (a report posted or replaced)."""

    def __init__(self, spec: FarmSpec, portal: Portal, cache: RenderCache | None = None) -> None:
        self.spec = spec
        self.portal = portal
        self.cache = cache
        self._lock = threading.Lock()
        self._render_lock = threading.Lock()  # one rendering at a time: LibreOffice is the bottleneck anyway
        self.changed_at: datetime | None = None  # lists changed by a test after the farm was built
        self._cache: dict[str, Resource] = {}
        self._generation = 0  # bumped by invalidate(): a page built before a change is not cached
        self._index()

    def _index(self) -> None:
        self.details: dict[str, Entry] = {}
        self.attachments: dict[str, Entry] = {}
        for entry in [*self.portal.reports, *self.portal.noise]:
            self.details[entry.detail_path] = entry
            if entry.attachment_path:
                self.attachments[entry.attachment_path] = entry

    def invalidate(self) -> None:
        with self._lock:
            self.changed_at = datetime.now(timezone.utc).replace(microsecond=0)
            self._generation += 1
            self._cache.clear()
            self._index()

    def warm(self) -> int:
        """Build every report page and attachment now (benchmarks time the crawler, not the farm)."""
        paths = [*self.details, *self.attachments]
        for path in paths:
            self.get(path)
        return len(paths)

    # -- encoding ---------------------------------------------------------------------------
    def html(self, text: str, modified: datetime) -> Resource:
        if self.portal.charset == "utf-8":
            return resource(text.encode("utf-8"), "text/html; charset=utf-8", modified)
        return resource(text.encode("gbk", errors="xmlcharrefreplace"), "text/html", modified)

    # -- routing ----------------------------------------------------------------------------
    def get(self, target: str) -> Resource | None:
        """The resource at `target` (path with optional query), or None for a 404."""
        path, _, query = target.partition("?")
        params = {k: v[0] for k, v in parse_qs(query).items()}
        key = self._cache_key(target, path, params)
        with self._lock:
            hit, generation = self._cache.get(key), self._generation
        if hit is not None:
            return hit
        built = self._build(target, path, params)
        if built is not None:
            with self._lock:
                # Query strings are endless, the pages are not: the bound only stops a runaway client.
                if generation == self._generation and len(self._cache) < CACHE_LIMIT:
                    self._cache[key] = built
        return built

    def _cache_key(self, target: str, path: str, params: dict[str, str]) -> str:
        if target in self.attachments or path.endswith((".jsp", ".json")) or self.portal.pager == "query":
            return path + "?" + "&".join(f"{k}={params[k]}" for k in sorted(params))
        return path

    def _build(self, target: str, path: str, params: dict[str, str]) -> Resource | None:
        if target in self.attachments:
            return self._attachment(self.attachments[target])
        if path == "/module/web/jpage/dataproxy.jsp" and self.portal.pager == "js_xml":
            return self.dataproxy(params)
        builder = self._static_routes().get(path)
        if builder is not None:
            return builder()
        if path in self.details:
            return self._detail(self.details[path])
        for column in self.portal.columns:
            page = self._list_route(column, path, params)
            if page is not None:
                return page
        if path.endswith("/") and self.portal.pager != "query":
            return self._build(path + "index.html", path + "index.html", params)  # a directory serves its index
        return None

    def _static_routes(self) -> dict[str, Callable[[], Resource]]:
        modified = self._list_modified(None)
        routes: dict[str, Callable[[], Resource]] = {
            "/": lambda: self.html(self._home(), modified),
            "/index.html": lambda: self.html(self._home(), modified),
            "/zwgk/index.html": lambda: self.html(pages.zwgk(self.portal), modified),
            "/robots.txt": lambda: resource(self.robots().encode(), "text/plain", modified),
        }
        for script_path, (text, ctype) in SCRIPTS.items():
            routes[script_path] = lambda text=text, ctype=ctype: resource(text.encode(), ctype, at(date(2023, 6, 1)))
        return routes

    def robots(self) -> str:
        lines = ["User-agent: *", "Disallow: /search/", "Disallow: /admin/"]
        lines += [f"Disallow: {f.target}" for f in self.portal.faults if f.kind == "robots" and f.target]
        return "\n".join(lines) + "\n"

    def _home(self) -> str:
        return pages.home(self.portal, [h.format(name=self.portal.name) for h in HEADLINES])

    # -- lists ------------------------------------------------------------------------------
    def entries(self, column: Column) -> list[Entry]:
        found: list[Entry] = [e for e in [*self.portal.reports, *self.portal.noise] if e.column == column.id]
        return sorted(found, key=lambda e: (e.published_on, e.key), reverse=True)

    def _newest(self, column: Column | None) -> date:
        entries = self.entries(column) if column else [*self.portal.reports, *self.portal.noise]
        dates = [e.modified_on if isinstance(e, Report) and e.modified_on else e.published_on for e in entries]
        return max(dates, default=date(2024, 1, 1))

    def _list_modified(self, column: Column | None) -> datetime:
        """Lists change when an entry is added, even one dated earlier: never older than the last change."""
        newest = at(self._newest(column))
        return max(newest, self.changed_at) if self.changed_at else newest

    def _href(self, column: Column, entry: Entry) -> str:
        path = (entry.listed_path if isinstance(entry, Report) else None) or entry.detail_path
        base = column_dir(column)
        if self.portal.pager == "static" and path.startswith(base):
            return "./" + path[len(base):]
        return path

    def items(self, column: Column, start: int, stop: int) -> tuple[list[Item], int]:
        entries = self.entries(column)
        chosen = entries[max(start, 0):max(stop, 0)]
        return [Item(e.title, self._href(column, e), e.published_on) for e in chosen], len(entries)

    def page_count(self, column: Column) -> int:
        return max(1, math.ceil(len(self.entries(column)) / column.page_size))

    def _list_route(self, column: Column, path: str, params: dict[str, str]) -> Resource | None:
        base, size = column_dir(column), column.page_size
        count, pager = self.page_count(column), self.portal.pager
        modified = self._list_modified(column)
        if pager == "static":
            index = 0 if path == column.path else _static_index(path, base)
            if index is None or index >= count:
                return None
            items, _ = self.items(column, index * size, (index + 1) * size)
            return self.html(pages.list_page(self.portal, column, items, pages.static_pager(count, index)), modified)
        if pager == "query" and path in (column.path, base + "index.html"):
            current = _int(params.get("page"), 1)
            if not 1 <= current <= count:
                return None
            items, _ = self.items(column, (current - 1) * size, current * size)
            return self.html(pages.list_page(self.portal, column, items, pages.query_pager(count, current)), modified)
        if path == column.path:
            return self.html(pages.js_shell(self.portal, column), modified)
        if pager == "js_json" and path == f"/api/column/{column.colid}/list.json":
            return self._json_list(column, _int(params.get("page"), 1), _int(params.get("size"), size))
        return None

    def _json_list(self, column: Column, page: int, size: int) -> Resource:
        size = min(max(size, 1), 100)
        items, total = self.items(column, (page - 1) * size, page * size)
        data = {"code": 0, "total": total, "page": page, "size": size, "pages": max(1, math.ceil(total / size)),
                "data": [{"title": i.title, "url": i.href, "publishDate": i.on.isoformat()} for i in items]}
        body = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return resource(body, "application/json; charset=utf-8", self._list_modified(column))

    def dataproxy(self, params: dict[str, str]) -> Resource | None:
        """大汉 jcms's list endpoint: records startrecord..endrecord (1-based) as CDATA <li> fragments."""
        colid = _int(params.get("columnid"), -1)
        column = next((c for c in self.portal.columns if c.colid == colid), None)
        if column is None:
            return None
        start, end = _int(params.get("startrecord"), 1), _int(params.get("endrecord"), column.page_size * 3)
        items, total = self.items(column, start - 1, min(end, start + 299))
        records = "".join(f"<record><![CDATA[{pages.list_items([i], self.portal.title_limit)}]]></record>\n" for i in items)
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n'
                f"<nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?page=1&columnid={colid}\"></a>]]></nextgroup>\n"
                f"<recordset>\n{records}</recordset>\n<totalrecord>{total}</totalrecord>\n"
                f"<totalpage>{self.page_count(column)}</totalpage>\n</datastore>\n")
        return resource(body.encode("utf-8"), "text/xml; charset=utf-8", self._list_modified(column))

    # -- details ----------------------------------------------------------------------------
    def _org_name(self, entry: Entry) -> str:
        return self.spec.orgs[entry.org_id].name

    def _detail(self, entry: Entry) -> Resource:
        column = self.portal.column(entry.column)
        org_name = self._org_name(entry)
        if isinstance(entry, Report):
            if entry.attachment_path:
                inner = '<p style="text-indent:2em;">（详见附件）</p>\n' + self._attachment_link(entry)
            else:
                inner = documents.content(self.spec, entry).data.decode("utf-8")
            modified = at(entry.modified_on or entry.published_on, pages.clock(entry.key))
        else:
            inner = pages.noise_text(entry, org_name)
            if entry.attachment_path:
                inner += "\n" + self._attachment_link(entry)
            modified = at(entry.published_on, pages.clock(entry.key))
        return self.html(pages.detail(self.portal, column, entry, org_name, inner), modified)

    def _attachment_link(self, entry: Entry) -> str:
        assert entry.attachment_path is not None
        ext = entry.attachment_path.rsplit(".", 1)[-1]
        href = entry.attachment_path
        detail_dir = entry.detail_path.rsplit("/", 1)[0] + "/"
        if self.portal.pager == "static" and href.startswith(detail_dir):
            href = "./" + href[len(detail_dir):]
        return pages.attachment_link(href, f"{entry.title}.{ext}")

    def _attachment(self, entry: Entry) -> Resource:
        assert entry.attachment_path is not None
        ext = entry.attachment_path.rsplit(".", 1)[-1]
        name = quote(f"{entry.title}.{ext}")
        headers = (("Content-Disposition", f"attachment; filename*=UTF-8''{name}"),)
        if isinstance(entry, Report):
            with self._render_lock:
                found = documents.content(self.spec, entry, self.cache)
            modified = at(entry.modified_on or entry.published_on, pages.clock(entry.key))
            return resource(found.data, found.media_type, modified, headers)
        # Noise attachments are only fault carriers (oversized); the fault layer serves them.
        return resource(escape(entry.title).encode(), documents.MEDIA_TYPES.get(ext, "application/octet-stream"),
                        at(entry.published_on), headers)


def _static_index(path: str, base: str) -> int | None:
    if not (path.startswith(base + "index_") and path.endswith(".html")):
        return None
    number = path[len(base + "index_"):-len(".html")]
    return int(number) if number.isdigit() and int(number) > 0 else None


def _int(value: str | None, default: int) -> int:
    if value is None or not value.strip().lstrip("-").isdigit():
        return default
    return int(value)
