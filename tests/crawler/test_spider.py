"""The spider's callbacks and the middlewares on hand-built responses, over a real SQLite registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.items import ReportItem
from crawler.middlewares import DOMAIN, KIND, ORG, ScopeMiddleware
from crawler.netpolicy import PublicOnlyResolver
from crawler.spiders.portals import PortalSpider
from tests.crawler.helpers import import_csv

HOME = "http://www.sys.gov.cn/"


@pytest.fixture
def spider(sqlite_engine, sqlite_url: str, tmp_path: Path) -> Iterator[PortalSpider]:  # type: ignore[no-untyped-def]
    import_csv(sqlite_engine, [
        {"id": "230500-gov", "name": "双鸭山市人民政府", "kind": "government", "homepage": HOME},
        {"id": "230500-czj", "name": "双鸭山市财政局", "kind": "department", "parent_id": "230500-gov",
         "homepage": HOME, "report_list_url": HOME + "zwgk/bmnb/index.html"},
    ])
    crawler = get_crawler(PortalSpider, {"NIANBAO_DB_URL": sqlite_url, "NIANBAO_DATA_DIR": str(tmp_path)})
    built = PortalSpider.from_crawler(crawler)
    yield built
    built.context.close()


def _response(spider: PortalSpider, url: str, html: str, kind: str, **meta: object) -> HtmlResponse:
    request = Request(url, meta={ORG: "230500-gov", DOMAIN: "sys.gov.cn", KIND: kind, **meta})
    spider.ledger.opened("230500-gov")
    return HtmlResponse(url, body=html.encode(), encoding="utf-8", request=request)


def test_one_portal_for_the_bodies_sharing_a_home_page(spider: PortalSpider) -> None:
    (portal,) = spider.portals.values()
    assert portal.org_id == "230500-gov" and set(portal.org_ids) == {"230500-gov", "230500-czj"}
    assert portal.list_urls == (HOME + "zwgk/bmnb/index.html",) and portal.discover
    assert portal.list_orgs == {HOME + "zwgk/bmnb/index.html": "230500-czj"}


def test_home_page_leads_to_the_columns(spider: PortalSpider) -> None:
    html = ('<a href="/zwgk/index.html">政府信息公开</a><a href="http://other.gov.cn/ndbg/">政府信息公开年报</a>'
            '<a href="/zwgk/ndbg/index.html">政府信息公开年报</a><a href="/zwgk/bmnb/index.html">部门年报</a>')
    out = list(spider.parse_portal(_response(spider, HOME, html, "home", nb_depth=0)))
    assert [r.url for r in out] == [HOME + "zwgk/ndbg/index.html", HOME + "zwgk/bmnb/index.html"]
    assert all(r.meta[KIND] == "list" and r.meta["nb_column"] for r in out)
    assert out[1].meta["nb_list_org"] == "230500-czj"


def test_list_page_yields_reports_and_the_next_page(spider: PortalSpider) -> None:
    html = ('<ul><li><a href="./202401/t1.html">2023年双鸭山市财政局政府信息公开工作年度报告</a><span>2024-01-20</span></li>'
            '<li><a href="/u/2023.pdf">双鸭山市人民政府2023年政府信息公开年报</a></li>'
            '<li><a href="./202401/t2.html">双鸭山市财政局2023年度部门决算</a></li></ul>'
            '<script>createPageHTML(2, 0, "index", "html");</script>')
    url = HOME + "zwgk/bmnb/index.html"
    out = list(spider.parse_list(_response(spider, url, html, "list", nb_column=True, nb_list_org="230500-czj")))
    assert [(r.url.rsplit("/", 1)[-1], r.meta[KIND]) for r in out] == [
        ("t1.html", "detail"), ("2023.pdf", "document"), ("index_1.html", "list")]
    assert out[0].meta["nb_published"] == "2024-01-20" and out[0].meta["nb_list_org"] == "230500-czj"


def test_script_only_list_goes_to_the_browser(spider: PortalSpider) -> None:
    html = '<ul id="infoList"></ul><script src="/common/js/list.js"></script><script>loadList(1, 1, 4);</script>'
    (retry,) = spider.parse_list(_response(spider, HOME + "col/col1/index.html", html, "list", nb_column=True))
    assert retry.meta["playwright"] and retry.dont_filter and retry.callback == spider.parse_rendered


def test_detail_page_with_inline_report_is_an_item(spider: PortalSpider) -> None:
    html = ('<head><meta name="PubDate" content="2024-01-19 10:00"></head><body><h1>双鸭山市人民政府2023年政府信息公开工作年度报告</h1>'
            '<p>一、总体情况</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p></body>')
    (item,) = spider.parse_detail(_response(spider, HOME + "zwgk/ndbg/t1.html", html, "detail", nb_page=HOME))
    assert isinstance(item, ReportItem)
    assert (item.default_org, str(item.published_on), item.page_url) == ("230500-gov", "2024-01-19", item.url)


def test_detail_page_with_attachment_requests_it(spider: PortalSpider) -> None:
    html = '<h1>双鸭山市人民政府2023年政府信息公开工作年度报告</h1><span>发布日期：2024-01-19</span><a href="f/a.docx">附件1</a>'
    (request,) = spider.parse_detail(_response(spider, HOME + "zwgk/ndbg/t1.html", html, "detail"))
    assert request.url == HOME + "zwgk/ndbg/f/a.docx" and request.meta["nb_published"] == "2024-01-19"
    assert request.meta["nb_title"] == "双鸭山市人民政府2023年政府信息公开工作年度报告"


def test_scope_middleware_keeps_pages_on_the_portal_and_refuses_private_hosts() -> None:
    public = ScopeMiddleware(allow_private=False, org_of_host={})
    with pytest.raises(IgnoreRequest, match="超出门户域名"):
        public.process_request(Request("http://www.other.gov.cn/a.html", meta={KIND: "list", DOMAIN: "sys.gov.cn"}))
    public.process_request(Request("http://cdn.example.com/a.pdf", meta={KIND: "document", DOMAIN: "sys.gov.cn"}))
    public.process_request(Request("http://xxgk.sys.gov.cn/a.html", meta={KIND: "detail", DOMAIN: "sys.gov.cn"}))
    for url in ("http://127.0.0.1/a.pdf", "http://10.1.2.3/", "http://169.254.169.254/", "http://localhost/"):
        with pytest.raises(IgnoreRequest, match="非公网地址"):
            public.process_request(Request(url, meta={KIND: "document"}))
    ScopeMiddleware(allow_private=True, org_of_host={}).process_request(Request("http://127.0.0.1/", meta={}))


def test_resolver_refuses_names_of_private_addresses() -> None:
    with pytest.raises(Exception, match="非公网地址"):
        PublicOnlyResolver._refuse_private("10.0.0.8", "intranet.gov.cn")
    assert PublicOnlyResolver._refuse_private("202.96.0.1", "www.gov.cn") == "202.96.0.1"
