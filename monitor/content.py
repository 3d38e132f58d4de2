"""Reasons derived from report contents: own findings, cross-year and registry rules, and Y04 copying."""

from __future__ import annotations

from sqlmodel import Session

from crawler.report.model import Report
from monitor.evidence import OrgRef, ReportHistory, load_contents
from monitor.reasons import Reason
from monitor.rules_cross import Case, check_case
from monitor.similarity import PROSE_SECTIONS, Prose, near_copies


def _cases(*, session: Session, orgs: list[OrgRef], year: int,
           histories: dict[tuple[str, int], ReportHistory]) -> list[Case]:
    current = {o.id: histories[(o.id, year)].newest for o in orgs if (o.id, year) in histories}
    previous = {o.id: histories[(o.id, year - 1)].newest for o in orgs if (o.id, year - 1) in histories}
    contents = load_contents(session=session, report_ids=[r.id for r in (*current.values(), *previous.values())])
    cases = []
    for org in orgs:
        ref = current.get(org.id)
        if ref is None:
            continue
        before = previous.get(org.id)
        prev_report = Report.from_json(contents[before.id]) if before and contents.get(before.id) else None
        cases.append(Case(org, year, ref, Report.from_json(contents[ref.id]), prev_report))
    return cases


def _copies(cases: list[Case], names: dict[str, str]) -> dict[str, Reason]:
    """Y04 reasons by org id."""
    proses = [Prose(c.ref.id, c.org.id, "\n".join(c.report.section_texts.get(s) or "" for s in PROSE_SECTIONS),
                    (c.org.name, *c.org.aliases, c.report.org or ""))
              for c in cases]
    out = {}
    by_report = {c.ref.id: c for c in cases}
    for key, match in near_copies(proses).items():
        case = by_report[key]
        other = names.get(match.other_org_id, match.other_org_id)
        out[case.org.id] = Reason("Y04", "warning",
                                  f"报告正文与{other}同年度报告高度雷同（相似度约{match.similarity:.0%}）",
                                  {"report_id": key, "other_org_id": match.other_org_id,
                                   "other_report_id": match.other_key, "similarity": match.similarity})
    return out


def content_reasons(*, session: Session, orgs: list[OrgRef], year: int,
                    histories: dict[tuple[str, int], ReportHistory]) -> dict[str, list[Reason]]:
    """Org id -> the reasons derived from the contents of its newest visible report."""
    cases = _cases(session=session, orgs=orgs, year=year, histories=histories)
    copies = _copies(cases, {o.id: o.name for o in orgs})
    out: dict[str, list[Reason]] = {}
    for case in cases:
        reasons = check_case(case)
        if case.org.id in copies:
            reasons.append(copies[case.org.id])
        out[case.org.id] = reasons
    return out
