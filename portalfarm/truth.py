"""The truth manifest: for each portal, what a perfect crawler finds (reports), must skip (noise), and meets (faults)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from portalfarm import documents, seedtext
from portalfarm.generator import deadline
from portalfarm.spec import Column, Fault, FarmSpec, Noise, Portal, Report

SCHEMA = "portalfarm.truth/1"
Url = Callable[[str, str], str]  # (portal id, path) -> absolute URL

PUBLISHED_SOURCES = {"fbrq": "发布日期", "fbsj": "发布时间", "meta": "PubDate", "both": "发布日期"}


def report_truth(spec: FarmSpec, portal: Portal, report: Report, url: Url) -> dict[str, Any]:
    """One report as the manifest states it (content truth included: seeds are cheap to re-issue)."""
    org = spec.orgs[report.org_id]
    if report.source.startswith("real:"):
        truth = seedtext.source_truth(report.source)
    else:
        _, truth = documents.report_text(spec, report)
    doc_path = report.attachment_path or report.detail_path
    affected = [f.kind for f in portal.faults if f.path in (report.detail_path, doc_path, report.listed_path)]
    disallowed = [f.target for f in portal.faults if f.kind == "robots" and f.target and
                  (report.detail_path.startswith(f.target) or doc_path.startswith(f.target))]
    if disallowed:
        affected.append("robots")
    return {
        "key": report.key,
        "org_id": report.org_id,
        "org_name": org.name,
        "year": report.year,
        "title": report.title,
        "url": url(portal.id, doc_path),
        "page_url": url(portal.id, report.detail_path),
        "listed_url": url(portal.id, report.listed_path or report.detail_path),
        "format": report.fmt,
        "media_type": documents.MEDIA_TYPES[report.fmt],
        "published_on": report.published_on.isoformat(),
        "published_source": PUBLISHED_SOURCES[portal.date_style],
        "deadline": deadline(org, report.year).isoformat(),
        "late": report.published_on > deadline(org, report.year),
        "version": report.version,
        "modified_on": report.modified_on.isoformat() if report.modified_on else None,
        "source": report.source,
        "consistent": seedtext.is_consistent(truth),
        "expected_findings": list(truth.get("expected_findings", [])),
        "expected_cross": expected_cross(spec, portal, report),
        "faults": affected,
        "robots_disallowed": bool(disallowed),
        "truth": truth,
    }


CROSS_RULES = ("Y01", "Y02", "Y03", "Y04", "C04", "T04")


def expected_cross(spec: FarmSpec, portal: Portal, report: Report) -> list[str] | None:
    """The cross-year/cross-body rules a generated report triggers (all on purpose); None for seeds and
    re-issued seeds, whose findings follow from their real text (re-issued seeds copy across bodies and years).

    A generated report chains to the body's earlier report (no Y01/Y02) and its prose is its own (no Y03/Y04),
    unless `report.cross` says otherwise; its copy source (or a fellow copier) has Y04 too.
    """
    if report.source != "generated":
        return None
    out = set(report.cross)
    key = documents.prose_keys(spec, report)[0]
    if any(r.source == "generated" and r.year == report.year and r.org_id != report.org_id
           and documents.prose_keys(spec, r)[0] == key for r in portal.reports):
        out.add("Y04")
    return sorted(out)


def noise_truth(portal: Portal, noise: Noise, url: Url) -> dict[str, Any]:
    return {
        "key": noise.key,
        "org_id": noise.org_id,
        "title": noise.title,
        "kind": noise.kind,
        "url": url(portal.id, noise.detail_path),
        "attachment_url": url(portal.id, noise.attachment_path) if noise.attachment_path else None,
        "published_on": noise.published_on.isoformat(),
    }


def fault_truth(portal: Portal, fault: Fault, url: Url) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": fault.kind, "url": url(portal.id, fault.path), "note": fault.note}
    if fault.target:
        out["target"] = fault.target if fault.kind == "robots" else url(portal.id, fault.target)
    for name in ("times", "seconds", "size", "content_type"):
        value = getattr(fault, name)
        if value:
            out[name] = value
    return out


def column_truth(portal: Portal, column: Column, url: Url) -> dict[str, Any]:
    return {"id": column.id, "title": column.title, "url": url(portal.id, column.path), "page_size": column.page_size}


def portal_truth(spec: FarmSpec, portal: Portal, url: Url, hosts: dict[str, str]) -> dict[str, Any]:
    return {
        "id": portal.id,
        "name": portal.name,
        "host": portal.host,
        "ip": hosts.get(portal.host, portal.ip),
        "base_url": url(portal.id, "/"),
        "styles": portal.styles,
        "columns": [column_truth(portal, c, url) for c in portal.columns],
        "orgs": list(portal.org_ids),
        "faults": [fault_truth(portal, f, url) for f in portal.faults],
        "reports": [report_truth(spec, portal, r, url) for r in portal.reports],
        "noise": [noise_truth(portal, n, url) for n in portal.noise],
    }


def manifest(spec: FarmSpec, url: Url, hosts: dict[str, str]) -> dict[str, Any]:
    """The whole farm's truth, JSON-serialisable."""
    return {
        "schema": SCHEMA,
        "seed": spec.seed,
        "years": list(spec.years),
        "portals": [portal_truth(spec, p, url, hosts) for p in spec.portals],
        "orgs": {oid: {"name": o.name, "kind": o.kind, "level": o.level, "parent_id": o.parent_id,
                       "portal_id": o.portal_id, "column": o.column} for oid, o in spec.orgs.items()},
        "missing": [{"org_id": oid, "year": year} for oid, year in spec.missing],
    }
