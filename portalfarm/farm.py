"""`Farm`: every portal of a `FarmSpec` served on loopback, one address per portal.

    spec = FarmSpec.generate(seed=1, n_portals=12)
    with Farm(spec, cache_dir=portalfarm.cache.default_root()).running() as farm:  # cache: optional
        farm.base_url("p00")      # http://127.77.0.1:40123/
        farm.truth()              # what a perfect crawler finds
        farm.registry_csv()       # what `nianbao registry import` reads
"""

from __future__ import annotations

import json
import threading
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from portalfarm import registry, truth
from portalfarm.cache import RenderCache
from portalfarm.generator import REPORT_TITLES
from portalfarm.handler import PortalHandler
from portalfarm.paths import extra_paths
from portalfarm.server import ServerGroup
from nianbao.errors import NianbaoError
from portalfarm.site import BuildError, Resource, Site
from portalfarm.spec import Fault, FarmSpec, Portal, Report

MAX_WAIT_SECONDS = 60.0  # no fault holds a connection longer, whatever its spec says
LOG_LIMIT = 100_000


class FarmApp:
    """State the request handlers share: sites, fault counters, request log."""

    def __init__(self, spec: FarmSpec, cache: RenderCache) -> None:
        self.spec = spec
        self.sites = {p.id: Site(spec, p, cache) for p in spec.portals}
        self.group = ServerGroup(PortalHandler, self)
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.log: dict[str, deque[tuple[str, str, int]]] = {p.id: deque(maxlen=LOG_LIMIT) for p in spec.portals}
        self.failures: Counter[tuple[str, str]] = Counter()
        self.errors: list[tuple[str, str, str]] = []  # (portal, path, error) of pages that failed to build

    def portal(self, portal_id: str) -> Portal:
        return self.spec.portal(portal_id)

    def site(self, portal_id: str) -> Site:
        return self.sites[portal_id]

    def build(self, portal_id: str, target: str) -> Resource | None:
        """The resource, or None for a 404; a rendering that fails raises BuildError (recorded in errors)."""
        try:
            return self.site(portal_id).get(target)
        except (NianbaoError, OSError, LookupError, ValueError) as err:
            with self.lock:
                self.errors.append((portal_id, target, f"{type(err).__name__}: {err}"))
            raise BuildError(target) from err

    def fault_for(self, portal_id: str, target: str) -> Fault | None:
        path = target.partition("?")[0]
        faults = [f for f in self.portal(portal_id).faults if f.kind != "robots"]
        exact = next((f for f in faults if f.path == target), None)
        return exact or next((f for f in faults if f.path == path), None)

    def should_fail(self, portal_id: str, fault: Fault) -> bool:
        """server_error faults with `times` fail only the first N requests."""
        with self.lock:
            self.failures[(portal_id, fault.path)] += 1
            return fault.times is None or self.failures[(portal_id, fault.path)] <= fault.times

    def record(self, portal_id: str, method: str, target: str, status: int) -> None:
        with self.lock:
            self.counts[portal_id] += 1
            self.log[portal_id].append((method, target, status))

    def wait(self, seconds: float) -> None:
        self.group.stopping.wait(min(max(seconds, 0.0), MAX_WAIT_SECONDS))

    def stopping(self) -> bool:
        return self.group.stopping.is_set()


class Farm:
    """Serves a spec. `names=True` puts host names (www.x.gov.cn) in URLs; then clients resolve them
    with `hosts` (Scrapy: `portalfarm.resolver.FarmResolver`; Chromium: `chromium_host_rules()`)."""

    def __init__(self, spec: FarmSpec, *, port: int = 0, names: bool = False, cache_dir: Path | None = None,
                 prerender: bool = False) -> None:
        self.spec = spec
        self.port = port
        self.names = names
        self.prerender = prerender
        self.ports: dict[str, int] = {}
        self.app = FarmApp(spec, RenderCache(cache_dir))
        self._prerenderer: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> Farm:
        try:
            for portal in self.spec.portals:
                self.ports[portal.id] = self.app.group.bind(portal.id, portal.ip, self.port)
        except OSError as err:
            self.app.group.stop()  # close what was bound before the failure
            raise OSError(f"portal farm cannot listen on {portal.ip}:{self.port}: {err.strerror}") from err
        self.app.group.start()
        if self.prerender:
            self._prerenderer = threading.Thread(target=self._render_attachments, name="portalfarm-prerender",
                                                 daemon=True)
            self._prerenderer.start()
        return self

    def stop(self) -> None:
        self.app.group.stop()
        if self._prerenderer is not None:
            self._prerenderer.join(timeout=120)  # at most the rendering in progress

    def _render_attachments(self) -> None:
        """Render every attachment in the background (slow LibreOffice formats first), until stopped."""
        pending = [(p.id, r.attachment_path, r.fmt) for p in self.spec.portals for r in p.reports if r.attachment_path]
        pending.sort(key=lambda item: item[2] not in ("pdf", "doc"))
        for portal_id, path, _ in pending:
            if self.app.stopping():
                return
            try:
                self.app.build(portal_id, path)
            except BuildError:
                continue  # recorded in app.errors; the request for it will answer 500

    def warm(self) -> int:
        """Build every report page and attachment of every portal in this thread; returns how many."""
        return sum(site.warm() for site in self.app.sites.values())

    @contextmanager
    def running(self) -> Iterator[Farm]:
        self.start()
        try:
            yield self
        finally:
            self.stop()

    # -- addresses ---------------------------------------------------------------------------
    @property
    def hosts(self) -> dict[str, str]:
        """Host name -> loopback address, for resolver overrides."""
        return {p.host: p.ip for p in self.spec.portals}

    def base_url(self, portal_id: str) -> str:
        portal = self.spec.portal(portal_id)
        return f"http://{portal.host if self.names else portal.ip}:{self.ports[portal_id]}/"

    def url(self, portal_id: str, path: str) -> str:
        return self.base_url(portal_id).rstrip("/") + path

    def chromium_host_rules(self) -> str:
        """Value for Chromium's --host-resolver-rules: farm names to their addresses, nothing else resolves."""
        rules = [f"MAP {host} {ip}" for host, ip in self.hosts.items()]
        return ", ".join([*rules, "MAP * ~NOTFOUND", "EXCLUDE 127.0.0.1"])

    # -- what tests inspect ------------------------------------------------------------------
    def truth(self) -> dict[str, Any]:
        return truth.manifest(self.spec, self.url, self.hosts)

    def registry_csv(self) -> str:
        return registry.registry_csv(self.spec, self.url)

    def write_manifest(self, folder: Path) -> tuple[Path, Path]:
        """Write registry.csv and truth.json into `folder` (for the demo); returns both paths."""
        folder.mkdir(parents=True, exist_ok=True)
        reg, manifest = folder / "registry.csv", folder / "truth.json"
        reg.write_text(self.registry_csv(), encoding="utf-8")
        manifest.write_text(json.dumps(self.truth(), ensure_ascii=False, indent=1), encoding="utf-8")
        return reg, manifest

    @property
    def request_count(self) -> dict[str, int]:
        """Responses per portal id so far (hung requests included)."""
        with self.app.lock:
            return {p.id: self.app.counts[p.id] for p in self.spec.portals}

    def requests(self, portal_id: str) -> list[tuple[str, str, int]]:
        """(method, path, status) of each request to the portal, oldest first (status 0: hung up)."""
        with self.app.lock:
            return list(self.app.log[portal_id])

    def reset_counts(self) -> None:
        with self.app.lock:
            self.app.counts.clear()
            for log in self.app.log.values():
                log.clear()

    # -- changes between crawls --------------------------------------------------------------
    def post_report(self, org_id: str, year: int, *, published_on: date | None = None, fmt: str | None = None,
                    consistent: bool = True, title: str | None = None) -> dict[str, Any]:
        """Publish a new report of `org_id` for `year`; returns its truth entry."""
        org = self.spec.orgs[org_id]
        portal = self.spec.portal(org.portal_id)
        on = published_on or date.today()
        site = self.app.site(portal.id)
        paths = extra_paths(portal, "post")
        column = portal.column(org.column)
        fmt = fmt or "html"
        key = _free_key(portal, f"r-{org_id}-{year}")
        report = Report(key, org_id, year, title or REPORT_TITLES[0].format(org=org.name, year=year), org.column,
                        "generated", fmt, on, paths.detail(column, on),
                        paths.attachment(column, on, fmt) if fmt != "html" else None, consistent=consistent,
                        variant=len(portal.reports))
        with self.app.lock:
            portal.reports = [report, *portal.reports]  # a new list: handlers may be iterating the old one
            if (org_id, year) in self.spec.missing:
                self.spec.missing.remove((org_id, year))
        site.invalidate()
        return truth.report_truth(self.spec, portal, report, self.url)

    def replace_report(self, org_id: str, year: int, *, consistent: bool | None = None,
                       modified_on: date | None = None) -> dict[str, Any]:
        """Change a published report in place (same URL, new content and version); returns its truth entry."""
        portal = self.spec.portal_of(org_id)
        index, old = next((i, r) for i, r in enumerate(portal.reports) if r.org_id == org_id and r.year == year)
        if old.source.startswith("real:"):
            raise ValueError(f"{old.key} is a real document and cannot be changed")
        new = replace(old, version=old.version + 1, modified_on=modified_on or date.today(),
                      consistent=old.consistent if consistent is None else consistent)
        with self.app.lock:
            portal.reports = [*portal.reports[:index], new, *portal.reports[index + 1:]]
        self.app.site(portal.id).invalidate()
        return truth.report_truth(self.spec, portal, new, self.url)


def _free_key(portal: Portal, key: str) -> str:
    keys = {r.key for r in portal.reports}
    if key not in keys:
        return key
    for n in range(2, 1000):
        if f"{key}-{n}" not in keys:
            return f"{key}-{n}"
    raise RuntimeError("too many reports for one body and year")
