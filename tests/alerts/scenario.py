"""A known world for digest tests: two cities under one province, supervisors on each, one week of events.

as_of 2027-01-20 (ISO week 2027-W03), run at 10:00 Beijing time; the window is the seven days before.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone

from sqlalchemy.engine import Engine

from crawler.report.model import Report as ParsedReport
from crawler.report.model import Source
from db.engine import session_scope
from db.models import (
    ComplianceStatus,
    CrawlTarget,
    Document,
    FindingRow,
    Org,
    Report,
    StatusChange,
    Supervisor,
    SupervisorScope,
)

AS_OF = date(2027, 1, 20)
PERIOD = "2027-W03"
NOW = datetime(2027, 1, 20, 2, 0, tzinfo=timezone.utc)
IN_WINDOW = datetime(2027, 1, 16, 3, 30, tzinfo=timezone.utc)
BEFORE_WINDOW = datetime(2027, 1, 5, 3, 30, tzinfo=timezone.utc)
BASE_URL = "https://nianbao.example.cn"

ORGS = [  # id, name, kind, parent, deadline override
    ("prov", "黑龙江省人民政府", "government", None, None),
    ("sys", "双鸭山市人民政府", "government", "prov", None),
    ("sys-edu", "双鸭山市教育局", "department", "sys", None),
    ("sys-fin", "双鸭山市财政局", "department", "sys", "02-28"),
    ("sys-jd", "双鸭山市尖山区二马路街道办事处", "township", "sys", None),
    ("hg", "鹤岗市人民政府", "government", "prov", None),
    ("hg-edu", "鹤岗市教育局", "department", "hg", None),
    ("hg-rs", "鹤岗市人力资源和社会保障局", "department", "hg", None),
    ("hg-sw", "鹤岗市税务局", "department", "hg", None),
]
SUPERVISORS = [  # key, email, name, scopes, send_all_clear, immediate_alerts
    ("alice", "alice@sys.example.cn", "王丽", ["sys"], True, True),
    ("bob", "bob@hg.example.cn", "李强", ["hg-edu"], False, False),
    ("dave", "dave@hg.example.cn", "张伟", ["hg-rs"], True, False),
    ("erin", "erin@hg.example.cn", None, ["hg-sw"], False, True),
]
A01 = "（自然人列）第一项+第二项=12，第三项（七）总计+第四项=10，勾稽关系不成立"
A03 = "（总计列）三（七）总计=30，三（一）至（六）之和=28，不一致"
T02 = "第六部分未说明是否收取信息处理费"
C02 = "2026-02-16在门户发布，晚于发布期限2026-01-31"
Y01 = "（自然人列）二、上年结转=5，上年报告四、结转下年度继续办理=3，不一致"


def _document(session, label: str) -> str:  # type: ignore[no-untyped-def]
    sha = hashlib.sha256(label.encode()).hexdigest()
    session.add(Document(sha256=sha, media_type="text/html", size=100))
    session.flush()
    return sha


def report(session, org_id: str, year: int, *, seen: datetime, version: int = 1, errors: int = 0,  # type: ignore[no-untyped-def]
           warnings: int = 0, is_latest: bool = True) -> Report:
    sha = _document(session, f"{org_id}-{year}-{version}")
    parsed = ParsedReport(source=Source(None, "text/html", sha), year=year, template="2021").to_json()
    row = Report(org_id=org_id, year=year, version=version, is_latest=is_latest, template="2021", data=parsed,
                 title=f"{year}年政府信息公开工作年度报告", first_seen_at=seen, created_at=seen, document_sha256=sha,
                 source_url=f"https://{org_id}.gov.example.cn/{year}.html", error_count=errors, warning_count=warnings)
    session.add(row)
    session.flush()
    return row


def build(engine: Engine) -> dict[str, int]:
    """Insert the scenario; returns supervisor ids by key and report ids as `report:<name>`."""
    ids: dict[str, int] = {}
    with session_scope(engine) as session:
        for org_id, name, kind, parent, deadline in ORGS:
            session.add(Org(id=org_id, name=name, kind=kind, parent_id=parent, deadline=deadline,
                            homepage=f"https://{org_id}.gov.example.cn/"))
            session.flush()
        for key, email, name, scopes, all_clear, immediate in SUPERVISORS:
            sup = Supervisor(email=email, name=name, send_all_clear=all_clear, immediate_alerts=immediate)
            session.add(sup)
            session.flush()
            assert sup.id is not None
            ids[key] = sup.id
            for org_id in scopes:
                session.add(SupervisorScope(supervisor_id=sup.id, org_id=org_id))
        # Status news: two new for alice, one for bob; one old, one that flipped back within the week.
        for org_id, old, new, at in [
            ("sys-edu", "not_due", "missing", IN_WINDOW),
            ("sys-fin", "missing", "late", IN_WINDOW),
            ("hg-edu", "not_due", "missing", IN_WINDOW),
            ("sys-jd", "not_due", "missing", BEFORE_WINDOW),
            ("sys", "not_due", "missing", IN_WINDOW - timedelta(days=1)),
            ("sys", "missing", "ok", IN_WINDOW),
            ("sys-edu", "ok", "inconsistent", IN_WINDOW),  # its 2024 report, found wrong by a cross-year rule
            ("hg-edu", "missing", "inconsistent", IN_WINDOW + timedelta(hours=1)),  # the new report below
        ]:
            year = 2024 if (org_id, new) == ("sys-edu", "inconsistent") else 2025
            session.add(StatusChange(org_id=org_id, year=year, old_status=old, new_status=new, changed_at=at))
        fin = report(session, "sys-fin", 2025, seen=IN_WINDOW, errors=2, warnings=1)
        for rule, severity, message in [("A01", "error", A01), ("A03", "error", A03), ("T02", "warning", T02)]:
            session.add(FindingRow(report_id=fin.id, rule=rule, severity=severity, message=message))
        ids["report:fin"] = int(fin.id or 0)
        old = report(session, "sys-edu", 2024, seen=BEFORE_WINDOW, errors=1)
        session.add(FindingRow(report_id=old.id, rule="A02", severity="error", message="旧的错误，不应出现"))
        ids["report:edu-2024"] = int(old.id or 0)
        report(session, "sys", 2025, seen=BEFORE_WINDOW, errors=1, is_latest=False)
        ids["report:sys-v2"] = int(report(session, "sys", 2025, seen=IN_WINDOW, version=2).id or 0)
        # hg-edu: an error report too, but bob's scope only; hg-rs and hg-sw already published 2026.
        other = report(session, "hg-edu", 2025, seen=IN_WINDOW, errors=1)
        session.add(FindingRow(report_id=other.id, rule="A04", severity="error", message="鹤岗的错误"))
        ids["report:hg-edu"] = int(other.id or 0)
        report(session, "hg-rs", 2026, seen=BEFORE_WINDOW)
        report(session, "hg-sw", 2026, seen=BEFORE_WINDOW)
        report(session, "hg-edu", 2026, seen=BEFORE_WINDOW)
        statuses = [("sys-edu", 2025, "missing", None, []), ("sys-fin", 2025, "late", fin.id, [
                        {"rule": "A01", "severity": "error", "message": A01},
                        {"rule": "C02", "severity": "error", "message": C02}]),
                    ("hg-edu", 2025, "inconsistent", other.id, [{"rule": "A04", "severity": "error", "message": "鹤岗的错误"}]),
                    ("sys-jd", 2025, "missing", None, []), ("sys", 2025, "ok", None, []),
                    ("sys-edu", 2024, "inconsistent", old.id, [{"rule": "Y01", "severity": "error", "message": Y01},
                                                               {"rule": "T02", "severity": "warning", "message": T02}])]
        for org_id, year, status, report_id, reasons in statuses:
            session.add(ComplianceStatus(org_id=org_id, year=year, status=status, as_of=AS_OF, report_id=report_id,
                                         reasons=reasons))
        session.add(CrawlTarget(org_id="sys-jd", consecutive_failures=3, last_error="连接超时（30 秒）",
                                last_success_at=BEFORE_WINDOW))
        session.add(CrawlTarget(org_id="hg-rs", consecutive_failures=0))
    return ids
