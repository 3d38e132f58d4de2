"""Builders for compliance tests: a small registry, parsed reports built as `Report` objects, stored versions."""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, timezone
from typing import Any

from sqlmodel import Session

from crawler.report.model import Finding, Report, Source
from crawler.report.templates import APPLICANT_COLUMNS
from db.models import Document
from db.registry import import_registry
from db.reports import record_report

REGISTRY_HEADER = "id,name,aliases,kind,region_code,level,parent_id,homepage,deadline\n"
SMALL_REGISTRY = REGISTRY_HEADER + (
    "230500-gov,双鸭山市人民政府,双鸭山市政府,government,230500,city,,http://gov.example/,\n"
    "230500-jyj,双鸭山市教育局,,department,230500,city,230500-gov,http://jyj.example/,\n"
    "230502-jd,尖山区二马路街道办事处,,township,230502,township,230500-gov,http://jd.example/,02-15\n"
    "230500-wjw,双鸭山市卫生健康委员会,,department,230500,city,230500-gov,http://wjw.example/,\n"
)
_WORDS = (
    "推进",
    "政务公开",
    "标准化",
    "规范化",
    "平台",
    "建设",
    "依申请公开",
    "办理",
    "质量",
    "提升",
    "基层",
    "制度",
    "完善",
    "政策解读",
    "回应",
    "关切",
    "渠道",
    "拓展",
    "信息",
    "发布",
    "审核",
    "机制",
    "培训",
    "队伍",
)


def import_small_registry(session: Session, csv_text: str = SMALL_REGISTRY) -> None:
    result = import_registry(session=session, data=csv_text.encode())
    assert not result.errors, result.errors


def prose(seed: int, clauses: int = 30) -> str:
    """Distinct, report-like Chinese prose for seed."""
    rng = random.Random(seed)
    return "，".join("".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 6))) for _ in range(clauses)) + "。"


def _row(value: int | None) -> dict[str, int | None]:
    return {
        col: (None if value is None else (value if col in ("natural_person", "total") else 0))
        for col, _ in APPLICANT_COLUMNS
    }


def make_report(
    *,
    org: str,
    year: int,
    carried_over: int | None = 0,
    carried_forward: int | None = 0,
    findings: list[Finding] | None = None,
    overview: str | None = None,
    problems: str | None = None,
    other: str = "本年度未收取信息处理费。",
    art20: dict[str, Any] | None = None,
    title: str | None = None,
    seed: int = 0,
) -> Report:
    """A parsed template-2021 report; sections default to distinct prose derived from `seed`."""
    texts = {
        "overview": overview if overview is not None else prose(seed) + "开展工作考核和社会评议。",
        "proactive": "二、主动公开政府信息情况",
        "applications": "三、收到和处理政府信息公开申请情况",
        "review_litigation": "四、行政复议、行政诉讼情况",
        "problems": problems if problems is not None else prose(seed + 100_000, 8),
        "other": other,
    }
    body = f"{org}{year}{seed}{texts}".encode()
    return Report(
        source=Source(path=None, media_type="text/html", sha256=hashlib.sha256(body).hexdigest()),
        title=title or f"{org}{year}年政府信息公开工作年度报告",
        org=org,
        year=year,
        template="2021",
        section_texts=texts,
        art20=art20 or {"rules": {"made": 0, "repealed": 0, "in_force": 0}},
        applications={"carried_over": _row(carried_over), "carried_forward": _row(carried_forward)},
        findings=list(findings or []),
    )


def at(day: date, hour: int = 4) -> datetime:
    """A UTC instant on `day` (04:00 UTC is noon in Beijing)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def store_report(
    session: Session, *, org_id: str, report: Report, seen: date, page_date: date | None = None, year: int | None = None
) -> int:
    """Record `report` as found for `org_id` on `seen` (with the portal's 发布日期 when given); returns its id."""
    doc = session.get(Document, report.source.sha256)
    if doc is None:
        doc = Document(
            sha256=report.source.sha256,
            media_type=report.source.media_type,
            size=1,
            first_seen=at(seen),
            last_seen=at(seen),
        )
        session.add(doc)
        session.flush()
    row = record_report(
        session=session,
        org_id=org_id,
        document=doc,
        report=report,
        source_url=f"http://portal.example/{report.source.sha256[:8]}.html",
        page_url=None,
        published_on=page_date,
        published_source="page" if page_date else None,
        seen_at=at(seen),
        year=year,
    )
    assert row.id is not None
    return row.id


A01 = Finding("A01", "error", "（自然人）一+二=1，三（七）+四=0", ("applications.new_received.natural_person",))
