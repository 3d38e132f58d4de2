"""Generated reports are realistic across years and bodies: the cross rules find only what the truth lists.

The compliance engine's own rules (monitor.rules_cross, monitor.similarity) run on the parsed reports
directly, without a database: Y01/Y02 (chained tables), Y03 (section 五 repeated), Y04 (prose copied from
another body), C04 (规章 by a body without the power), T04 (no 工作考核、社会评议和责任追究).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timezone

import pytest

from crawler.report import read_report
from crawler.report.model import Report as Parsed
from monitor.refs import OrgRef, ReportRef
from monitor.rules_cross import CROSS_RULES, Case
from monitor.similarity import PROSE_SECTIONS, ClauseSet, Prose, clause_hashes, near_copies_of
from portalfarm import FarmSpec, documents, truth
from portalfarm.spec import Org, Report

CROSS = {"Y01", "Y02", "Y03", "Y04", "C04", "T04"}


def _parsed(spec: FarmSpec, report: Report) -> Parsed:
    body, _ = documents.report_text(spec, report)
    text = body if isinstance(body, str) else body.text
    return read_report(text.encode("utf-8"), name=f"{report.key}.txt", media_type="text/plain")


def _org_ref(org: Org) -> OrgRef:
    return OrgRef(org.id, org.name, org.aliases, org.kind, org.level, org.region_code, org.deadline, org.parent_id)


def _ref(number: int, report: Report) -> ReportRef:
    return ReportRef(number, report.org_id, report.year, report.version, report.published_on, "page",
                     datetime(report.published_on.year, 6, 1, tzinfo=timezone.utc), None, report.title)


def _found(spec: FarmSpec) -> tuple[dict[str, set[str]], dict[str, Report]]:
    """Report key -> the cross rules the engine's rules find, for every report not served from a real PDF."""
    reports = {r.key: r for p in spec.portals for r in p.reports if not r.source.startswith("real:")}
    parsed = {key: _parsed(spec, r) for key, r in reports.items()}
    numbers = {key: n for n, key in enumerate(sorted(reports), start=1)}
    found: dict[str, set[str]] = defaultdict(set)
    by_year: dict[int, list[ClauseSet]] = defaultdict(list)
    for key, report in reports.items():
        org = _org_ref(spec.orgs[report.org_id])
        before = documents.earlier_report(spec, report, last_year=True)
        previous = parsed.get(before.key) if before is not None else None
        case = Case(org, report.year, _ref(numbers[key], report), parsed[key], previous)
        for rule in CROSS_RULES:
            if rule.id in CROSS and rule(case):
                found[key].add(rule.id)
        text = "\n".join(parsed[key].section_texts.get(s) or "" for s in PROSE_SECTIONS)
        prose = Prose(numbers[key], org.id, text, (org.name, *org.aliases, parsed[key].org or ""))
        by_year[report.year].append(ClauseSet(numbers[key], org.id, clause_hashes(prose)))
    keys = {n: key for key, n in numbers.items()}
    for items in by_year.values():
        for number in near_copies_of(items):
            found[keys[number]].add("Y04")
    return found, reports


@pytest.mark.parametrize(("seed", "portals"), [(7, 12), (2026, 9)])
def test_cross_rules_find_only_the_deliberate_cases(seed: int, portals: int) -> None:
    spec = FarmSpec.generate(seed, portals, faults=False)
    found, reports = _found(spec)
    checked = 0
    stated: Counter[str] = Counter()
    for key, report in reports.items():
        before = documents.earlier_report(spec, report)
        if report.source != "generated" or (before is not None and before.source != "generated"):
            continue  # seeds are real text (re-issued ones copy across bodies and years): their findings are real
        expected = truth.expected_cross(spec, spec.portal_of(report.org_id), report)
        assert expected is not None
        assert sorted(found[key]) == expected, key
        stated.update(expected)
        checked += 1
    assert checked > 100
    if portals >= 12:  # a farm this size has every kind of deliberate case
        assert set(stated) >= {"Y03", "Y04", "C04", "T04"}, stated


def test_tables_chain_and_only_cities_make_rules() -> None:
    spec = FarmSpec.generate(3, 8, faults=False)
    for portal in spec.portals:
        for report in portal.reports:
            if report.source != "generated":
                continue
            org = spec.orgs[report.org_id]
            got = documents.report_text(spec, report)[1]
            rules = got["art20"]["rules"]
            counts = [v for f, v in rules.items() if f != "repealed"]
            city_government = org.kind == "government" and org.level in ("city", "province")
            if not city_government and "C04" not in report.cross:
                assert not any(counts), (report.key, rules)
            before = documents.earlier_report(spec, report)
            if before is None or report.breaks:
                continue
            previous = documents.report_text(spec, before)[1]
            forward = previous["applications"]["carried_forward"]
            if all(isinstance(v, int) for v in forward.values()):
                assert got["applications"]["carried_over"] == forward, report.key


def test_reissued_seeds_are_a_minority_and_rates_hold() -> None:
    spec = FarmSpec.generate(11, 20, faults=False)
    reports = [r for p in spec.portals for r in p.reports]
    sources = Counter(r.source.split(":")[0] for r in reports)
    assert 0 < sources["reissued"] < 0.1 * len(reports)
    inconsistent = sum(not r.consistent for r in reports if r.source in ("generated", "reissued"))
    assert 0.2 < inconsistent / len(reports) < 0.4
