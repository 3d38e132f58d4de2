"""SQLModel tables. Timestamps are timezone-aware UTC; JSON columns hold parsed data.

Model families (`XBase` for shared fields, `X(table=True)`) follow SQLModel's layout;
public/read models live beside the code that serves them.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _ts(**kw: Any) -> Any:
    """A timezone-aware timestamp column."""
    nullable = kw.pop("nullable", False)
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable, **kw), **({} if nullable else {"default_factory": utcnow}))


class OrgBase(SQLModel):
    name: str
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    kind: str  # government | department | township
    region_code: str | None = None
    level: str | None = None  # province | city | county | township
    parent_id: str | None = Field(default=None, foreign_key="org.id", index=True)
    homepage: str
    report_list_url: str | None = None
    deadline: str | None = None  # "MM-DD" override of the kind's deadline


class Org(OrgBase, table=True):
    __table_args__ = (Index("ix_org_name", "name"),)  # list pages sort and search by name

    id: str = Field(primary_key=True)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class Supervisor(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, index=True)
    name: str | None = None
    password_hash: str | None = None
    is_admin: bool = False
    send_all_clear: bool = True  # an empty week sends a short 一切正常 digest
    immediate_alerts: bool = False
    created_at: datetime = _ts()


class SupervisorScope(SQLModel, table=True):
    """A supervisor sees `org_id` and everything below it."""

    supervisor_id: int = Field(foreign_key="supervisor.id", primary_key=True)
    org_id: str = Field(foreign_key="org.id", primary_key=True, index=True)


class CrawlTarget(SQLModel, table=True):
    """What the crawler knows about one organisation's portal between runs."""

    org_id: str = Field(foreign_key="org.id", primary_key=True)
    list_url: str | None = None  # discovered annual-report column
    needs_browser: bool = False
    last_crawled_at: datetime | None = _ts(nullable=True)
    last_success_at: datetime | None = _ts(nullable=True)
    consecutive_failures: int = 0
    last_error: str | None = None


class CrawlRun(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = _ts()
    finished_at: datetime | None = _ts(nullable=True)
    status: str = "running"  # running | finished | failed | interrupted
    stats: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Fetch(SQLModel, table=True):
    """Every HTTP fetch, so portal health can be shown."""

    __table_args__ = (Index("ix_fetch_org_time", "org_id", "fetched_at"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int | None = Field(default=None, foreign_key="crawlrun.id", index=True)
    org_id: str | None = Field(default=None, foreign_key="org.id")
    url: str
    fetched_at: datetime = _ts()
    status: int | None = None
    error: str | None = None  # Chinese description when the fetch failed
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    size: int | None = None
    elapsed_ms: int | None = None
    sha256: str | None = None  # the stored document, when the body was kept


class PageCache(SQLModel, table=True):
    """Validators and the known items of a page, for conditional and incremental re-crawls."""

    url: str = Field(primary_key=True)
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    fetched_at: datetime = _ts()


class Document(SQLModel, table=True):
    """Raw bytes are in the document store under their sha256; this row describes them."""

    sha256: str = Field(primary_key=True, max_length=64)
    media_type: str
    size: int
    source_url: str | None = None
    first_seen: datetime = _ts()
    last_seen: datetime = _ts()


class Report(SQLModel, table=True):
    """One version of one organisation's annual report for one year."""

    __table_args__ = (
        UniqueConstraint("org_id", "year", "version", name="uq_report_org_year_version"),
        Index("ix_report_year_latest", "year", "is_latest", "org_id"),
        Index("ix_report_year_latest_published", "year", "is_latest", "published_on"),  # list sorted by date
        # At most one latest version per org and year, as a database fact (NULL org ids never collide).
        Index("uq_report_latest", "org_id", "year", unique=True,
              sqlite_where=text("is_latest"), postgresql_where=text("is_latest")),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: str | None = Field(default=None, foreign_key="org.id")  # None: body not in the registry
    claimed_org: str | None = None  # the org name as printed / in the title
    year: int | None = None
    version: int = 1
    is_latest: bool = True
    template: str | None = None
    title: str | None = None
    printed_on: date | None = None  # the date printed in the document
    published_on: date | None = None  # the publication date used for deadlines
    published_source: str = "first_seen"  # "page" (portal 发布日期) | "first_seen"
    first_seen_at: datetime = _ts()
    last_seen_at: datetime = _ts()  # the last time this version's content was seen on the portal
    # sha256 of the parsed content without its source: the same report in new bytes is not a new version.
    content_hash: str | None = None
    document_sha256: str = Field(foreign_key="document.sha256", index=True)
    source_url: str | None = None  # the document's URL
    page_url: str | None = None  # the detail/list page it was linked from
    parser_version: str | None = None
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # Report.to_json()
    error_count: int = 0
    warning_count: int = 0
    created_at: datetime = _ts()
    parsed_at: datetime = _ts()  # when `data` was produced (changes on reparse)


class ReportParse(SQLModel, table=True):
    """An earlier parse of a report version, kept when `nianbao reparse` replaces it."""

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    parser_version: str | None = None
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    error_count: int = 0
    warning_count: int = 0
    parsed_at: datetime = _ts()  # when this parse was made (the report row's created_at or last reparse)
    replaced_at: datetime = _ts()


class FindingRow(SQLModel, table=True):
    __tablename__ = "finding"
    __table_args__ = (Index("ix_finding_rule_report", "rule", "report_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    rule: str
    severity: str
    message: str
    cells: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class ComplianceStatus(SQLModel, table=True):
    """The latest computed status per organisation and year (recomputed after each crawl)."""

    __table_args__ = (
        Index("ix_status_year_status", "year", "status"),
        Index("ix_status_year_org", "year", "org_id", "status"),  # list pages join orgs per year
    )

    org_id: str = Field(foreign_key="org.id", primary_key=True)
    year: int = Field(primary_key=True)
    status: str  # ok | inconsistent | late | missing | not_due
    reasons: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    report_id: int | None = Field(default=None, foreign_key="report.id")
    as_of: date
    computed_at: datetime = _ts()


class StatusChange(SQLModel, table=True):
    """History of status transitions, for 'what changed this week' and digests."""

    __table_args__ = (Index("ix_statuschange_time", "changed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: str = Field(foreign_key="org.id", index=True)
    year: int
    old_status: str | None = None
    new_status: str
    changed_at: datetime = _ts()


class Digest(SQLModel, table=True):
    """One composed digest per supervisor per period; the unique key makes 'never two' a database fact."""

    __table_args__ = (UniqueConstraint("supervisor_id", "period", name="uq_digest_supervisor_period"),)

    id: int | None = Field(default=None, primary_key=True)
    supervisor_id: int = Field(foreign_key="supervisor.id")
    period: str  # e.g. "2026-W49", or "alert-<report id>" for immediate alerts
    subject: str
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    composed_at: datetime = _ts()


class OutboxMessage(SQLModel, table=True):
    """A message written before sending and marked sent only after the server accepted it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    digest_id: int | None = Field(default=None, foreign_key="digest.id", unique=True)
    to_addr: str
    subject: str
    message: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # the full RFC 5322 message
    status: str = "pending"  # pending | sent | failed
    attempts: int = 0
    next_attempt_at: datetime = _ts()
    last_error: str | None = None
    created_at: datetime = _ts()
    sent_at: datetime | None = _ts(nullable=True)
