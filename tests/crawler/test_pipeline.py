"""The report pipeline on real documents and a real SQLite database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from scrapy.utils.test import get_crawler
from sqlmodel import Session, select

from crawler.items import ReportItem
from crawler.pipelines import ReportPipeline
from db.models import Document, Fetch, Report
from tests.crawler.helpers import import_csv

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def _pipeline(sqlite_engine, sqlite_url: str, tmp_path: Path) -> ReportPipeline:  # type: ignore[no-untyped-def]
    import_csv(sqlite_engine, [{"id": "230500-gov", "name": "双鸭山市人民政府", "aliases": "双鸭山市",
                                "kind": "government", "homepage": "http://www.sys.gov.cn/"}])
    crawler = get_crawler(settings_dict={"NIANBAO_DB_URL": sqlite_url, "NIANBAO_DATA_DIR": str(tmp_path)})
    return ReportPipeline.from_crawler(crawler)


def _item(body: bytes, url: str, title: str) -> ReportItem:
    return ReportItem(portal_org="230500-gov", default_org="230500-gov", url=url, page_url="http://www.sys.gov.cn/l",
                      title=title, body=body, media_type="text/plain", published_on=date(2024, 1, 19))


def test_report_stored_once_with_page_date(sqlite_engine, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline = _pipeline(sqlite_engine, sqlite_url, tmp_path)
    item = _item((SEEDS / "000_a15f4547cccf094c.txt").read_bytes(), "http://www.sys.gov.cn/a.txt",
                 "双鸭山市2023年政府信息公开工作年度报告")
    pipeline.store(item)
    pipeline.store(item)  # seen again: no second version
    with Session(sqlite_engine) as session:
        (report,) = session.exec(select(Report)).all()
    assert (report.org_id, report.year, str(report.published_on), report.published_source) == (
        "230500-gov", 2023, "2024-01-19", "page")
    assert pipeline.outcome.counts == {"reports": 2, "new_reports": 1, "known_reports": 1}
    pipeline.context.close()


def test_unreadable_document_is_a_failed_parse_not_a_crash(sqlite_engine, sqlite_url: str,  # type: ignore[no-untyped-def]
                                                           tmp_path: Path) -> None:
    pipeline = _pipeline(sqlite_engine, sqlite_url, tmp_path)
    pipeline.store(_item(b"\x00\x01 not a report", "http://www.sys.gov.cn/x.txt", "双鸭山市2023年政府信息公开工作年度报告"))
    with Session(sqlite_engine) as session:
        fetch = session.exec(select(Fetch)).one()
        document = session.exec(select(Document)).one()
        assert not session.exec(select(Report)).all()
    assert fetch.error and fetch.error.startswith("无法解析") and fetch.sha256 == document.sha256
    assert fetch.org_id == "230500-gov" and pipeline.outcome.counts["parse_failed"] == 1
    pipeline.context.close()
