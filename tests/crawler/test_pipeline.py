"""The report pipeline on real documents and a real SQLite database."""

from __future__ import annotations

import asyncio
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


def test_a_parser_bug_costs_that_document_only(sqlite_engine, sqlite_url: str, tmp_path: Path,  # type: ignore[no-untyped-def]
                                               monkeypatch) -> None:
    pipeline = _pipeline(sqlite_engine, sqlite_url, tmp_path)

    def broken(data: bytes, **_: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr("crawler.ingest.read_report", broken)  # a bug in the parser, not a bad document
    pipeline.store(_item(b"<html>report</html>", "http://www.sys.gov.cn/b.html", "双鸭山市2023年政府信息公开工作年度报告"))
    with Session(sqlite_engine) as session:
        fetch = session.exec(select(Fetch)).one()
        assert session.exec(select(Document)).one().sha256 == fetch.sha256
    assert fetch.error and "解析程序出错" in fetch.error and "IndexError" in fetch.error
    assert pipeline.outcome.counts["parse_failed"] == 1
    pipeline.context.close()


def test_items_are_ingested_in_batches_by_a_worker_process(sqlite_engine, sqlite_url: str,  # type: ignore[no-untyped-def]
                                                           tmp_path: Path) -> None:
    import_csv(sqlite_engine, [{"id": "230500-gov", "name": "双鸭山市人民政府", "aliases": "双鸭山市",
                                "kind": "government", "homepage": "http://www.sys.gov.cn/"}])
    crawler = get_crawler(settings_dict={"NIANBAO_DB_URL": sqlite_url, "NIANBAO_DATA_DIR": str(tmp_path),
                                         "NIANBAO_PARSE_WORKERS": 1, "NIANBAO_INGEST_BATCH": 2})
    pipeline = ReportPipeline.from_crawler(crawler)
    seeds = sorted(SEEDS.glob("*.txt"))[:3]
    items = [_item(seed.read_bytes(), f"http://www.sys.gov.cn/{seed.name}", "") for seed in seeds]
    items.append(_item(b"\x00 not a report", "http://www.sys.gov.cn/x.txt", "双鸭山市2023年政府信息公开工作年度报告"))

    async def crawl() -> None:
        await asyncio.gather(*(pipeline.process_item(item) for item in items))

    pipeline.open_spider()
    try:
        asyncio.run(crawl())
    finally:
        pipeline.close_spider()
    with Session(sqlite_engine) as session:
        reports = session.exec(select(Report)).all()
        assert {r.source_url for r in reports} == {item.url for item in items[:3]}
        assert len(session.exec(select(Document)).all()) == 4
    assert pipeline.outcome.counts["reports"] == 3 and pipeline.outcome.counts["parse_failed"] == 1
    pipeline.context.close()
