"""Rules that need the registry or last year's report (rules.md: Y01–Y03, C03, C04, T04), as declarative records.

Each rule takes a `Case` (one organisation, its newest report for the year, last year's) and returns reasons.
Y04 (copying across bodies) needs every report of the year at once and lives in `monitor.similarity`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from crawler.attribution import OrgDirectory, OrgEntry
from crawler.report.model import Report
from crawler.report.templates import APPLICANT_COLUMNS
from crawler.titles import title_year
from monitor.reasons import Reason
from monitor.refs import OrgRef, ReportRef

Y03_MIN_RATIO = 0.9
Y03_MIN_CHARS = 30
T04_WORDS = ("考核", "评议", "责任追究")
_NOISE = re.compile(r"[\s\d０-９\W_]+", re.UNICODE)
_ART20_LABELS = {"rules": "规章", "normative_docs": "行政规范性文件"}


@dataclass(frozen=True, slots=True)
class Case:
    org: OrgRef
    year: int
    ref: ReportRef
    report: Report
    previous: Report | None  # last year's newest version, when stored


@dataclass(frozen=True, slots=True)
class CrossRule:
    id: str
    severity: str
    check: Callable[[Case, CrossRule], list[Reason]]

    def __call__(self, case: Case) -> list[Reason]:
        return self.check(case, self)


def _reason(rule: CrossRule, case: Case, message: str, **details: object) -> Reason:
    return Reason(rule.id, rule.severity, message, {"report_id": case.ref.id, **details})


def _carried_over(case: Case, rule: CrossRule) -> list[Reason]:
    """Y01: this year's 二、上年结转 equals last year's 四、结转下年度继续办理, per column."""
    if case.previous is None:
        return []
    now = case.report.applications.get("carried_over") or {}
    before = case.previous.applications.get("carried_forward") or {}
    out = []
    for col, label in APPLICANT_COLUMNS:
        cur, prev = now.get(col), before.get(col)
        if cur is None or prev is None or cur == prev:
            continue
        out.append(
            _reason(
                rule,
                case,
                f"（{label}列）本年“上年结转”={cur}，{case.year - 1}年报告“结转下年度继续办理”={prev}，不一致",
                cells=[f"applications.carried_over.{col}"],
                previous=prev,
                current=cur,
            )
        )
    return out


def _in_force(case: Case, rule: CrossRule) -> list[Reason]:
    """Y02: 现行有效件数 = last year's + 本年制发 − 本年废止 (规章, 行政规范性文件)."""
    if case.previous is None:
        return []
    out = []
    for row, label in _ART20_LABELS.items():
        cur, prev = case.report.art20.get(row) or {}, case.previous.art20.get(row) or {}
        values = (cur.get("in_force"), prev.get("in_force"), cur.get("made"), cur.get("repealed"))
        if any(v is None for v in values):
            continue
        now, before, made, repealed = values
        expected = before + made - repealed  # type: ignore[operator]
        if now != expected:
            out.append(
                _reason(
                    rule,
                    case,
                    f"（{label}）现行有效件数={now}，上年现行有效{before}+本年制发{made}−本年废止{repealed}={expected}",
                    cells=[f"art20.{row}.in_force"],
                )
            )
    return out


def _plain(text: str | None) -> str:
    return _NOISE.sub("", text or "")


def _copied_problems(case: Case, rule: CrossRule) -> list[Reason]:
    """Y03: section 五 nearly the same text as last year's."""
    if case.previous is None:
        return []
    now, before = _plain(case.report.section_texts.get("problems")), _plain(case.previous.section_texts.get("problems"))
    if min(len(now), len(before)) < Y03_MIN_CHARS:
        return []
    matcher = difflib.SequenceMatcher(None, now, before, autojunk=False)
    if matcher.real_quick_ratio() < Y03_MIN_RATIO or matcher.quick_ratio() < Y03_MIN_RATIO:
        return []
    ratio = matcher.ratio()
    if ratio < Y03_MIN_RATIO:
        return []
    return [
        _reason(
            rule,
            case,
            f"第五部分“存在的主要问题及改进情况”与{case.year - 1}年报告几乎相同（相似度{ratio:.0%}）",
            similarity=round(ratio, 3),
        )
    ]


def _same_body(org: OrgRef, claimed: str) -> bool:
    """Whether `claimed` names `org`, tolerant of the variants portals print (the crawler's own matching)."""
    directory = OrgDirectory([OrgEntry(org.id, org.name, tuple(org.aliases), org.parent_id)])
    return directory.lookup(claimed) == org.id


def _wrong_org_or_year(case: Case, rule: CrossRule) -> list[Reason]:
    """C03: the report's org or year disagrees with the registry entry it was filed under; it is then not counted.

    The body is the one the crawler attributed (`claimed_org`), else the name printed in the report; the year
    is the one in the report's title. A year printed in the text alone is reported but the report still counts.
    """
    out = []
    claimed = case.ref.claimed_org or case.report.org
    if claimed and not _same_body(case.org, claimed):
        out.append(
            _reason(
                rule,
                case,
                f"报告署名“{claimed}”与名录中的“{case.org.name}”不符，未计为该机构的年度报告",
                claimed_org=claimed,
                counted=False,
            )
        )
    titled = title_year(case.ref.title or case.report.title or "")
    if titled is not None and titled != case.year:
        out.append(
            _reason(
                rule,
                case,
                f"报告标题所述年度为{titled}年，却作为{case.year}年度报告收录，未计为{case.year}年度报告",
                claimed_year=titled,
                counted=False,
            )
        )
    elif case.report.year is not None and case.report.year != case.year:
        out.append(
            _reason(
                rule,
                case,
                f"报告正文所述年度为{case.report.year}年，与收录年度{case.year}年不符，请核对",
                claimed_year=case.report.year,
            )
        )
    return out


def _rules_by_unauthorised_body(case: Case, rule: CrossRule) -> list[Reason]:
    """C04: 规章 made or in force reported by a township or a county-level body."""
    if case.org.kind != "township" and case.org.level != "county":
        return []
    row = case.report.art20.get("rules") or {}
    counts = {f: row.get(f) for f in ("made", "in_force", "published", "total_public")}
    nonzero = {f: v for f, v in counts.items() if isinstance(v, (int, float)) and v > 0}
    if not nonzero:
        return []
    shown = "，".join(f"{f}={v}" for f, v in nonzero.items())
    return [
        _reason(
            rule,
            case,
            f"{case.org.name}无规章制定权，报告却填报规章（{shown}）",
            cells=[f"art20.rules.{f}" for f in nonzero],
        )
    ]


def _no_assessment(case: Case, rule: CrossRule) -> list[Reason]:
    """T04: a government's report says nothing of 工作考核、社会评议和责任追究."""
    if case.org.kind != "government":
        return []
    text = "".join(t for t in case.report.section_texts.values() if t)
    if any(word in text for word in T04_WORDS):
        return []
    return [_reason(rule, case, "报告未说明政府信息公开工作考核、社会评议和责任追究情况")]


CROSS_RULES: tuple[CrossRule, ...] = (
    CrossRule("Y01", "error", _carried_over),
    CrossRule("Y02", "warning", _in_force),
    CrossRule("Y03", "warning", _copied_problems),
    CrossRule("C03", "warning", _wrong_org_or_year),
    CrossRule("C04", "error", _rules_by_unauthorised_body),
    CrossRule("T04", "warning", _no_assessment),
)


def own_findings(case: Case) -> list[Reason]:
    """The newest version's own validator findings, as reasons."""
    return [
        Reason(f.rule, f.severity, f.message, {"report_id": case.ref.id, "cells": list(f.cells)})
        for f in case.report.findings
    ]


def check_case(case: Case) -> list[Reason]:
    """Every reason derived from the report's contents (everything except dates and versions)."""
    reasons = own_findings(case)
    for rule in CROSS_RULES:
        reasons.extend(rule(case))
    return reasons
