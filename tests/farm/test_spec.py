"""Determinism, the truth manifest and the registry CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest

from portalfarm import Farm, FarmSpec
from portalfarm.site import Site
from portalfarm.spec import CHARSETS, PAGERS
from tests.farm.conftest import fetch

REGISTRY_COLUMNS = ["id", "name", "aliases", "kind", "region_code", "level", "parent_id", "homepage",
                    "report_list_url", "deadline", "supervisor_emails"]


def _site_digest(spec: FarmSpec) -> str:
    """A digest of every list, detail and endpoint page of every portal (attachments excluded: LibreOffice)."""
    digest = hashlib.sha256()
    for portal in spec.portals:
        site = Site(spec, portal)
        targets = ["/", "/zwgk/index.html", "/robots.txt", *(c.path for c in portal.columns),
                   *(e.detail_path for e in [*portal.reports, *portal.noise])]
        for target in targets:
            found = site.get(target)
            digest.update(target.encode() + (found.body + found.etag.encode() if found else b"404"))
    return digest.hexdigest()


def test_same_seed_same_bytes() -> None:
    assert _site_digest(FarmSpec.generate(5, 6)) == _site_digest(FarmSpec.generate(5, 6))
    assert _site_digest(FarmSpec.generate(5, 6)) != _site_digest(FarmSpec.generate(6, 6))


def test_served_bytes_do_not_depend_on_the_port(farm: Farm, spec: FarmSpec) -> None:
    again = FarmSpec.generate(spec.seed, len(spec.portals))
    with Farm(again).running() as other:
        for portal in spec.portals[:4]:
            path = portal.reports[0].detail_path
            assert fetch(farm.url(portal.id, path)).body == fetch(other.url(portal.id, path)).body


def test_twelve_portals_cover_every_style(spec: FarmSpec) -> None:
    styles = [p.styles for p in spec.portals]
    assert {s["pager"] for s in styles} == set(PAGERS)
    assert {s["charset"] for s in styles} == set(CHARSETS)
    assert {s["attachments"] for s in styles} == {True, False}
    assert {s["nav_only"] for s in styles} == {True, False}
    assert len({p.ip for p in spec.portals}) == len({p.host for p in spec.portals}) == len(spec.portals)


def test_truth_lists_reports_noise_and_seeds(truth: dict[str, Any]) -> None:
    reports = [r for p in truth["portals"] for r in p["reports"]]
    sources = {r["source"] for r in reports}
    assert {"seed:000_a15f4547cccf094c", "seed:002_552a8d10fa63c5da", "seed:003_b8ab7f4a548cfaef",
            "seed:004_9e832b1717b2646d", "real:huaian-2024"} <= sources
    assert {r["consistent"] for r in reports} == {True, False}
    assert {r["truth"]["template"] for r in reports} == {"2019", "2021"}
    assert {r["year"] for r in reports} == {2022, 2023, 2024}
    assert any(r["late"] for r in reports) and truth["missing"]
    noise = [n for p in truth["portals"] for n in p["noise"]]
    assert {"budget", "final_accounts", "work_summary"} <= {n["kind"] for n in noise}
    assert not {n["url"] for n in noise} & {r["page_url"] for r in reports}


def test_every_clean_report_is_served(truth: dict[str, Any]) -> None:
    for portal in truth["portals"][:6]:
        for report in portal["reports"]:
            if report["faults"] or report["format"] in ("pdf", "doc") and report["source"] != "real:huaian-2024":
                continue  # pdf/doc renderings need LibreOffice; covered by the formats tests
            got = fetch(report["page_url"])
            assert got.status == 200, report["page_url"]


def test_registry_csv_matches_interfaces(farm: Farm, spec: FarmSpec) -> None:
    rows = list(csv.DictReader(io.StringIO(farm.registry_csv())))
    assert list(rows[0]) == REGISTRY_COLUMNS
    assert {r["id"] for r in rows} == set(spec.orgs)
    ids = set()
    for row in rows:
        assert row["kind"] in ("government", "department", "township")
        assert not row["parent_id"] or row["parent_id"] in ids  # parents come first
        ids.add(row["id"])
        assert row["homepage"].startswith("http://127.77.")
    assert any(r["report_list_url"] == "" for r in rows) and any(r["supervisor_emails"] for r in rows)


def test_registry_carries_deadline_overrides(farm: Farm, spec: FarmSpec, truth: dict[str, Any]) -> None:
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(farm.registry_csv()))}
    overridden = [o for o in spec.orgs.values() if o.deadline]
    assert overridden and all(rows[o.id]["deadline"] == o.deadline for o in overridden)
    reports = [r for p in truth["portals"] for r in p["reports"] if spec.orgs[r["org_id"]].deadline]
    assert all(r["deadline"].endswith("-03-31") for r in reports)


def test_a_busy_address_fails_cleanly_and_releases_the_rest(tmp_path: Path) -> None:
    spec = FarmSpec.generate(8, 3, faults=False)
    with Farm(spec).running() as first:
        port = first.ports["p01"]
        clash = Farm(spec, port=port)
        with pytest.raises(OSError, match="cannot listen"):
            clash.start()
        assert not clash.app.group.servers
        reg, manifest = first.write_manifest(tmp_path)
        assert reg.read_text(encoding="utf-8").startswith("id,name,aliases")
        assert json.loads(manifest.read_text(encoding="utf-8"))["schema"] == "portalfarm.truth/1"


def test_attachments_are_byte_stable(spec: FarmSpec) -> None:
    """Renderers stamp the time; the farm restamps the publication time, so files repeat exactly."""
    from portalfarm import documents

    for fmt in ("docx", "xlsx"):
        report = next(r for p in spec.portals for r in p.reports if r.fmt == fmt and r.source == "generated")
        first = documents.content(spec, report).data
        time.sleep(1.1)  # zip timestamps have a 2-second resolution; core.xml one second
        assert documents.content(spec, report).data == first
