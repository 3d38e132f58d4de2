"""Aggregates and lists for the overview and organisation-list pages, computed in SQL and scoped per viewer."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, case, cast, func, literal_column, or_, select
from sqlmodel import Session

from db.models import ComplianceStatus, FindingRow, Org, Report, StatusChange
from monitor.web.cache import Memo
from monitor.web.labels import STATUSES, UNKNOWN_STATUS
from monitor.web.regions import region_depth, region_names
from monitor.web.scope import Viewer, org_clause

PER_PAGE_CHOICES = (20, 50, 100)
SORTS = ("name", "id", "status", "region", "kind", "published", "errors")
STATUS_ORDER = (*STATUSES, UNKNOWN_STATUS)  # worst first
CHANGES_SHOWN = 50
PROBLEMS = ("error", "warning")  # reason severities that are problems; "info" records a check that passed


@dataclass(frozen=True, slots=True)
class OrgFilter:
    """What the organisation list, its exports and /api/orgs accept."""

    year: int
    status: str | None = None
    kind: str | None = None
    region: str | None = None  # a 行政区划代码 prefix: 23 (province), 2305 (city), 230502 (county)
    rule: str | None = None
    q: str | None = None
    sort: str = "name"
    desc: bool = False
    page: int = 1
    per_page: int = 50

    def query_args(self, **changes: Any) -> dict[str, Any]:
        """The non-default query parameters, for links that keep the filter."""
        values = {"year": self.year, "status": self.status, "kind": self.kind, "region": self.region,
                  "rule": self.rule, "q": self.q, "sort": self.sort, "desc": int(self.desc) or None,
                  "page": self.page if self.page > 1 else None,
                  "per_page": self.per_page if self.per_page != 50 else None}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}


@dataclass(slots=True)
class Overview:
    year: int
    total: int
    by_status: dict[str, int]
    by_kind: dict[str, dict[str, int]]
    by_region: list[tuple[str, str, dict[str, int]]]  # (code prefix, name, counts)
    changes: list[dict[str, Any]]
    changes_total: int
    since: datetime


@dataclass(slots=True)
class OrgRow:
    id: str
    name: str
    kind: str
    level: str | None
    region_code: str | None
    status: str
    reasons: list[dict[str, Any]]
    report_id: int | None
    title: str | None
    published_on: date | None
    error_count: int
    warning_count: int


@dataclass(slots=True)
class OrgPage:
    rows: list[OrgRow]
    total: int
    filter: OrgFilter
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, math.ceil(self.total / self.filter.per_page))


def _distinct_years(column: Any, session: Session) -> set[int]:
    """DISTINCT by repeated index seeks (min above the last one): a few look-ups instead of a scan."""
    years: set[int] = set()
    last = None
    for _ in range(200):
        query = select(func.min(column)).where(column.is_not(None))
        year = session.scalar(query if last is None else query.where(column > last))
        if year is None:
            break
        years.add(year)
        last = year
    return years


def available_years(*, session: Session) -> list[int]:
    """Years with computed statuses or reports, newest first."""
    years = _distinct_years(ComplianceStatus.year, session) | _distinct_years(Report.year, session)
    return sorted(years, reverse=True)


def default_year(*, session: Session, today: date) -> int:
    years = available_years(session=session)
    return years[0] if years else today.year - 1


def _status_column() -> Any:
    # Inline literals: PostgreSQL must see the same expression in SELECT and GROUP BY (not two bind params).
    return func.coalesce(ComplianceStatus.status, literal_column(f"'{UNKNOWN_STATUS}'"))


def _status_join(year: int) -> Any:
    return and_(ComplianceStatus.org_id == Org.id, ComplianceStatus.year == year)


def overview(*, session: Session, viewer: Viewer, year: int, now: datetime, memo: Memo | None = None) -> Overview:
    """Counts by status, by kind and by region for `year`, and the status changes of the last 7 days.

    Regions are provinces for an admin and one level below the supervisor's own region otherwise.
    """
    if memo is not None:
        return memo.get(session, viewer, ("overview", year),
                        lambda: overview(session=session, viewer=viewer, year=year, now=now))
    depth = region_depth(session=session, viewer=viewer)
    province = func.substr(Org.region_code, literal_column("1"), literal_column(str(depth)))
    grouped = (select(Org.kind, province, _status_column(), func.count())
               .select_from(Org).outerjoin(ComplianceStatus, _status_join(year))
               .where(org_clause(viewer, Org.id))
               .group_by(Org.kind, province, _status_column()))
    by_status: dict[str, int] = dict.fromkeys(STATUS_ORDER, 0)
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUS_ORDER, 0))
    by_region: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUS_ORDER, 0))
    for kind, prefix, status, count in session.execute(grouped):
        status = status if status in by_status else UNKNOWN_STATUS
        by_status[status] += count
        by_kind[kind][status] += count
        by_region[prefix or ""][status] += count
    since = now - timedelta(days=7)
    changes, changes_total = _changes(session=session, viewer=viewer, since=since)
    return Overview(year=year, total=sum(by_status.values()), by_status=by_status, by_kind=dict(by_kind),
                    by_region=_named(session, by_region),
                    changes=changes, changes_total=changes_total, since=since)


def _named(session: Session, counts: dict[str, dict[str, int]]) -> list[tuple[str, str, dict[str, int]]]:
    names = region_names(session=session, prefixes=[p for p in counts if p])
    ordered = sorted(counts.items(), key=lambda item: item[0] or "999999")
    return [(prefix, names.get(prefix, "未填写区划"), c) for prefix, c in ordered]


def _changes(*, session: Session, viewer: Viewer, since: datetime) -> tuple[list[dict[str, Any]], int]:
    where = and_(StatusChange.changed_at >= since, org_clause(viewer, StatusChange.org_id))
    total = session.scalar(select(func.count()).select_from(StatusChange).where(where)) or 0
    rows = session.execute(
        select(StatusChange.org_id, Org.name, StatusChange.year, StatusChange.old_status,
               StatusChange.new_status, StatusChange.changed_at)
        .join(Org, Org.id == StatusChange.org_id).where(where)
        .order_by(StatusChange.changed_at.desc(), StatusChange.id.desc()).limit(CHANGES_SHOWN))
    keys = ("org_id", "org_name", "year", "old_status", "new_status", "changed_at")
    return [dict(zip(keys, row, strict=True)) for row in rows], total


def _needs_status(flt: OrgFilter) -> bool:
    return bool(flt.status or flt.rule or flt.sort == "status")


def _needs_report(flt: OrgFilter) -> bool:
    return flt.sort in ("published", "errors")


def _where(viewer: Viewer, flt: OrgFilter) -> list[Any]:
    clauses: list[Any] = [org_clause(viewer, Org.id)]
    if flt.status == UNKNOWN_STATUS:
        clauses.append(ComplianceStatus.org_id.is_(None))
    elif flt.status:
        clauses.append(ComplianceStatus.status == flt.status)
    if flt.kind:
        clauses.append(Org.kind == flt.kind)
    if flt.region:
        clauses.append(Org.region_code.like(flt.region + "%"))
    if flt.q:
        pattern = "%" + flt.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(or_(Org.name.like(pattern, escape="\\"), Org.id.like(pattern, escape="\\")))
    if flt.rule:
        # Uncorrelated, and read from two covering indexes (finding(rule, report_id), report(year, is_latest,
        # org_id)): probing the wide report rows once per finding costs ten times as much.
        with_rule = select(FindingRow.report_id).where(FindingRow.rule == flt.rule)
        in_findings = Org.id.in_(select(Report.org_id).where(
            Report.year == flt.year, Report.is_latest == True, Report.id.in_(with_rule)))  # noqa: E712
        # Reasons are stored as Reason.to_json() text ({"rule": …, "severity": …}); "info" ones are passed checks.
        text = cast(ComplianceStatus.reasons, String)
        in_reasons = [text.like(f'%"rule": "{flt.rule}", "severity": "{severity}"%') for severity in PROBLEMS]
        clauses.append(or_(in_findings, *in_reasons))
    return clauses


def _order(flt: OrgFilter, report: Any) -> list[Any]:
    rank = case({s: i for i, s in enumerate(STATUS_ORDER)}, value=_status_column(), else_=len(STATUS_ORDER))
    keys: dict[str, list[Any]] = {
        "name": [Org.name], "id": [], "status": [rank, Org.name], "region": [Org.region_code, Org.name],
        "kind": [Org.kind, Org.name], "published": [report.c.published_on, Org.name],
        "errors": [report.c.error_count, Org.name],
    }
    columns = [*keys.get(flt.sort, keys["name"]), Org.id]
    return [c.desc() if flt.desc else c.asc() for c in columns]


def _latest_alias() -> Any:
    return Report.__table__.alias("latest")


def _filtered(columns: list[Any], viewer: Viewer, flt: OrgFilter, *, status: bool, latest: Any = None) -> Any:
    """SELECT `columns` FROM org, joining the status row, and the latest report as `latest`, only when asked."""
    query = select(*columns).select_from(Org)
    if status:
        query = query.outerjoin(ComplianceStatus, _status_join(flt.year))
    if latest is not None:
        query = query.outerjoin(latest, and_(latest.c.org_id == Org.id, latest.c.year == flt.year,
                                             latest.c.is_latest == True))  # noqa: E712
    return query.where(*_where(viewer, flt))


def _rows_query(viewer: Viewer, flt: OrgFilter) -> Any:
    latest = _latest_alias()
    columns = [Org.id, Org.name, Org.kind, Org.level, Org.region_code, _status_column(), ComplianceStatus.reasons,
               latest.c.id, latest.c.title, latest.c.published_on, latest.c.error_count, latest.c.warning_count]
    return _filtered(columns, viewer, flt, status=True, latest=latest).order_by(*_order(flt, latest))


def _row(values: Any) -> OrgRow:
    (oid, name, kind, level, region, status, reasons, rid, title, published, errors, warnings) = values
    return OrgRow(oid, name, kind, level, region, status, reasons or [], rid, title, published,
                  errors or 0, warnings or 0)


def list_orgs(*, session: Session, viewer: Viewer, flt: OrgFilter, memo: Memo | None = None) -> OrgPage:
    """One page of the filtered, sorted organisation list.

    Deferred join: the page's ids are chosen joining only what the filter and sort need, then the
    display columns are fetched for those ids alone, so a page costs little more than its count.
    """
    if memo is not None:
        total, ids = memo.get(session, viewer, ("list", flt), lambda: _page_ids(session, viewer, flt))
    else:
        total, ids = _page_ids(session, viewer, flt)
    if not ids:
        return OrgPage([], total, flt)
    detail = _rows_query(viewer, OrgFilter(year=flt.year)).where(Org.id.in_(ids))
    rows = {r[0]: _row(r) for r in session.execute(detail)}
    return OrgPage([rows[i] for i in ids if i in rows], total, flt)


def _page_ids(session: Session, viewer: Viewer, flt: OrgFilter) -> tuple[int, list[str]]:
    status, report = _needs_status(flt), _needs_report(flt)
    total = session.scalar(_filtered([func.count()], viewer, flt, status=status)) or 0
    latest = _latest_alias()
    ids_query = _filtered([Org.id], viewer, flt, status=status, latest=latest if report else None)
    offset = (flt.page - 1) * flt.per_page
    return total, list(session.scalars(ids_query.order_by(*_order(flt, latest)).limit(flt.per_page).offset(offset)))


def all_orgs(*, session: Session, viewer: Viewer, flt: OrgFilter, limit: int) -> list[OrgRow]:
    """Every row matching the filter (for exports), at most `limit`."""
    return [_row(r) for r in session.execute(_rows_query(viewer, flt).limit(limit))]
