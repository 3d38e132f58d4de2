"""The farm's registry CSV, in the columns of interfaces.md (`nianbao registry import`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from portalfarm.spec import FarmSpec

COLUMNS = ("id", "name", "aliases", "kind", "region_code", "level", "parent_id", "homepage", "report_list_url",
           "deadline", "supervisor_emails")


def registry_rows(spec: FarmSpec, url: Callable[[str, str], str]) -> list[dict[str, str]]:
    rows = []
    for org in spec.orgs.values():
        portal = spec.portal(org.portal_id)
        rows.append({
            "id": org.id,
            "name": org.name,
            "aliases": ";".join(org.aliases),
            "kind": org.kind,
            "region_code": org.region_code,
            "level": org.level,
            "parent_id": org.parent_id if org.parent_id in spec.orgs else "",
            "homepage": url(portal.id, "/"),
            "report_list_url": url(portal.id, portal.column(org.column).path) if org.list_known else "",
            "deadline": org.deadline or "",
            "supervisor_emails": ";".join(org.supervisor_emails),
        })
    return rows


def registry_csv(spec: FarmSpec, url: Callable[[str, str], str]) -> str:
    """UTF-8 CSV text with a header row, one organisation per row, parents before children."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = registry_rows(spec, url)
    depth = {r["id"]: _depth(spec, r["id"]) for r in rows}
    for row in sorted(rows, key=lambda r: depth[r["id"]]):
        writer.writerow(row)
    return out.getvalue()


def _depth(spec: FarmSpec, org_id: str) -> int:
    depth, current = 0, spec.orgs[org_id].parent_id
    while current and current in spec.orgs and depth < 10:
        depth, current = depth + 1, spec.orgs[current].parent_id
    return depth
