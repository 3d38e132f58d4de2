"""Next-page detection for every pager style the portals use."""

from __future__ import annotations

from parsel import Selector

from crawler.discovery import links
from crawler.pagination import next_page

TRS = """<ul><li><a href="./202401/t1.html">x</a></li></ul><div class="page"><script>
var currentPage = {current};//所在页从0开始
var countPage = 3//共多少页
createPageHTML(countPage, currentPage, "index", "html");</script></div>"""


def _next(html: str, url: str) -> str | None:
    selector = Selector(text=html)
    return next_page(selector, links(selector, url), url)


def test_script_pager_with_variables() -> None:
    assert _next(TRS.format(current=0), "http://a.gov.cn/zwgk/ndbg/index.html") == "http://a.gov.cn/zwgk/ndbg/index_1.html"
    assert _next(TRS.format(current=1), "http://a.gov.cn/zwgk/ndbg/index_1.html") == "http://a.gov.cn/zwgk/ndbg/index_2.html"
    assert _next(TRS.format(current=2), "http://a.gov.cn/zwgk/ndbg/index_2.html") is None


def test_script_pager_with_literals() -> None:
    html = '<script>createPageHTML(2, 0, "index", "shtml");</script>'
    assert _next(html, "http://a.gov.cn/col/") == "http://a.gov.cn/col/index_1.shtml"


def test_query_pager_next_link() -> None:
    html = '<a href="?page=1">首页</a><span>1/3</span><a href="?page=2">下一页</a><a href="?page=3">尾页</a>'
    assert _next(html, "http://a.gov.cn/zwgk/ndbg/") == "http://a.gov.cn/zwgk/ndbg/?page=2"
    last = '<a href="?page=1">首页</a><a href="?page=2">上一页</a><span>3/3</span><a href="?page=3">尾页</a>'
    assert _next(last, "http://a.gov.cn/zwgk/ndbg/?page=3") is None


def test_numbered_links_without_next_text() -> None:
    html = '<a href="list_1.html">1</a><a href="list_2.html">2</a><a href="list_3.html">3</a>'
    assert _next(html, "http://a.gov.cn/col/list_1.html") == "http://a.gov.cn/col/list_2.html"


def test_no_pager() -> None:
    assert _next("<ul><li><a href='a.html'>x</a></li></ul>", "http://a.gov.cn/col/index.html") is None
