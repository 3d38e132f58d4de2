"""What a re-crawl needs: conditional GET, new and changed reports between crawls, request counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from portalfarm import Farm, FarmSpec
from tests.farm.conftest import fetch


@pytest.fixture
def small_farm() -> Iterator[Farm]:
    """A farm of its own: these tests change what it serves."""
    with Farm(FarmSpec.generate(11, 2, faults=False)).running() as farm:
        yield farm


def test_conditional_get_answers_304(farm: Farm, spec: FarmSpec) -> None:
    portal = spec.portals[0]
    url = farm.url(portal.id, portal.reports[0].detail_path)
    first = fetch(url)
    assert first.status == 200 and first.headers["ETag"] and first.headers["Last-Modified"]
    assert fetch(url, headers={"If-None-Match": first.headers["ETag"]}).status == 304
    assert fetch(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status == 304
    assert fetch(url, headers={"If-None-Match": '"other"'}).status == 200
    assert fetch(url, headers={"If-Modified-Since": "Mon, 01 Jan 2018 00:00:00 GMT"}).status == 200


def test_post_report_appears_in_the_list_and_the_truth(small_farm: Farm) -> None:
    portal = small_farm.spec.portals[0]
    org_id = portal.org_ids[0]
    column = portal.column(small_farm.spec.orgs[org_id].column)
    before = fetch(small_farm.url(portal.id, column.path))
    entry = small_farm.post_report(org_id, 2025, published_on=date(2026, 2, 1))
    after = fetch(small_farm.url(portal.id, column.path), headers={"If-None-Match": before.headers["ETag"]})
    assert after.status == 200 and entry["title"] in after.body.decode("utf-8")
    assert fetch(entry["url"]).status == 200
    keys = [r["key"] for p in small_farm.truth()["portals"] for r in p["reports"]]
    assert entry["key"] in keys and entry["published_on"] == "2026-02-01"


def test_replace_report_keeps_the_url_and_changes_the_content(small_farm: Farm) -> None:
    portal = small_farm.spec.portals[0]
    report = next(r for r in portal.reports if r.source == "generated")
    url = small_farm.url(portal.id, report.detail_path)
    old = fetch(url)
    entry = small_farm.replace_report(report.org_id, report.year, consistent=False, modified_on=date(2026, 3, 1))
    assert entry["url"] == url and entry["version"] == 2 and not entry["consistent"]
    new = fetch(url, headers={"If-None-Match": old.headers["ETag"]})
    assert new.status == 200 and new.body != old.body and "更正" in new.body.decode("utf-8")
    assert new.headers["Last-Modified"] != old.headers["Last-Modified"]


def test_request_count_per_portal(small_farm: Farm) -> None:
    small_farm.reset_counts()
    first, second = small_farm.spec.portals
    for _ in range(3):
        fetch(small_farm.url(first.id, "/index.html"))
    fetch(small_farm.url(second.id, "/nothing-here.html"))
    assert small_farm.request_count == {first.id: 3, second.id: 1}
    assert small_farm.requests(second.id) == [("GET", "/nothing-here.html", 404)]


def test_a_list_changed_by_an_older_report_is_not_304(small_farm: Farm) -> None:
    portal = small_farm.spec.portals[0]
    org_id = portal.org_ids[0]
    column = portal.column(small_farm.spec.orgs[org_id].column)
    before = fetch(small_farm.url(portal.id, column.path))
    small_farm.post_report(org_id, 2019, published_on=date(2020, 1, 20))
    again = fetch(small_farm.url(portal.id, column.path), headers={"If-Modified-Since": before.headers["Last-Modified"]})
    assert again.status == 200


def test_a_directory_serves_its_index(farm: Farm, spec: FarmSpec) -> None:
    portal = spec.with_style(pager="static")
    column = portal.column("ndbg")
    directory = column.path.rsplit("/", 1)[0] + "/"
    assert fetch(farm.url(portal.id, directory)).body == fetch(farm.url(portal.id, column.path)).body
