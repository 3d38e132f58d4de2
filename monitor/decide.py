"""Deciding one organisation's status from its visible report versions and content reasons (C01, C02, C05).

Precedence: missing (past the deadline, no report) > late > inconsistent (an error-level reason) > ok;
`not_due` before the deadline with no report. A report flagged C03 (wrong org or year) does not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from monitor.deadlines import deadline_for
from monitor.reasons import Reason
from monitor.refs import OrgRef, ReportHistory

STATUSES = ("ok", "inconsistent", "late", "missing", "not_due")
TIME_RULES = frozenset({"C01", "C02", "C05"})  # decided from dates and versions, never cached
_SOURCE_LABEL = {"page": "门户页面标注的发布日期", "first_seen": "首次抓取日期，页面未标注发布日期"}


@dataclass(slots=True)
class OrgStatus:
    org_id: str
    year: int
    status: str
    reasons: list[Reason]
    report_id: int | None
    deadline: date
    as_of: date
    published_on: date | None = None
    published_source: str | None = None
    versions: list[int] = field(default_factory=list)  # report ids of every visible version, oldest first

    def reasons_json(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self.reasons]

    def to_json(self) -> dict[str, Any]:
        return {
            "org_id": self.org_id,
            "year": self.year,
            "status": self.status,
            "report_id": self.report_id,
            "deadline": self.deadline.isoformat(),
            "as_of": self.as_of.isoformat(),
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "published_source": self.published_source,
            "versions": self.versions,
            "reasons": self.reasons_json(),
        }


def _absent(
    org: OrgRef, year: int, as_of: date, deadline: date, content: list[Reason], history: ReportHistory | None
) -> OrgStatus:
    """No report counts for the year: missing after the deadline, not_due before."""
    if as_of > deadline:
        status, c01 = (
            "missing",
            Reason("C01", "error", f"已过发布期限{deadline}，未发现{year}年度报告", {"deadline": deadline.isoformat()}),
        )
    else:
        status, c01 = (
            "not_due",
            Reason(
                "C01",
                "info",
                f"{year}年度报告尚未发布，发布期限{deadline}，尚未到期",
                {"deadline": deadline.isoformat()},
            ),
        )
    return OrgStatus(
        org.id,
        year,
        status,
        [c01, *content],
        history.newest.id if history else None,
        deadline,
        as_of,
        versions=[v.id for v in history.versions] if history else [],
    )


def _versions_reason(history: ReportHistory) -> list[Reason]:
    """C05: the report changed after it was first published; every version stays listed."""
    if len(history.versions) < 2:
        return []
    first, newest = history.first, history.newest
    message = (
        f"报告发布后内容有变动：第{first.version}版首次发现于{first.first_seen_on}，"
        f"第{newest.version}版首次发现于{newest.first_seen_on}，共{len(history.versions)}版，均已保存"
    )
    return [Reason("C05", "warning", message, {"report_id": newest.id, "versions": [v.id for v in history.versions]})]


def decide(*, org: OrgRef, year: int, as_of: date, history: ReportHistory | None, content: list[Reason]) -> OrgStatus:
    """The status of one organisation for one year, given its visible versions and content reasons."""
    deadline = deadline_for(kind=org.kind, year=year, override=org.deadline)
    if history is None or any(r.discounts_report for r in content):
        return _absent(org, year, as_of, deadline, content, history)
    published, source = history.first.publication
    label = f"{year}年度报告于{published}发布（{_SOURCE_LABEL[source]}）"
    details = {
        "report_id": history.first.id,
        "published_on": published.isoformat(),
        "published_source": source,
        "deadline": deadline.isoformat(),
    }
    if published > deadline:
        timing = Reason("C02", "error", f"{label}，晚于发布期限{deadline}", details)
    else:
        timing = Reason("C02", "info", f"{label}，未超过发布期限{deadline}", details)
    reasons = [timing, *_versions_reason(history), *content]
    if timing.severity == "error":
        status = "late"
    elif any(r.severity == "error" for r in content):
        status = "inconsistent"
    else:
        status = "ok"
    return OrgStatus(
        org.id,
        year,
        status,
        reasons,
        history.newest.id,
        deadline,
        as_of,
        published,
        source,
        [v.id for v in history.versions],
    )
