"""Comparing a crawl's database with a portal farm's truth manifest."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db.models import Fetch, Report

UNREACHABLE = {"truncated", "robots"}  # faults that keep a report from any crawler
UNVISITED = {"hang", "redirect_loop", "oversized"}  # faults on noise entries a precise crawler never opens


def truth_reports(truth: dict[str, Any], *, reachable: bool = True) -> list[dict[str, Any]]:
    found = [r for p in truth["portals"] for r in p["reports"]]
    return [r for r in found if not (reachable and UNREACHABLE & set(r["faults"]))]


def stored_reports(engine: Engine) -> list[Report]:
    with Session(engine) as session:
        return list(session.exec(select(Report)))


def fetches(engine: Engine) -> list[Fetch]:
    with Session(engine) as session:
        return list(session.exec(select(Fetch)))


def match(report: dict[str, Any], by_url: dict[str, Report]) -> Report | None:
    """The stored report for a truth entry: by document URL (or the listed page for inline HTML)."""
    return by_url.get(report["url"]) or by_url.get(report["listed_url"])


def by_url(reports: list[Report]) -> dict[str, Report]:
    index: dict[str, Report] = {}
    for row in reports:
        for url in (row.source_url, row.page_url):
            if url:
                index.setdefault(url, row)
    return index


def duplicates(reports: list[Report]) -> list[tuple[str | None, int | None]]:
    """(org, year) keys stored more than once (a version is a changed report, and nothing changed)."""
    counts = Counter((r.org_id, r.year) for r in reports if r.org_id is not None)
    return [key for key, n in counts.items() if n > 1]


def noise_urls(truth: dict[str, Any]) -> set[str]:
    return {u for p in truth["portals"] for n in p["noise"] for u in (n["url"], n["attachment_url"]) if u}
