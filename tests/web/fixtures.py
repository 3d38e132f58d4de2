"""Fixture data for the web tests: a small org tree, supervisors, reports with findings, statuses, crawl health."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy.engine import Engine

from crawler.report.model import Finding, Source
from crawler.report.model import Report as ParsedReport
from crawler.report.templates import APPLICANT_PARTS, REVIEW_FIELDS, REVIEW_GROUPS, TEMPLATES
from db.engine import session_scope
from db.models import (ComplianceStatus, CrawlTarget, Document, Fetch, FindingRow, Org, Report, StatusChange,
                       Supervisor, SupervisorScope)
from db.store import DocumentStore
from argon2 import PasswordHasher

PASSWORD = "correct-horse-42"
XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
A01_CELLS = ("applications.new_received.natural_person", "applications.carried_over.natural_person",
             "applications.results_total.natural_person", "applications.carried_forward.natural_person")
A01_MESSAGE = "（自然人列）第一项+第二项=12，第三项+第四项=11，勾稽关系不成立"


@dataclass
class Seeded:
    """Ids the tests refer to."""

    admin: str = "admin@example.cn"
    sys_user: str = "sys@example.cn"  # sees 双鸭山市 (230500-gov) and below
    hrb_user: str = "hrb@example.cn"  # sees 哈尔滨市 (230100-gov) and below
    throttled_user: str = "throttle@example.cn"  # only the rate-limit test logs in with it
    sys_report: int = 0  # latest 2023 report of 230500-gov, with an A01 finding
    sys_old_report: int = 0
    hrb_report: int = 0  # report of 230100-fin: outside sys_user's scope
    sys_sha: str = ""
    hrb_sha: str = ""
    orgs: dict[str, str] = field(default_factory=dict)


ORGS = [
    ("230000-gov", "黑龙江省人民政府", "government", "230000", "province", None),
    ("230500-gov", "双鸭山市人民政府", "government", "230500", "city", "230000-gov"),
    ("230500-edu", "双鸭山市教育局", "department", "230500", "city", "230500-gov"),
    ("230502-gov", "双鸭山市尖山区人民政府", "government", "230502", "county", "230500-gov"),
    ("230100-gov", "哈尔滨市人民政府", "government", "230100", "city", "230000-gov"),
    ("230100-fin", "哈尔滨市财政局", "department", "230100", "city", "230100-gov"),
    ("230102-jd", "哈尔滨市道里区某街道办事处", "township", "230102", "township", "230100-gov"),
]
STATUSES = {"230000-gov": "not_due", "230500-gov": "inconsistent", "230500-edu": "missing",
            "230502-gov": "ok", "230100-gov": "late", "230100-fin": "ok", "230102-jd": "missing"}


def parsed_report(*, sha256: str, title: str, org: str, year: int, broken: bool) -> ParsedReport:
    """A template-2021 report; `broken` makes the natural-person column fail A01 (12 in, 11 out)."""
    template = TEMPLATES["2021"]
    apps: dict[str, dict[str, int | float | None]] = {}
    for row in template.application_rows:
        values: dict[str, int | float | None] = dict.fromkeys(APPLICANT_PARTS, 0)
        values["total"] = 0
        apps[row.id] = values
    apps["new_received"].update(natural_person=10, total=10)
    apps["carried_over"].update(natural_person=2, total=2)
    apps["granted"].update(natural_person=9 if broken else 10, total=9 if broken else 10)
    apps["results_total"].update(natural_person=9 if broken else 10, total=9 if broken else 10)
    apps["carried_forward"].update(natural_person=2, total=2)
    apps["denied.state_secret"]["research"] = None  # a blank cell renders as —
    art20 = {r.id: dict.fromkeys((f for f, _ in r.fields), 0) for r in template.art20_rows}
    art20["normative_docs"].update(made=3, in_force=41)
    review = {g: dict.fromkeys((f for f, _ in REVIEW_FIELDS), 0) for g, _ in REVIEW_GROUPS}
    findings = [Finding("A01", "error", A01_MESSAGE, A01_CELLS)] if broken else []
    if broken:
        findings.append(Finding("T02", "warning", "第六部分未说明是否收取信息处理费" + XSS, ()))
    return ParsedReport(
        source=Source(path=None, media_type="text/html", sha256=sha256), title=title, org=org, year=year,
        template="2021", published_on=date(year + 1, 2, 20),
        section_texts={"overview": "本年度总体情况。" + XSS, "proactive": "", "applications": "",
                       "review_litigation": "", "problems": "存在问题。", "other": "无"},
        art20=art20, applications=apps, review_litigation=review,
        raw_cells={"applications.new_received.natural_person": "1 0" + XSS}, findings=findings)


def _report(session, *, store: DocumentStore, org_id: str, org_name: str, year: int, version: int,
            latest: bool, broken: bool, title: str, seen: datetime) -> tuple[int, str]:
    body = f"<html><body>{title} v{version}</body></html>".encode()
    sha = store.put(body)
    if session.get(Document, sha) is None:
        session.add(Document(sha256=sha, media_type="text/html", size=len(body),
                             source_url=f"http://127.0.0.1:9/{org_id}/{year}.html", first_seen=seen, last_seen=seen))
    parsed = parsed_report(sha256=sha, title=title, org=org_name, year=year, broken=broken)
    row = Report(org_id=org_id, claimed_org=org_name, year=year, version=version, is_latest=latest,
                 template="2021", title=title, published_on=parsed.published_on, published_source="page",
                 first_seen_at=seen, document_sha256=sha, source_url=f"http://127.0.0.1:9/{org_id}/{year}.html",
                 page_url="javascript:alert(1)", data=parsed.to_json(),
                 error_count=sum(f.severity == "error" for f in parsed.findings),
                 warning_count=sum(f.severity == "warning" for f in parsed.findings))
    session.add(row)
    session.flush()
    session.add_all(FindingRow(report_id=row.id, rule=f.rule, severity=f.severity, message=f.message,
                               cells=list(f.cells)) for f in parsed.findings)
    return row.id, sha


def seed(engine: Engine, document_dir: Path, now: datetime | None = None) -> Seeded:
    """Insert the fixture world; returns the ids tests need."""
    now = now or datetime.now(timezone.utc)
    store = DocumentStore(document_dir)
    out = Seeded(orgs={oid: name for oid, name, *_ in ORGS})
    # Cheap parameters keep logins fast in tests; verification reads them from the hash itself.
    hashed = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    with session_scope(engine) as session:
        for oid, name, kind, region, level, parent in ORGS:
            session.add(Org(id=oid, name=name, kind=kind, region_code=region, level=level, parent_id=parent,
                            homepage=f"http://127.0.0.1:9/{oid}/"))
            session.flush()
        people = {out.admin: (True, []), out.sys_user: (False, ["230500-gov"]),
                  out.hrb_user: (False, ["230100-gov"]), out.throttled_user: (False, ["230102-jd"])}
        for email, (is_admin, roots) in people.items():
            person = Supervisor(email=email, name=email.split("@")[0], password_hash=hashed, is_admin=is_admin)
            session.add(person)
            session.flush()
            session.add_all(SupervisorScope(supervisor_id=person.id, org_id=r) for r in roots)
        title = "双鸭山市2023年政府信息公开工作年度报告" + XSS
        out.sys_old_report, _ = _report(session, store=store, org_id="230500-gov", org_name="双鸭山市", year=2023,
                                        version=1, latest=False, broken=False, title=title,
                                        seen=now - timedelta(days=40))
        out.sys_report, out.sys_sha = _report(session, store=store, org_id="230500-gov", org_name="双鸭山市",
                                              year=2023, version=2, latest=True, broken=True, title=title,
                                              seen=now - timedelta(days=3))
        out.hrb_report, out.hrb_sha = _report(session, store=store, org_id="230100-fin", org_name="哈尔滨市财政局",
                                              year=2023, version=1, latest=True, broken=False,
                                              title="哈尔滨市财政局2023年政府信息公开工作年度报告",
                                              seen=now - timedelta(days=60))
        for oid, status in STATUSES.items():
            # Shaped like monitor.reasons.Reason.to_json(); "info" records a check that passed.
            reasons = [{"rule": "C02", "severity": "info", "message": "按期发布"}]
            if status == "inconsistent":
                reasons = [{"rule": "A01", "severity": "error", "message": A01_MESSAGE, "cells": list(A01_CELLS)},
                           *reasons]
            elif status == "missing":
                reasons = [{"rule": "C01", "severity": "error", "message": "截止日期已过，未发现年度报告"}]
            report_id = {"230500-gov": out.sys_report, "230100-fin": out.hrb_report}.get(oid)
            session.add(ComplianceStatus(org_id=oid, year=2023, status=status, reasons=reasons,
                                         report_id=report_id, as_of=now.date(), computed_at=now))
            session.add(ComplianceStatus(org_id=oid, year=2022, status="ok", reasons=[], as_of=now.date(),
                                         computed_at=now))
        session.add(StatusChange(org_id="230500-gov", year=2023, old_status="ok", new_status="inconsistent",
                                 changed_at=now - timedelta(days=2)))
        session.add(StatusChange(org_id="230100-gov", year=2023, old_status="missing", new_status="late",
                                 changed_at=now - timedelta(days=1)))
        session.add(StatusChange(org_id="230500-edu", year=2022, old_status="missing", new_status="ok",
                                 changed_at=now - timedelta(days=30)))
        session.add(CrawlTarget(org_id="230500-edu", last_crawled_at=now, consecutive_failures=4,
                                last_error="连接超时（双鸭山市教育局门户）"))
        session.add(CrawlTarget(org_id="230500-gov", last_crawled_at=now, last_success_at=now))
        session.add(CrawlTarget(org_id="230100-fin", last_crawled_at=now, consecutive_failures=2,
                                last_error="HTTP 500（哈尔滨市财政局门户）"))
        session.add(Fetch(org_id="230500-edu", url="http://127.0.0.1:9/230500-edu/", fetched_at=now,
                          error="连接超时"))
        session.add(Fetch(org_id="230500-gov", url="http://127.0.0.1:9/230500-gov/", fetched_at=now, status=200))
    return out
