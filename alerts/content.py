"""What one digest says, as plain data: the templates render it, the counts go into Digest.counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote

STATUS_LABELS = {"missing": "未发布", "late": "逾期发布", "inconsistent": "内容有误", "ok": "正常", "not_due": "未到期"}
SEVERITY_LABELS = {"error": "错误", "warning": "提醒"}


class Links:
    """Status-page addresses under settings.base_url."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")

    def org(self, org_id: str) -> str:
        return f"{self.base}/orgs/{quote(org_id, safe='')}"

    def report(self, report_id: int) -> str:
        return f"{self.base}/reports/{report_id}"


@dataclass(frozen=True, slots=True)
class FindingLine:
    rule: str
    severity: str
    message: str

    @property
    def label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, self.severity)


@dataclass(frozen=True, slots=True)
class StatusItem:
    org_id: str
    org_name: str
    year: int
    status: str
    changed_at: datetime
    url: str
    detail: str | None = None  # the compliance engine's C01/C02 message, e.g. 晚于发布期限2026-01-31
    report_id: int | None = None  # the report the status is about (inconsistent: the one with the errors)
    report_url: str | None = None
    reasons: tuple[FindingLine, ...] = ()  # inconsistent: the error-level reasons

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True, slots=True)
class ReportItem:
    report_id: int
    org_id: str
    org_name: str
    year: int | None
    version: int
    title: str | None
    error_count: int
    warning_count: int
    first_seen_at: datetime
    url: str
    org_url: str
    findings: tuple[FindingLine, ...] = ()


@dataclass(frozen=True, slots=True)
class DeadlineItem:
    org_id: str
    org_name: str
    year: int
    deadline: date
    days_left: int
    url: str


@dataclass(frozen=True, slots=True)
class PortalItem:
    org_id: str
    org_name: str
    failures: int
    last_error: str | None
    last_success_at: datetime | None
    url: str


@dataclass(slots=True)
class DigestContent:
    """Everything one supervisor is told for one period."""

    period: str
    label: str  # 2026年第49周
    since: datetime
    until: datetime
    as_of: date
    recipient_name: str | None
    missing: list[StatusItem] = field(default_factory=list)
    late: list[StatusItem] = field(default_factory=list)
    inconsistent: list[StatusItem] = field(default_factory=list)  # older reports newly found wrong (e.g. Y01)
    errors: list[ReportItem] = field(default_factory=list)
    corrected: list[ReportItem] = field(default_factory=list)
    upcoming: list[DeadlineItem] = field(default_factory=list)
    unreachable: list[PortalItem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "missing": len(self.missing),
            "late": len(self.late),
            "inconsistent": len(self.inconsistent),
            "errors": len(self.errors),
            "findings": sum(item.error_count for item in self.errors),
            "corrected": len(self.corrected),
            "upcoming": len(self.upcoming),
            "unreachable": len(self.unreachable),
        }

    @property
    def empty(self) -> bool:
        """Nothing to tell: the week gets a short 一切正常 digest, or none (Supervisor.send_all_clear)."""
        return not (self.missing or self.late or self.inconsistent or self.errors or self.corrected
                    or self.upcoming or self.unreachable)
