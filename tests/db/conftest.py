"""Helpers for storage tests: parsed reports built by hand, a document store in tmp_path."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from crawler.report.model import Finding, Report, Source
from db.store import DocumentStore

T0 = datetime(2025, 2, 1, 8, 0, tzinfo=timezone.utc)


def make_report(*, org: str = "双鸭山市", year: int = 2024, granted: int = 10,
                findings: tuple[Finding, ...] = ()) -> Report:
    """A small parsed report; `granted` varies the content."""
    return Report(
        source=Source(path=None, media_type="text/html", sha256="0" * 64),
        title=f"{org}{year}年政府信息公开工作年度报告", org=org, year=year, template="2021",
        applications={"granted": {"natural_person": granted, "total": granted}},
        findings=list(findings),
    )


ERR = Finding("A01", "error", "（自然人列）第一项+第二项=1，第三项+第四项=0", ("applications.granted.total",))
WARN = Finding("T02", "warning", "第六部分未说明是否收取信息处理费")


@pytest.fixture
def store(tmp_path: Path) -> DocumentStore:
    return DocumentStore(tmp_path / "documents")
