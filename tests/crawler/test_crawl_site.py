"""`nianbao crawl` end to end against a small loopback portal: discovery, pagination, reports, faults."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db.engine import init_db, make_engine

from db.models import CrawlRun, CrawlTarget, Fetch, Report
from tests.crawler.helpers import import_csv, run_crawl
from tests.crawler.site import Site, serve

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
LIST = """<html><body><ul>{items}</ul><script>var currentPage = {page};var countPage = 2;
createPageHTML(countPage, currentPage, "index", "html");</script></body></html>"""


def _item(href: str, title: str, on: str = "2024-01-20") -> str:
    return f'<li><a href="{href}" title="{title}">{title}</a><span>{on}</span></li>'


def _detail(title: str, body: str, pubdate: str = "") -> str:
    meta = f'<meta name="PubDate" content="{pubdate}">' if pubdate else ""
    return f"<html><head>{meta}<title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"


def build_site(site: Site) -> None:
    seed = (SEEDS / "000_a15f4547cccf094c.txt").read_bytes()  # 双鸭山市2023年
    office = (SEEDS / "002_552a8d10fa63c5da.txt").read_bytes()  # 石嘴山市人民政府办公室 2023
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.add("/", '<a href="/xxgk/">政府信息公开</a><a href="/news/">新闻动态</a>')
    site.add("/xxgk/", '<a href="/xxgk/ndbg/index.html">政府信息公开年报</a><a href="/xxgk/czzj/">财政资金</a>')
    first = [
        _item("./a1.html", "双鸭山市2023年政府信息公开工作年度报告"),
        _item("./n1.html", "双鸭山市2023年度工作总结"),
        _item("./dead.html", "双鸭山市2019年政府信息公开工作年度报告"),
        _item("./broken.html", "双鸭山市2018年政府信息公开工作年度报告"),
        _item("./slow.html", "双鸭山市2017年政府信息公开工作年度报告"),
    ]
    site.add("/xxgk/ndbg/index.html", LIST.format(items="".join(first), page=0))
    second = [
        _item("/files/office2023.txt", "石嘴山市人民政府办公室2023年政府信息公开工作年度报告"),
        _item("/private/r.html", "双鸭山市2016年政府信息公开工作年度报告"),
        _item("/files/big.pdf", "双鸭山市2015年政府信息公开工作年度报告"),
    ]
    site.add("/xxgk/ndbg/index_1.html", LIST.format(items="".join(second), page=1))
    site.add("/xxgk/ndbg/a1.html", _detail("双鸭山市2023年政府信息公开工作年度报告",
                                           '<a href="/files/sys2023.txt">附件：2023年年报.txt</a>', "2024-01-19 10:00"))
    site.add("/xxgk/ndbg/n1.html", _detail("双鸭山市2023年度工作总结", "<p>一年来……</p>"))
    site.add("/xxgk/ndbg/broken.html", "服务器错误", status=500)
    site.add("/xxgk/ndbg/slow.html", _detail("x", "x"), delay=4)
    site.add("/private/r.html", _detail("x", "x"))
    site.add("/files/sys2023.txt", seed, content_type="text/plain; charset=utf-8")
    site.add("/files/office2023.txt", office, content_type="text/plain; charset=utf-8")
    site.add("/files/big.pdf", b"%PDF-1.4\n" + b"0" * 300_000, content_type="application/pdf")


OPTIONS = ("-s", "DOWNLOAD_TIMEOUT=1.5", "-s", "RETRY_TIMES=1", "-s", "DOWNLOAD_MAXSIZE=200000", "--no-browser")


@dataclass
class Crawled:
    site: Site
    summary: str
    engine: Engine
    url: str
    data: Path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    """One crawl of the site, shared by the tests of this module (the recrawl test runs last)."""
    root = tmp_path_factory.mktemp("crawl-site")
    url = f"sqlite:///{root / 'nianbao.db'}"
    engine = make_engine(url)
    init_db(engine)
    with serve(Site()) as site:
        build_site(site)
        import_csv(engine, [
            {"id": "230500-gov", "name": "双鸭山市人民政府", "aliases": "双鸭山市政府;双鸭山市", "kind": "government",
             "level": "city", "homepage": site.url("/")},
        ])
        done = run_crawl(url, root / "data", *OPTIONS)
        yield Crawled(site, done.stdout, engine, url, root / "data")
    engine.dispose()


def _reports(engine) -> list[Report]:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return list(session.exec(select(Report).order_by(Report.source_url)))


def _errors(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return {f.url.rsplit("/", 1)[-1]: f.error for f in session.exec(select(Fetch)) if f.error}


def test_reports_found_attributed_and_dated(crawled: Crawled) -> None:
    site, summary = crawled.site, crawled.summary
    reports = _reports(crawled.engine)
    assert [(r.org_id, r.year, r.source_url.rsplit("/", 1)[-1]) for r in reports] == [
        (None, 2023, "office2023.txt"), ("230500-gov", 2023, "sys2023.txt")]
    office, own = reports
    assert office.claimed_org == "石嘴山市人民政府办公室"  # not in the registry: kept and listed
    assert (str(own.published_on), own.published_source) == ("2024-01-19", "page")
    assert own.page_url == site.url("/xxgk/ndbg/a1.html")
    assert site.hits["/xxgk/ndbg/n1.html"] == 0  # noise is not even fetched
    assert "石嘴山市人民政府办公室" in summary and "名录中没有的机构" in summary


def test_every_fault_is_recorded_against_the_portal(crawled: Crawled) -> None:
    site, sqlite_engine = crawled.site, crawled.engine
    errors = _errors(sqlite_engine)
    assert errors["dead.html"].startswith("HTTP 404")
    assert errors["broken.html"].startswith("HTTP 500")
    assert errors["slow.html"].startswith("连接超时")
    assert errors["big.pdf"].startswith("响应超过大小上限")
    assert errors["r.html"] == "robots.txt 禁止抓取"
    assert site.hits["/private/r.html"] == 0
    assert site.hits["/xxgk/ndbg/broken.html"] == 2  # retried once, after a backoff
    with Session(sqlite_engine) as session:
        attempts = sorted(f.fetched_at for f in session.exec(select(Fetch)) if f.url.endswith("broken.html"))
    assert (attempts[1] - attempts[0]).total_seconds() >= 0.2
    with Session(sqlite_engine) as session:
        orgs = {f.org_id for f in session.exec(select(Fetch))}
        target = session.get(CrawlTarget, "230500-gov")
        run = session.exec(select(CrawlRun)).one()
    assert orgs == {"230500-gov"}
    assert target is not None and target.list_url == site.url("/xxgk/ndbg/index.html")
    assert target.last_error and target.consecutive_failures == 1
    assert run.status == "finished" and run.stats["reports"] == 2


def test_recrawl_skips_known_pages_and_stores_nothing_twice(crawled: Crawled) -> None:
    site = crawled.site
    site.hits.clear()
    done = run_crawl(crawled.url, crawled.data, *OPTIONS)
    assert "新增 0 份" in done.stdout
    assert len(_reports(crawled.engine)) == 2
    for known in ("/", "/xxgk/", "/xxgk/ndbg/a1.html", "/files/sys2023.txt", "/files/office2023.txt"):
        assert site.hits[known] == 0, known
    assert site.hits["/xxgk/ndbg/index.html"] == 1
