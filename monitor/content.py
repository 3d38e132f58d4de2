"""Reasons derived from report contents: own findings, cross-year and registry rules, and Y04 copying."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from crawler.report.model import Report
from monitor.evidence import load_contents
from monitor.reasons import Reason
from monitor.refs import OrgRef, ReportHistory
from monitor.rules_cross import Case, check_case
from monitor.similarity import PROSE_SECTIONS, ClauseSet, Match, Prose, clause_hashes, near_copies_of

_BATCH = 1000  # organisations whose report contents are held in memory at once


def _cases(
    *, session: Session, orgs: list[OrgRef], year: int, histories: dict[tuple[str, int], ReportHistory]
) -> list[Case]:
    current = {o.id: histories[(o.id, year)].newest for o in orgs if (o.id, year) in histories}
    previous = {o.id: histories[(o.id, year - 1)].newest for o in orgs if (o.id, year - 1) in histories}
    contents = load_contents(session=session, report_ids=[r.id for r in (*current.values(), *previous.values())])
    cases = []
    for org in orgs:
        ref = current.get(org.id)
        report = _parsed(contents.get(ref.id)) if ref else None
        if ref is None or report is None:
            continue
        before = previous.get(org.id)
        cases.append(Case(org, year, ref, report, _parsed(contents.get(before.id)) if before else None))
    return cases


def _parsed(data: dict[str, Any] | None) -> Report | None:
    """The stored `Report.to_json()` object read back; None for a row without one (nothing to check)."""
    if not data or "source" not in data:
        return None
    return Report.from_json(data)


def _clauses(case: Case) -> ClauseSet:
    text = "\n".join(case.report.section_texts.get(s) or "" for s in PROSE_SECTIONS)
    names = (case.org.name, *case.org.aliases, case.report.org or "")
    return ClauseSet(case.ref.id, case.org.id, clause_hashes(Prose(case.ref.id, case.org.id, text, names)))


def _copy_reason(match: Match, names: dict[str, str]) -> Reason:
    """Y04, naming the other body."""
    other = names.get(match.other_org_id, match.other_org_id)
    return Reason(
        "Y04",
        "warning",
        f"报告正文与{other}同年度报告高度雷同（相似度约{match.similarity:.0%}）",
        {
            "report_id": match.key,
            "other_org_id": match.other_org_id,
            "other_report_id": match.other_key,
            "similarity": match.similarity,
        },
    )


def content_reasons(
    *, session: Session, orgs: list[OrgRef], year: int, histories: dict[tuple[str, int], ReportHistory]
) -> dict[str, list[Reason]]:
    """Org id -> the reasons derived from the contents of its newest visible report (read in batches)."""
    reporting = [o for o in orgs if (o.id, year) in histories]
    out: dict[str, list[Reason]] = {}
    clause_sets: list[ClauseSet] = []
    for start in range(0, len(reporting), _BATCH):
        for case in _cases(session=session, orgs=reporting[start : start + _BATCH], year=year, histories=histories):
            out[case.org.id] = check_case(case)
            clause_sets.append(_clauses(case))
    names = {o.id: o.name for o in orgs}
    org_of = {c.key: c.org_id for c in clause_sets}
    for key, match in near_copies_of(clause_sets).items():
        out[org_of[key]].append(_copy_reason(match, names))
    return out
