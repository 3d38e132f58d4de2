"""One organisation, one report, one document, and portal health — each checked against the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from db.models import ComplianceStatus, CrawlTarget, Document, Fetch, FindingRow, Org, Report
from monitor.web.scope import Viewer, can_see, org_clause
from nianbao.errors import NotFound

FETCHES_SHOWN = 20
HEALTH_PER_PAGE = 50


@dataclass(slots=True)
class OrgDetail:
    org: Org
    parent: Org | None
    children: int
    statuses: list[ComplianceStatus]
    reports: list[Report]
    documents: dict[str, Document]
    target: CrawlTarget | None
    fetches: list[Fetch]


@dataclass(slots=True)
class ReportDetail:
    report: Report
    org: Org | None
    findings: list[FindingRow]
    versions: list[Report]
    document: Document | None


@dataclass(slots=True)
class Health:
    targets: int
    failing: int
    never_succeeded: int
    fetches_day: int
    errors_day: int
    rows: list[dict[str, Any]]
    total_rows: int
    page: int
    pages: int


def _not_found_org() -> NotFound:
    return NotFound("未找到该机构，或该机构不在您的监督范围内")


def org_detail(*, session: Session, viewer: Viewer, org_id: str) -> OrgDetail:
    """Every year's status, every report version and document of one organisation."""
    org = session.get(Org, org_id)
    if org is None or not can_see(session=session, viewer=viewer, org_id=org_id):
        raise _not_found_org()
    parent = session.get(Org, org.parent_id) if org.parent_id else None
    if parent is not None and not can_see(session=session, viewer=viewer, org_id=parent.id):
        parent = None
    children = session.scalar(select(func.count()).select_from(Org).where(Org.parent_id == org_id)) or 0
    statuses = list(session.scalars(select(ComplianceStatus).where(ComplianceStatus.org_id == org_id)
                                    .order_by(ComplianceStatus.year.desc())))
    reports = list(session.scalars(select(Report).where(Report.org_id == org_id)
                                   .order_by(Report.year.desc(), Report.version.desc())))
    shas = {r.document_sha256 for r in reports}
    documents = {d.sha256: d for d in session.scalars(select(Document).where(Document.sha256.in_(shas)))} if shas else {}
    fetches = list(session.scalars(select(Fetch).where(Fetch.org_id == org_id)
                                   .order_by(Fetch.fetched_at.desc()).limit(FETCHES_SHOWN)))
    return OrgDetail(org, parent, children, statuses, reports, documents, session.get(CrawlTarget, org_id), fetches)


def report_detail(*, session: Session, viewer: Viewer, report_id: int) -> ReportDetail:
    report = session.get(Report, report_id)
    if report is None or not can_see(session=session, viewer=viewer, org_id=report.org_id):
        raise NotFound("未找到该报告，或该报告不在您的监督范围内")
    findings = list(session.scalars(select(FindingRow).where(FindingRow.report_id == report_id)
                                    .order_by(FindingRow.id)))
    versions = list(session.scalars(select(Report).where(
        Report.org_id == report.org_id, Report.year == report.year, Report.org_id.is_not(None))
        .order_by(Report.version.desc()))) if report.org_id else [report]
    org = session.get(Org, report.org_id) if report.org_id else None
    return ReportDetail(report, org, findings, versions, session.get(Document, report.document_sha256))


def visible_document(*, session: Session, viewer: Viewer, sha256: str) -> Document:
    """The document row, when some report the viewer may see was read from it."""
    document = session.get(Document, sha256)
    if document is not None:
        seen = select(Report.id).where(Report.document_sha256 == sha256)
        if not viewer.is_admin:
            seen = seen.where(Report.org_id.is_not(None), org_clause(viewer, Report.org_id))
        if session.scalars(seen.limit(1)).first() is not None:
            return document
    raise NotFound("未找到该文档，或该文档不在您的监督范围内")


def health(*, session: Session, viewer: Viewer, now: datetime, page: int = 1) -> Health:
    """Portal health: failing portals first, with last success and error counts of the last 7 days."""
    scoped = org_clause(viewer, CrawlTarget.org_id)
    targets = session.scalar(select(func.count()).select_from(CrawlTarget).where(scoped)) or 0
    failing_where = and_(scoped, CrawlTarget.consecutive_failures > 0)
    failing = session.scalar(select(func.count()).select_from(CrawlTarget).where(failing_where)) or 0
    never = session.scalar(select(func.count()).select_from(CrawlTarget)
                           .where(scoped, CrawlTarget.last_success_at.is_(None))) or 0
    day = now - timedelta(days=1)
    fetch_scope = and_(Fetch.fetched_at >= day, org_clause(viewer, Fetch.org_id))
    is_error = or_(Fetch.error.is_not(None), Fetch.status >= 400)
    fetches_day = session.scalar(select(func.count()).select_from(Fetch).where(fetch_scope)) or 0
    errors_day = session.scalar(select(func.count()).select_from(Fetch).where(fetch_scope, is_error)) or 0
    week_errors = (select(Fetch.org_id, func.count().label("n")).where(
        Fetch.fetched_at >= now - timedelta(days=7), is_error).group_by(Fetch.org_id).subquery("errs"))
    rows_query = (select(CrawlTarget, Org.name, func.coalesce(week_errors.c.n, 0))
                  .join(Org, Org.id == CrawlTarget.org_id)
                  .outerjoin(week_errors, week_errors.c.org_id == CrawlTarget.org_id)
                  .where(or_(failing_where, and_(scoped, CrawlTarget.last_success_at.is_(None))))
                  .order_by(CrawlTarget.consecutive_failures.desc(), Org.name, CrawlTarget.org_id))
    total_rows = session.scalar(select(func.count()).select_from(CrawlTarget).where(
        or_(failing_where, and_(scoped, CrawlTarget.last_success_at.is_(None))))) or 0
    pages = max(1, -(-total_rows // HEALTH_PER_PAGE))
    page = min(max(1, page), pages)
    rows = [{"target": t, "org_name": name, "errors_week": n}
            for t, name, n in session.execute(rows_query.limit(HEALTH_PER_PAGE).offset((page - 1) * HEALTH_PER_PAGE))]
    return Health(targets, failing, never, fetches_day, errors_day, rows, total_rows, page, pages)
