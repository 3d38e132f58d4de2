"""Each portal style serves what real CMSs serve, fetched over the real loopback server."""

from __future__ import annotations

import json
import re

import pytest

from portalfarm import Farm, FarmSpec
from portalfarm.paths import column_dir
from tests.farm.conftest import fetch

LINK = re.compile(r'href="([^"]+)"')


def _report_links(html: str) -> list[str]:
    return [h for h in LINK.findall(html) if re.search(r"(t\d{8}_\d+\.html|\d+\.shtml|detail_\d+|art_\d+_\d+)", h)]


def test_static_pager_is_written_by_script_and_pages_are_index_n(farm: Farm, spec: FarmSpec) -> None:
    portal = spec.with_style(pager="static", charset="utf-8")
    column = portal.column("ndbg")
    first = fetch(farm.url(portal.id, column.path)).body.decode("utf-8")
    pages = int(re.search(r"var countPage = (\d+)", first).group(1))  # type: ignore[union-attr]
    assert pages >= 2
    assert 'createPageHTML(countPage, currentPage, "index", "html")' in first
    assert "index_1.html" not in first  # the pager exists only once the script runs
    second = fetch(farm.url(portal.id, column_dir(column) + "index_1.html"))
    assert second.status == 200 and "var currentPage = 1;" in second.body.decode("utf-8")
    assert fetch(farm.url(portal.id, column_dir(column) + f"index_{pages}.html")).status == 404
    assert "function createPageHTML" in fetch(farm.url(portal.id, "/common/js/page.js")).body.decode()


def test_query_pager_links_page_n(farm: Farm, spec: FarmSpec) -> None:
    portal = spec.with_style(pager="query", charset="utf-8")
    column = portal.column("ndbg")
    first = fetch(farm.url(portal.id, column.path)).body.decode("utf-8")
    assert 'href="?page=2"' in first
    second = fetch(farm.url(portal.id, column.path + "?page=2")).body.decode("utf-8")
    assert set(_report_links(first)).isdisjoint(_report_links(second))
    assert _report_links(second)


def test_gbk_with_charset_only_in_meta(farm: Farm, spec: FarmSpec) -> None:
    portal = spec.with_style(charset="gbk-meta")
    page = fetch(farm.url(portal.id, "/index.html"))
    assert "charset" not in page.headers["Content-Type"]
    assert b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' in page.body
    assert portal.name in page.body.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("gb2312")  # declared gb2312, really GBK: as on real portals


def test_gbk_without_any_charset_decodes_only_as_gbk(farm: Farm, spec: FarmSpec) -> None:
    portal = spec.with_style(charset="gbk-none")
    report = portal.reports[0]
    page = fetch(farm.url(portal.id, report.detail_path))
    assert page.headers["Content-Type"] == "text/html"
    assert b"charset" not in page.body.lower()
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")
    assert report.title in page.body.decode("gbk")


@pytest.mark.parametrize("pager", ["js_json", "js_xml"])
def test_js_list_has_no_links_in_raw_html_but_its_endpoint_does(farm: Farm, spec: FarmSpec, pager: str) -> None:
    portal = spec.with_style(pager=pager)
    column = portal.column("ndbg")
    shell = fetch(farm.url(portal.id, column.path)).body.decode("utf-8")
    assert _report_links(shell) == []
    assert not any(r.title in shell for r in portal.reports)
    if pager == "js_json":
        data = json.loads(fetch(farm.url(portal.id, f"/api/column/{column.colid}/list.json?page=1&size=50")).body)
        urls = [item["url"] for item in data["data"]]
    else:
        xml = fetch(farm.url(portal.id, f"/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=50&perpage=2"
                                        f"&columnid={column.colid}")).body.decode("utf-8")
        assert "<totalrecord>" in xml
        urls = _report_links(xml)
    listed = {r.listed_path or r.detail_path for r in portal.reports if r.column == "ndbg"}
    assert listed <= set(urls)


def test_nav_only_column_is_reached_through_zwgk(farm: Farm, spec: FarmSpec) -> None:
    portal = spec.with_style(nav_only=True)
    column = portal.column("ndbg")
    home = fetch(farm.url(portal.id, "/")).body.decode("utf-8")
    assert column.path not in home and 'href="/zwgk/index.html">政府信息公开<' in home
    zwgk = fetch(farm.url(portal.id, "/zwgk/index.html")).body.decode("utf-8")
    assert f'href="{column.path}">年度报告<' in zwgk
    assert all(spec.orgs[oid].list_known is False for oid in portal.org_ids)


def test_consolidated_column_titles_name_each_body(farm: Farm, spec: FarmSpec) -> None:
    portal = spec.with_style(consolidated=True, pager="static", charset="utf-8")
    column = portal.column("bmnb")
    owners = {r.org_id for r in portal.reports if r.column == "bmnb"}
    assert len(owners) >= 3
    for report in (r for r in portal.reports if r.column == "bmnb"):
        assert spec.orgs[report.org_id].name in report.title
    page = fetch(farm.url(portal.id, column.path)).body.decode("utf-8")
    assert "部门年报" in page


def test_detail_pages_show_the_publication_date(farm: Farm, spec: FarmSpec) -> None:
    for style, marker in (("fbrq", "发布日期："), ("fbsj", "发布时间："), ("meta", '<meta name="PubDate"')):
        portal = spec.with_style(date_style=style)
        report = portal.reports[-1]
        body = fetch(farm.url(portal.id, report.detail_path)).body
        text = body.decode("utf-8" if portal.charset == "utf-8" else "gbk")
        assert marker in text
        day = report.published_on
        assert day.isoformat() in text or f"{day.year}年{day.month:02d}月{day.day:02d}日" in text


def test_attachment_behind_detail_page(farm: Farm, spec: FarmSpec) -> None:
    portal = spec.portal_of("320800-gov")  # 淮安: the real PDF as a jcms download
    report = next(r for r in portal.reports if r.source == "real:huaian-2024")
    page = fetch(farm.url(portal.id, report.detail_path)).body.decode("utf-8")
    assert report.attachment_path is not None and report.attachment_path.replace("&", "&amp;") in page
    pdf = fetch(farm.url(portal.id, report.attachment_path))
    assert pdf.body.startswith(b"%PDF") and pdf.headers["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in pdf.headers["Content-Disposition"]


def test_inline_report_carries_the_seed_text(farm: Farm, spec: FarmSpec) -> None:
    portal = spec.portal_of("230500-gov")
    report = next(r for r in portal.reports if r.source.startswith("seed:"))
    body = fetch(farm.url(portal.id, report.detail_path)).body.decode("utf-8")
    assert "双鸭山市2023年政府信息公开工作" in body and "<table" in body and "本年新收政府信息公开申请数量" in body


def test_query_lists_cut_long_titles_but_keep_them_in_the_title_attribute(farm: Farm, spec: FarmSpec) -> None:
    portal = spec.with_style(pager="query", charset="utf-8")
    limit = portal.title_limit or 0
    column = portal.column("bmnb")
    page = fetch(farm.url(portal.id, column.path)).body.decode("utf-8")
    first = farm.app.site(portal.id).entries(column)[: column.page_size]
    long_titles = [e.title for e in first if len(e.title) > limit]
    assert limit and long_titles
    for title in long_titles:
        assert f'title="{title}">{title[: limit - 1]}…</a>' in page
