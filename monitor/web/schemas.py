"""JSON shapes of /api/ (they appear in the OpenAPI document)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel


class Me(BaseModel):
    email: str
    name: str | None
    is_admin: bool


class Change(BaseModel):
    org_id: str
    org_name: str
    year: int
    old_status: str | None
    new_status: str
    changed_at: datetime


class RegionCount(BaseModel):
    region: str
    name: str
    counts: dict[str, int]


class OverviewOut(BaseModel):
    year: int
    total: int
    by_status: dict[str, int]
    by_kind: dict[str, dict[str, int]]
    by_region: list[RegionCount]
    changes_since: datetime
    changes_total: int
    changes: list[Change]


class OrgRowOut(BaseModel):
    id: str
    name: str
    kind: str
    level: str | None
    region_code: str | None
    status: str
    reasons: list[Any]
    report_id: int | None
    title: str | None
    published_on: date | None
    error_count: int
    warning_count: int


class OrgPageOut(BaseModel):
    year: int
    total: int
    page: int
    pages: int
    per_page: int
    rows: list[OrgRowOut]


class StatusOut(BaseModel):
    year: int
    status: str
    reasons: list[Any]
    report_id: int | None
    as_of: date
    computed_at: datetime


class ReportSummary(BaseModel):
    id: int
    year: int | None
    version: int
    is_latest: bool
    title: str | None
    template: str | None
    published_on: date | None
    published_source: str
    first_seen_at: datetime
    source_url: str | None
    page_url: str | None
    document_sha256: str
    error_count: int
    warning_count: int


class DocumentOut(BaseModel):
    sha256: str
    media_type: str
    size: int
    source_url: str | None
    first_seen: datetime
    last_seen: datetime
    download_url: str


class FetchOut(BaseModel):
    url: str
    fetched_at: datetime
    status: int | None
    error: str | None


class CrawlOut(BaseModel):
    list_url: str | None
    last_crawled_at: datetime | None
    last_success_at: datetime | None
    consecutive_failures: int
    last_error: str | None


class OrgOut(BaseModel):
    id: str
    name: str
    aliases: list[str]
    kind: str
    level: str | None
    region_code: str | None
    parent_id: str | None
    homepage: str
    report_list_url: str | None
    children: int
    statuses: list[StatusOut]
    reports: list[ReportSummary]
    documents: list[DocumentOut]
    crawl: CrawlOut | None
    fetches: list[FetchOut]


class FindingOut(BaseModel):
    rule: str
    severity: str
    message: str
    cells: list[str]


class ReportOut(ReportSummary):
    org_id: str | None
    org_name: str | None
    claimed_org: str | None
    findings: list[FindingOut]
    versions: list[ReportSummary]
    document: DocumentOut | None
    data: dict[str, Any]


class PortalOut(BaseModel):
    org_id: str
    org_name: str
    list_url: str | None
    last_crawled_at: datetime | None
    last_success_at: datetime | None
    consecutive_failures: int
    last_error: str | None
    errors_week: int


class HealthOut(BaseModel):
    targets: int
    failing: int
    never_succeeded: int
    fetches_day: int
    errors_day: int
    page: int
    pages: int
    total_rows: int
    portals: list[PortalOut]


class SupervisorOut(BaseModel):
    id: int
    email: str
    name: str | None
    is_admin: bool
    can_log_in: bool
    scopes: list[str]
