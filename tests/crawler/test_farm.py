"""The crawler against a farm of 50 simulated portals (every pager, charset, date style and fault)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

import portalfarm.cache
from db.engine import init_db, make_engine, session_scope
from db.registry import import_registry
from portalfarm import Farm, FarmSpec
from tests.crawler.farm_checks import (
    UNVISITED, by_url, duplicates, fetches, match, noise_urls, stored_reports, truth_reports)
from tests.crawler.helpers import run_crawl

pytestmark = [pytest.mark.slow, pytest.mark.browser]
N_PORTALS = 50


@dataclass
class FarmCrawl:
    farm: Farm
    truth: dict[str, Any]
    engine: Engine
    url: str
    data: Path
    first_requests: int


@pytest.fixture(scope="module")
def farm_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FarmCrawl]:
    root = tmp_path_factory.mktemp("farm")
    url = f"sqlite:///{root / 'nianbao.db'}"
    engine = make_engine(url)
    init_db(engine)
    spec = FarmSpec.generate(seed=1, n_portals=N_PORTALS)
    with Farm(spec, cache_dir=portalfarm.cache.default_root()).running() as farm:
        with session_scope(engine) as session:
            assert not import_registry(session=session, data=farm.registry_csv().encode()).errors
        run_crawl(url, root / "data", timeout=900)
        yield FarmCrawl(farm, farm.truth(), engine, url, root / "data", sum(farm.request_count.values()))
    engine.dispose()


def test_farm_covers_every_style_and_fault(farm_crawl: FarmCrawl) -> None:
    portals = farm_crawl.truth["portals"]
    assert {p["styles"]["pager"] for p in portals} == {"static", "query", "js_json", "js_xml"}
    assert {p["styles"]["charset"] for p in portals} == {"utf-8", "gbk-meta", "gbk-none"}
    kinds = {f["kind"] for p in portals for f in p["faults"]}
    assert kinds >= {"not_found", "server_error", "slow", "redirect", "wrong_type", "truncated", "robots"}


def test_every_reachable_report_found_with_body_and_year(farm_crawl: FarmCrawl) -> None:
    index = by_url(stored_reports(farm_crawl.engine))
    wanted = truth_reports(farm_crawl.truth)
    missing = [r["url"] for r in wanted if match(r, index) is None]
    assert not missing
    wrong = [(r["url"], r["org_id"], r["year"]) for r in wanted
             if (match(r, index).org_id, match(r, index).year) != (r["org_id"], r["year"])]  # type: ignore[union-attr]
    assert not wrong
    dates = [r["url"] for r in wanted if str(match(r, index).published_on) != r["published_on"]]  # type: ignore[union-attr]
    assert not dates


def test_no_noise_stored_and_nothing_twice(farm_crawl: FarmCrawl) -> None:
    reports = stored_reports(farm_crawl.engine)
    noise = noise_urls(farm_crawl.truth)
    assert not [r.source_url for r in reports if r.source_url in noise or r.page_url in noise]
    assert not duplicates(reports)
    assert len(reports) == len(truth_reports(farm_crawl.truth))


def test_every_fault_recorded_against_its_portal(farm_crawl: FarmCrawl) -> None:
    rows = fetches(farm_crawl.engine)
    for portal in farm_crawl.truth["portals"]:
        owner = portal["orgs"][0]
        for fault in portal["faults"]:
            if fault["kind"] == "robots":
                prefix = portal["base_url"].rstrip("/") + fault["target"]
                hit = [f for f in rows if f.url.startswith(prefix) and f.error == "robots.txt 禁止抓取"]
            else:
                hit = [f for f in rows if f.url == fault["url"]]
            if fault["kind"] in UNVISITED:
                assert not hit, f"noise opened: {fault}"
                continue
            assert hit and {f.org_id for f in hit} == {owner}, fault
            expected = {"not_found": "HTTP 404", "server_error": "HTTP 500", "truncated": "连接中断"}.get(fault["kind"])
            if expected:
                assert any((f.error or "").startswith(expected) for f in hit), fault
            if fault["kind"] == "slow":
                assert max(f.elapsed_ms or 0 for f in hit) >= 900
            if fault["kind"] == "redirect":
                assert any(f.status == 301 for f in hit)


def test_unchanged_recrawl_sends_few_requests(farm_crawl: FarmCrawl) -> None:
    farm_crawl.farm.reset_counts()
    done = run_crawl(farm_crawl.url, farm_crawl.data, timeout=600)
    again = sum(farm_crawl.farm.request_count.values())
    assert again <= 0.15 * farm_crawl.first_requests, (again, farm_crawl.first_requests)
    assert "新增 0 份" in done.stdout
    assert not duplicates(stored_reports(farm_crawl.engine))
