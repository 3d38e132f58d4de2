"""Every link a crawler can follow leads somewhere (or to a recorded fault), for any seed."""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portalfarm import FarmSpec
from portalfarm.paths import column_dir
from portalfarm.site import Site
from portalfarm.spec import Portal

HREF = re.compile(rb'href="([^"]+)"')
MAX_PAGES = 2000


def _links(base: str, body: bytes) -> list[str]:
    found = []
    for raw in HREF.findall(body):
        href = unescape(raw.decode("ascii"))
        if href.startswith(("javascript:", "#", "mailto:")) or href.endswith(".css"):
            continue
        parts = urlsplit(urljoin("http://portal" + base, href))
        found.append(parts.path + ("?" + parts.query if parts.query else ""))
    return found


def crawl(spec: FarmSpec, portal: Portal) -> tuple[set[str], set[str]]:
    """(reached, broken) starting from the home page, following plain links and redirects."""
    site = Site(spec, portal)  # pages without the fault layer: redirects are followed by hand below
    redirects = {f.path: f.target for f in portal.faults if f.kind in ("redirect", "redirect_loop")}
    queue, seen, broken = deque(["/"]), {"/"}, set()
    # Script-written pagers and JS lists: a crawler derives these; seed them like it would.
    for column in portal.columns:
        for page in range(1, site.page_count(column)):
            extra = column_dir(column) + f"index_{page}.html" if portal.pager == "static" else None
            if extra:
                queue.append(extra)
                seen.add(extra)
    while queue and len(seen) < MAX_PAGES:
        target = queue.popleft()
        if target in redirects:
            follow = redirects[target]
            if follow and follow not in seen:
                seen.add(follow)
                queue.append(follow)
            continue
        if target in site.attachments:
            continue  # files, not pages (and PDF/DOC would need LibreOffice)
        found = site.get(target)
        if found is None:
            broken.add(target)
            continue
        if "html" not in found.content_type and "xml" not in found.content_type:
            continue
        for link in _links(target, found.body):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return seen, broken


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10_000), n_portals=st.integers(min_value=1, max_value=8))
def test_no_broken_links_and_every_listed_report_reachable(seed: int, n_portals: int) -> None:
    spec = FarmSpec.generate(seed, n_portals)
    for portal in spec.portals:
        if portal.pager in ("js_json", "js_xml"):
            continue  # lists come from endpoints: covered by the style tests
        seen, broken = crawl(spec, portal)
        assert not broken, (portal.id, sorted(broken)[:5])
        listed = {r.listed_path or r.detail_path for r in portal.reports}
        assert listed <= seen, (portal.id, sorted(listed - seen)[:5])


@settings(max_examples=6, deadline=None, derandomize=True)
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_paths_are_unique_and_consolidated_titles_name_their_body(seed: int) -> None:
    spec = FarmSpec.generate(seed, 10)
    for portal in spec.portals:
        paths = [p for e in [*portal.reports, *portal.noise] for p in (e.detail_path, e.attachment_path) if p]
        assert len(paths) == len(set(paths))
        for report in portal.reports:
            org = spec.orgs[report.org_id]
            assert org.portal_id == portal.id
            if report.column in ("bmnb", "xzjdnb") and report.source == "generated":
                assert org.name in report.title
