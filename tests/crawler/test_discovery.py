"""Links, the annual-report column, report entries, attachments, browser need, jcms lists."""

from __future__ import annotations

from datetime import date

from parsel import Selector

from crawler.discovery import attachments, column_candidates, links, needs_browser, report_links
from crawler.scripted import dataproxy_records, dataproxy_url, jcms_config, next_dataproxy

BASE = "http://www.a.gov.cn/zwgk/index.html"


def _links(html: str) -> list:
    return links(Selector(text=html), BASE)


def test_links_carry_text_title_and_the_row_date() -> None:
    found = _links('<li><a href="x.html" title="某县2023年政府信息公开工作年度报告">某县2023…</a>'
                   '<span class="date">2024-01-20</span></li><a href="javascript:;">政务服务</a><a href="#top">顶部</a>')
    assert len(found) == 1
    assert found[0].url == "http://www.a.gov.cn/zwgk/x.html"
    assert "年度报告" in found[0].text and found[0].listed_on == date(2024, 1, 20)


def test_columns_rank_above_open_government_pages() -> None:
    columns, open_gov = column_candidates(_links(
        '<a href="/zwgk/">政府信息公开</a><a href="/zwgk/ndbg/">政府信息公开年报</a><a href="/zwgk/bmnb/">部门年报</a>'
        '<a href="/zwgk/czzj/">财政资金</a><a href="/a.html">某县2023年政府信息公开工作年度报告</a>'))
    assert [c.url.rsplit("/", 2)[-2] for c in columns] == ["ndbg", "bmnb"]
    assert [l.text for l in open_gov] == ["政府信息公开"]


def test_report_links_include_attachments_named_by_file() -> None:
    found = report_links(_links('<a href="/f/2023年政府信息公开工作年度报告.pdf">下载</a><a href="/f/budget.pdf">2023年部门预算</a>'),
                         in_report_column=False)
    assert len(found) == 1 and found[0].url.endswith(".pdf")


def test_attachments_by_extension() -> None:
    found = attachments(_links('<a href="/u/1.docx">附件</a><a href="/u/2.WPS">附件2</a><a href="/x.html">页面</a>'))
    assert [a.url.rsplit("/", 1)[-1] for a in found] == ["1.docx", "2.WPS"]


def test_script_written_list_needs_a_browser() -> None:
    shell = ('<a href="/zwgk/">政府信息公开</a><ul id="infoList"></ul><script src="/common/js/list.js"></script>'
             '<script>loadList(65729, 1, 2);</script>')
    assert needs_browser(Selector(text=shell), _links(shell))
    static = '<ul><li><a href="a.html">2023年政府信息公开工作年度报告</a></li></ul><script src="/js/page.js"></script>'
    assert not needs_browser(Selector(text=static), _links(static))


def test_jcms_dataproxy_is_read_directly() -> None:
    page = ('<div id="div97824"></div><script>var jpage = {columnid: 97824, unitid: 97831, perpage: 2};</script>'
            '<script src="/common/js/jpage.js"></script>')
    config = jcms_config(Selector(text=page))
    assert config == {"columnid": 97824, "unitid": 97831, "perpage": 2}
    url = dataproxy_url("http://www.a.gov.cn/col/col97824/index.html", config)
    assert url.startswith("http://www.a.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=300")
    xml = ('<datastore><recordset><record><![CDATA[<li><a href="/art/1.html">2023年政府信息公开工作年度报告</a></li>]]>'
           '</record></recordset><totalrecord>301</totalrecord></datastore>')
    selector, total = dataproxy_records(xml)
    assert total == 301 and selector.xpath("//a/@href").get() == "/art/1.html"
    assert "startrecord=301" in (next_dataproxy(url, total) or "")
    assert next_dataproxy(url, 300) is None


def test_cut_titles_are_read_from_the_title_attribute() -> None:
    (link,) = _links('<li><a href="a.html" title="双鸭山市文化广电和旅游局2024年政府信息公开工作年度报告">'
                     '双鸭山市文化广电和旅游局2024年政府信…</a></li>')
    assert link.text == "双鸭山市文化广电和旅游局2024年政府信息公开工作年度报告"
