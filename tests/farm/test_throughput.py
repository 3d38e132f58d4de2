"""The farm serves well over 150 pages/s on this machine (keep-alive clients, as Scrapy's)."""

from __future__ import annotations

import http.client
import threading
import time

from portalfarm import Farm, FarmSpec

REQUIRED_PAGES_PER_SECOND = 150


def _crawl(farm: Farm, targets: list[tuple[str, str]], statuses: list[int]) -> None:
    conns: dict[str, http.client.HTTPConnection] = {}
    try:
        for portal_id, path in targets:
            portal = farm.spec.portal(portal_id)
            conn = conns.setdefault(portal_id, http.client.HTTPConnection(portal.ip, farm.ports[portal_id], timeout=10))
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
    finally:
        for conn in conns.values():
            conn.close()


def test_serves_more_than_150_pages_per_second(farm: Farm, spec: FarmSpec) -> None:
    targets = [(p.id, e.detail_path) for p in spec.portals for e in [*p.reports, *p.noise]
               if not any(f.path == e.detail_path for f in p.faults)]
    targets += [(p.id, c.path) for p in spec.portals for c in p.columns if not any(f.path == c.path for f in p.faults)]
    statuses: list[int] = []
    started = time.monotonic()
    threads = [threading.Thread(target=_crawl, args=(farm, targets[i::4], statuses)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    elapsed = time.monotonic() - started
    assert set(statuses) == {200} and len(statuses) == len(targets) > 300
    assert len(statuses) / elapsed > REQUIRED_PAGES_PER_SECOND
