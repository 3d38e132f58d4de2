"""Load everything a digest run needs in a few bulk queries, then cut it per supervisor in memory."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from alerts.content import DeadlineItem, FindingLine, Links, PortalItem, ReportItem, StatusItem
from alerts.period import as_utc
from alerts.scope import OrgNode, OrgTree
from db.models import ComplianceStatus, CrawlTarget, Fetch, FindingRow, Report, StatusChange
from monitor.deadlines import deadline_for

UPCOMING = timedelta(days=14)
NEWS_STATUSES = ("missing", "late", "inconsistent")
TIMING_RULES = {"missing": "C01", "late": "C02"}
T = TypeVar("T")
_Detail = tuple[str | None, int | None, tuple[FindingLine, ...]]


def deadline_of(org: OrgNode, year: int) -> date:
    """The org's publication deadline for `year` (kind's date, or its MM-DD override), per monitor.deadlines."""
    return deadline_for(kind=org.kind, year=year, override=org.deadline)


def _by_org(items: Iterable[T]) -> dict[str, list[T]]:
    index: dict[str, list[T]] = defaultdict(list)
    for item in items:
        index[item.org_id].append(item)  # type: ignore[attr-defined]
    return index


def _visible(index: dict[str, list[T]], visible: frozenset[str] | None) -> Iterator[T]:
    """Items of the visible organisations, walking whichever side is smaller."""
    if visible is None:
        keys: Iterable[str] = index.keys()
    elif len(visible) < len(index):
        keys = (org_id for org_id in visible if org_id in index)
    else:
        keys = (org_id for org_id in index if org_id in visible)
    for org_id in keys:
        yield from index[org_id]


@dataclass(slots=True)
class Facts:
    """Everything that happened between `since` (the earliest window start of the run) and `until`."""

    tree: OrgTree
    links: Links
    as_of: date
    until: datetime
    changes: dict[str, list[StatusItem]]
    new_reports: dict[str, list[ReportItem]]
    upcoming: dict[str, list[DeadlineItem]]
    unreachable: dict[str, list[PortalItem]]

    def status_news(self, visible: frozenset[str] | None, since: datetime) -> dict[str, list[StatusItem]]:
        """Bodies that became missing, late or inconsistent in the window: the last change per org and year decides."""
        last: dict[tuple[str, int], StatusItem] = {}
        for item in _visible(self.changes, visible):
            if item.changed_at >= since:
                key = (item.org_id, item.year)
                if key not in last or item.changed_at >= last[key].changed_at:
                    last[key] = item
        ordered = sorted(last.values(), key=lambda i: (i.org_name, i.org_id, i.year))
        return {status: [i for i in ordered if i.status == status] for status in NEWS_STATUSES}

    def report_news(self, visible: frozenset[str] | None, since: datetime) -> tuple[list[ReportItem], list[ReportItem]]:
        """(first versions with errors, corrected versions) first seen in the window."""
        items = sorted((i for i in _visible(self.new_reports, visible) if i.first_seen_at >= since),
                       key=lambda i: (i.org_name, i.org_id, i.year or 0, i.report_id))
        return [i for i in items if i.version == 1], [i for i in items if i.version > 1]

    def deadlines(self, visible: frozenset[str] | None) -> list[DeadlineItem]:
        return sorted(_visible(self.upcoming, visible), key=lambda i: (i.deadline, i.org_name, i.org_id))

    def portals(self, visible: frozenset[str] | None) -> list[PortalItem]:
        return sorted(_visible(self.unreachable, visible), key=lambda i: (-i.failures, i.org_name, i.org_id))


def load_facts(*, session: Session, tree: OrgTree, links: Links, since: datetime, until: datetime, as_of: date) -> Facts:
    return Facts(
        tree=tree, links=links, as_of=as_of, until=until,
        changes=_by_org(_status_changes(session, tree, links, since, until)),
        new_reports=_by_org(new_reports(session=session, tree=tree, links=links, since=since, until=until)),
        upcoming=_by_org(_upcoming(session, tree, links, as_of)),
        unreachable=_by_org(_unreachable(session, tree, links, since, until)),
    )


def _status_changes(session: Session, tree: OrgTree, links: Links, since: datetime, until: datetime) -> list[StatusItem]:
    in_window = (StatusChange.changed_at >= since, StatusChange.changed_at < until)
    rows = session.exec(
        select(StatusChange.org_id, StatusChange.year, StatusChange.new_status, StatusChange.changed_at)
        .where(*in_window).order_by(col(StatusChange.changed_at), col(StatusChange.id))
    ).all()
    details = _status_details(session, in_window)
    items = []
    for org_id, year, status, at in rows:
        detail, report_id, reasons = details.get((org_id, year, status), (None, None, ()))
        items.append(StatusItem(org_id, tree.name(org_id), year, status, as_utc(at), links.org(org_id), detail,
                                report_id, links.report(report_id) if report_id else None, reasons))
    return items


def _status_details(session: Session, in_window: tuple[Any, ...]) -> dict[tuple[str, int, str], _Detail]:
    """(org, year, status) -> what the compliance engine stored with the current status, for bodies that changed:
    the C01/C02 message for missing and late, the error-level reasons for inconsistent."""
    changed = (select(StatusChange.id).where(col(StatusChange.org_id) == col(ComplianceStatus.org_id),
                                             col(StatusChange.year) == col(ComplianceStatus.year), *in_window)
               .exists())
    rows = session.exec(select(ComplianceStatus.org_id, ComplianceStatus.year, ComplianceStatus.status,  # type: ignore[call-overload]
                               ComplianceStatus.report_id, ComplianceStatus.reasons)
                        .where(col(ComplianceStatus.status).in_(NEWS_STATUSES), changed)).all()
    details: dict[tuple[str, int, str], _Detail] = {}
    for org_id, year, status, report_id, reasons in rows:
        reasons = [r for r in reasons or () if isinstance(r, dict)]
        rule = TIMING_RULES.get(status)
        detail = next((str(r["message"]) for r in reasons if rule and r.get("rule") == rule and r.get("message")), None)
        errors = tuple(FindingLine(str(r.get("rule", "")), "error", str(r.get("message", ""))) for r in reasons
                       if status == "inconsistent" and r.get("severity") == "error")
        details[(org_id, year, status)] = (detail, report_id, errors)
    return details


def new_reports(*, session: Session, tree: OrgTree, links: Links, since: datetime, until: datetime,
                corrected: bool = True) -> list[ReportItem]:
    """Latest versions first seen in the window that have errors or (with `corrected`) replace an earlier version."""
    window = (col(Report.is_latest), col(Report.org_id).is_not(None),
              Report.first_seen_at >= since, Report.first_seen_at < until)
    interesting = ((Report.error_count > 0) | (Report.version > 1)) if corrected else (Report.error_count > 0)
    reports = session.exec(select(  # type: ignore[call-overload]
        Report.id, Report.org_id, Report.year, Report.version, Report.title, Report.error_count,
        Report.warning_count, Report.first_seen_at).where(*window, interesting)).all()
    findings: dict[int, list[FindingLine]] = defaultdict(list)
    finding_rows = session.exec(
        select(FindingRow.report_id, FindingRow.rule, FindingRow.severity, FindingRow.message)
        .join(Report, col(Report.id) == col(FindingRow.report_id))
        .where(*window, Report.error_count > 0)
        .order_by(col(FindingRow.report_id), col(FindingRow.severity), col(FindingRow.id))
    ).all()
    for report_id, rule, severity, message in finding_rows:
        findings[report_id].append(FindingLine(rule, severity, message))
    return [ReportItem(rid, org_id, tree.name(org_id), year, version, title, errors, warnings, as_utc(seen),
                       links.report(rid), links.org(org_id), tuple(findings.get(rid, ())))
            for rid, org_id, year, version, title, errors, warnings, seen in reports]


def _upcoming(session: Session, tree: OrgTree, links: Links, as_of: date) -> list[DeadlineItem]:
    """Bodies with no report yet whose deadline falls in the next two weeks."""
    years = (as_of.year - 2, as_of.year - 1, as_of.year)
    due: list[tuple[OrgNode, int, date]] = []
    for node in tree.nodes.values():
        for year in years:
            deadline = deadline_of(node, year)
            if as_of <= deadline <= as_of + UPCOMING:
                due.append((node, year, deadline))
    if not due:
        return []
    have = set(session.exec(select(Report.org_id, Report.year).distinct()
                            .where(col(Report.year).in_({year for _, year, _ in due}))).all())
    return [DeadlineItem(node.id, node.name, year, deadline, (deadline - as_of).days, links.org(node.id))
            for node, year, deadline in due if (node.id, year) not in have]


def _unreachable(session: Session, tree: OrgTree, links: Links, since: datetime, until: datetime) -> list[PortalItem]:
    """Portals whose last crawl failed, and portals without crawl state whose every fetch in the window failed."""
    items = {org_id: PortalItem(org_id, tree.name(org_id), failures, error, as_utc(ok) if ok else None, links.org(org_id))
             for org_id, failures, error, ok in session.exec(
                 select(CrawlTarget.org_id, CrawlTarget.consecutive_failures, CrawlTarget.last_error,
                        CrawlTarget.last_success_at).where(CrawlTarget.consecutive_failures > 0)).all()}
    known = set(session.exec(select(CrawlTarget.org_id)).all())
    rows = session.exec(
        select(Fetch.org_id, func.count(), func.max(Fetch.error))
        .where(col(Fetch.org_id).is_not(None), Fetch.fetched_at >= since, Fetch.fetched_at < until)
        .group_by(col(Fetch.org_id))
        .having(func.count() == func.count(col(Fetch.error)))  # count(column) skips NULL: every fetch failed
    ).all()
    for org_id, count, error in rows:
        if org_id not in known and org_id in tree.nodes:
            items[org_id] = PortalItem(org_id, tree.name(org_id), int(count), error, None, links.org(org_id))
    return [item for item in items.values() if item.org_id in tree.nodes]
