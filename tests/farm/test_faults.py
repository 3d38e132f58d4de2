"""Injected faults behave as the truth manifest says, and none of them can hold a client forever."""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
from dataclasses import replace
from typing import Any

import pytest

from portalfarm import Farm, FarmSpec
from portalfarm.spec import FAULT_KINDS, Fault
from tests.farm.conftest import fetch, raw_get, with_fault


def test_every_fault_kind_is_injected_and_recorded(truth: dict[str, Any], spec: FarmSpec) -> None:
    recorded = {f["kind"] for p in truth["portals"] for f in p["faults"]}
    assert recorded == set(FAULT_KINDS)
    assert not spec.portals[0].faults  # the first portal stays clean


def test_server_error_fails_the_first_requests_then_recovers(farm: Farm, spec: FarmSpec) -> None:
    portal, fault = with_fault(spec, "server_error")
    url = farm.url(portal.id, fault.path)
    assert [fetch(url).status for _ in range(3)] == [500, 500, 200]


def test_not_found_link_is_listed_but_missing(farm: Farm, spec: FarmSpec) -> None:
    portal, fault = with_fault(spec, "not_found")
    assert any(n.detail_path == fault.path and n.kind == "dead_link" for n in portal.noise)
    assert fetch(farm.url(portal.id, fault.path)).status == 404


def test_redirect_leads_to_the_report(farm: Farm, spec: FarmSpec) -> None:
    portal, fault = with_fault(spec, "redirect")
    first = fetch(farm.url(portal.id, fault.path), follow=False)
    assert first.status == 301 and first.headers["Location"] == fault.target
    final = fetch(farm.url(portal.id, fault.path))
    assert final.status == 200


def test_redirect_loop_never_ends(farm: Farm, spec: FarmSpec) -> None:
    portal, fault = with_fault(spec, "redirect_loop")
    hop = fetch(farm.url(portal.id, fault.path), follow=False)
    back = fetch(farm.url(portal.id, hop.headers["Location"]), follow=False)
    assert hop.status == back.status == 302 and back.headers["Location"] == fault.path
    assert fetch(farm.url(portal.id, fault.path)).status == 302  # urllib gives up on the loop


def test_hung_response_times_the_client_out(farm: Farm, spec: FarmSpec) -> None:
    portal, fault = with_fault(spec, "hang")
    started = time.monotonic()
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        fetch(farm.url(portal.id, fault.path), timeout=0.5)
    assert time.monotonic() - started < 3


def test_hang_is_bounded_by_the_server() -> None:
    spec = FarmSpec.generate(3, 1, faults=False)
    portal = spec.portals[0]
    portal.faults.append(Fault("hang", "/held.html", seconds=0.3))
    with Farm(spec).running() as farm:
        started = time.monotonic()
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            raw_get(portal.ip, farm.ports[portal.id], "/held.html", timeout=5)
        assert 0.25 < time.monotonic() - started < 3


def test_slow_response_arrives_late(farm: Farm, spec: FarmSpec) -> None:
    portal, fault = with_fault(spec, "slow")
    started = time.monotonic()
    assert fetch(farm.url(portal.id, fault.path)).status == 200
    assert time.monotonic() - started >= fault.seconds * 0.9


def test_wrong_content_type_is_claimed(farm: Farm, spec: FarmSpec) -> None:
    portal, fault = with_fault(spec, "wrong_type")
    got = fetch(farm.url(portal.id, fault.path), method="HEAD")
    assert got.headers["Content-Type"] == fault.content_type


def test_truncated_body_is_shorter_than_announced(farm: Farm, spec: FarmSpec) -> None:
    portal, fault = with_fault(spec, "truncated")
    response = raw_get(portal.ip, farm.ports[portal.id], fault.path, timeout=5)
    assert response.status == 200
    with pytest.raises(http.client.IncompleteRead):
        response.read()


def test_oversized_attachment_announces_its_size(farm: Farm, spec: FarmSpec) -> None:
    portal, fault = with_fault(spec, "oversized")
    got = fetch(farm.url(portal.id, fault.path), method="HEAD")
    assert int(got.headers["Content-Length"]) == fault.size > 50 * 1024 * 1024
    response = raw_get(portal.ip, farm.ports[portal.id], fault.path, timeout=5)
    assert response.read(8) == b"%PDF-1.4"
    response.close()


def test_robots_disallows_the_recorded_prefix(farm: Farm, spec: FarmSpec, truth: dict[str, Any]) -> None:
    portal, fault = with_fault(spec, "robots")
    robots = fetch(farm.url(portal.id, "/robots.txt")).body.decode()
    assert f"Disallow: {fault.target}" in robots
    reports = next(p for p in truth["portals"] if p["id"] == portal.id)["reports"]
    assert any(r["robots_disallowed"] for r in reports)


def test_faults_can_be_planned_per_portal() -> None:
    spec = FarmSpec.generate(4, 3, faults={"p01": ["hang", "robots"], "p02": []})
    assert [f.kind for f in spec.portal("p01").faults] == ["hang", "robots"]
    assert not spec.portal("p00").faults and not spec.portal("p02").faults
    fault = spec.add_fault("p02", "server_error", times=None)
    with Farm(spec).running() as farm:
        assert {fetch(farm.url("p02", fault.path)).status for _ in range(4)} == {500}
        assert farm.truth()["portals"][2]["faults"][0]["kind"] == "server_error"


def test_a_document_that_cannot_be_built_answers_500_and_is_recorded() -> None:
    spec = FarmSpec.generate(9, 1, faults=False)
    portal = spec.portals[0]
    broken = replace(portal.reports[0], fmt="wps", attachment_path="/zwgk/ndbg/broken.wps")
    portal.reports = [broken, *portal.reports[1:]]
    with Farm(spec, prerender=True).running() as farm:
        assert fetch(farm.url(portal.id, "/zwgk/ndbg/broken.wps")).status == 500
        assert fetch(farm.url(portal.id, "/")).status == 200
        assert farm.app.errors and farm.app.errors[0][:2] == (portal.id, "/zwgk/ndbg/broken.wps")
