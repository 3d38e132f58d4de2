"""Rechecking known report documents: a report corrected in place (same URL) becomes version 2."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import portalfarm.cache
from db.engine import init_db, make_engine, session_scope
from db.models import Report
from db.registry import import_registry
from portalfarm import Farm, FarmSpec
from tests.crawler.farm_checks import by_url, match, stored_reports, truth_reports
from tests.crawler.helpers import run_crawl

pytestmark = [pytest.mark.slow, pytest.mark.browser]
EVERY_CRAWL = ("-s", "NIANBAO_REVALIDATE_AFTER_DAYS=0", "-s", "NIANBAO_REVALIDATE_MAX=1")


@dataclass
class Crawled:
    farm: Farm
    engine: Engine
    url: str
    data: Path
    first_requests: int


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    root = tmp_path_factory.mktemp("recheck")
    url = f"sqlite:///{root / 'nianbao.db'}"
    engine = make_engine(url)
    init_db(engine)
    spec = FarmSpec.generate(seed=5, n_portals=6, faults=False)
    with Farm(spec, cache_dir=portalfarm.cache.default_root()).running() as farm:
        with session_scope(engine) as session:
            assert not import_registry(session=session, data=farm.registry_csv().encode()).errors
        run_crawl(url, root / "data", timeout=600)
        yield Crawled(farm, engine, url, root / "data", sum(farm.request_count.values()))
    engine.dispose()


def _versions(engine: Engine) -> dict[tuple[str | None, int | None], list[Report]]:
    found: dict[tuple[str | None, int | None], list[Report]] = {}
    with Session(engine) as session:
        for row in session.exec(select(Report).order_by(Report.version)):  # type: ignore[arg-type]
            found.setdefault((row.org_id, row.year), []).append(row)
    return found


def _target(url: str) -> str:
    """The request target the farm logs: path and query."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _changeable(truth: dict[str, Any]) -> list[dict[str, Any]]:
    """One attachment report and one inline HTML report, generated (seeds cannot be changed)."""
    reports = [r for r in truth_reports(truth) if not r["source"].startswith("real:") and r["version"] == 1]
    attached = next(r for r in reports if r["url"] != r["page_url"])
    inline = next(r for r in reports if r["url"] == r["page_url"])
    return [attached, inline]


def test_default_age_recrawl_rechecks_nothing(crawled: Crawled) -> None:
    before = _versions(crawled.engine)
    crawled.farm.reset_counts()
    run_crawl(crawled.url, crawled.data, timeout=300)
    again = sum(crawled.farm.request_count.values())
    assert again <= 0.15 * crawled.first_requests, (again, crawled.first_requests)
    after = _versions(crawled.engine)
    assert {k: [v.id for v in vs] for k, vs in after.items()} == {k: [v.id for v in vs] for k, vs in before.items()}


def test_report_corrected_in_place_becomes_version_two(crawled: Crawled) -> None:
    truth = crawled.farm.truth()
    index = by_url(stored_reports(crawled.engine))
    changed = _changeable(truth)
    keys = {(r["org_id"], r["year"]) for r in changed}
    assert all(match(r, index) is not None for r in changed)
    before = _versions(crawled.engine)
    assert all(len(before[key]) == 1 for key in keys)
    for report in changed:
        crawled.farm.replace_report(report["org_id"], report["year"], consistent=True,
                                    modified_on=date.today() - timedelta(days=1))
    crawled.farm.reset_counts()
    run_crawl(crawled.url, crawled.data, *EVERY_CRAWL, timeout=300)
    after = _versions(crawled.engine)
    for key in keys:
        old, new = after[key]
        assert (old.version, new.version) == (1, 2)
        assert new.is_latest and not old.is_latest
        first = before[key][0]
        assert (old.id, old.document_sha256, old.content_hash, old.data) == (
            first.id, first.document_sha256, first.content_hash, first.data)
        assert new.document_sha256 != old.document_sha256 and new.content_hash != old.content_hash
        assert new.source_url == old.source_url
    others = {k: [v.id for v in vs] for k, vs in after.items() if k not in keys}
    assert others == {k: [v.id for v in vs] for k, vs in before.items() if k not in keys}
    # Unchanged documents were asked conditionally: 304s, not full downloads.
    targets = {_target(r["url"]) for r in truth_reports(truth) if (r["org_id"], r["year"]) not in keys}
    statuses = [status for p in truth["portals"] for _, target, status in crawled.farm.requests(p["id"])
                if target in targets]
    assert statuses and statuses.count(304) >= 0.9 * len(statuses), statuses


def _latest_urls(engine: Engine) -> list[str]:
    """Stored report documents, oldest check first (the order rechecks take)."""
    with Session(engine) as session:
        rows = session.exec(select(Report.source_url).where(Report.is_latest, Report.org_id.is_not(None))  # type: ignore[union-attr]
                            .order_by(Report.last_seen_at, Report.source_url)).all()  # type: ignore[arg-type]
    return [u for u in rows if u]


def test_recheck_is_capped_oldest_first(crawled: Crawled) -> None:
    truth = crawled.farm.truth()
    targets = {_target(r["url"]) for r in truth_reports(truth)}
    oldest = {_target(u) for u in _latest_urls(crawled.engine)[:3]}
    crawled.farm.reset_counts()
    run_crawl(crawled.url, crawled.data, "-s", "NIANBAO_REVALIDATE_AFTER_DAYS=0", "-s", "NIANBAO_REVALIDATE_MAX=3",
              timeout=300)
    rechecked = [target for p in truth["portals"] for _, target, _ in crawled.farm.requests(p["id"])
                 if target in targets]
    assert len(rechecked) == 3 and set(rechecked) == oldest, (rechecked, oldest)


def test_everything_due_rechecks_only_the_default_cap(crawled: Crawled) -> None:
    """A crawl when every document is due (a weekly crawl) adds at most NIANBAO_REVALIDATE_MAX's 304s."""
    crawled.farm.reset_counts()
    run_crawl(crawled.url, crawled.data, timeout=300)
    base = sum(crawled.farm.request_count.values())
    targets = {_target(r["url"]) for r in truth_reports(crawled.farm.truth())}
    cap = math.ceil(0.05 * len(_latest_urls(crawled.engine)))
    crawled.farm.reset_counts()
    run_crawl(crawled.url, crawled.data, "-s", "NIANBAO_REVALIDATE_AFTER_DAYS=0", timeout=300)
    again = sum(crawled.farm.request_count.values())
    rechecked = [status for p in crawled.farm.truth()["portals"] for _, target, status in crawled.farm.requests(p["id"])
                 if target in targets]
    assert rechecked == [304] * cap, rechecked
    assert again <= base + cap, (again, base, cap)
