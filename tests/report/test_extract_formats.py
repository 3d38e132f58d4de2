"""Sniffing and the HTML, DOCX and spreadsheet extractors, at the level of the document model."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from crawler.report.document import Cell, Document, Paragraph, Table
from crawler.report.extract import extract, formats, sniff
from nianbao.errors import UnreadableDocument
from portalfarm.render import render
from tests.report.formats_support import pdf_with_text, shape

MERGED = Document(blocks=[
    Paragraph("三、收到和处理政府信息公开申请情况"),
    Table([
        [Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 2, 2), Cell("申请人情况", 1, 3)],
        [Cell("自然人"), Cell("法人或其他组织"), Cell("总计")],
        [Cell("三、本年度办理结果", 3, 1), Cell("（一）予以公开"), Cell("1"), Cell("2"), Cell("3")],
        [Cell("（二）部分公开"), Cell("0"), Cell("0"), Cell("0")],
        [Cell("（三）不予公开"), Cell("/"), Cell(""), Cell("—")],
    ]),
    Paragraph("四、政府信息公开行政复议、行政诉讼情况"),
])

GBK_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某县2023年政府信息公开工作年度报告</title><meta name="PubDate" content="2024-01-20 09:00">
<script>document.write("<p>脚本里的字</p>")</script></head>
<body><div class="nav-menu"><a href="/">首页</a><a>政务公开</a></div>
<table width="100%"><tr><td><div class="content">
<p>一、总体情况</p><p>本年度，我县……<br>（一）主动公开</p>
<table border="1"><tr><td rowspan="2">信息内容</td><td colspan="2">本年<br>制发件数</td></tr>
<tr><td>规章</td><td>0</td></tr></table>
</div></td></tr></table></body></html>"""


@pytest.mark.parametrize(("data", "name", "media_type", "expected"), [
    (b"%PDF-1.7\n...", "report.doc", "text/html", formats.PDF),
    (b"\xef\xbb\xbf<!DOCTYPE html><html>", None, "application/pdf", formats.HTML),
    (b"  \r\n<meta charset=gbk><p>x</p>", "a.pdf", None, formats.HTML),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), "a.xls", None, formats.DOC),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le"), "a.doc", None, formats.XLS),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), "报告.wps", None, formats.WPS),
    ("一、总体情况\n本年度".encode("gbk"), "a.pdf", "application/pdf", formats.TEXT),
    (bytes(range(256)) * 4, "a.txt", "text/plain", formats.BINARY),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "a.docx", None,
     formats.ENCRYPTED_OFFICE),
])
def test_sniff_trusts_content_over_name_and_media_type(data: bytes, name: str | None, media_type: str | None,
                                                       expected: str) -> None:
    assert sniff(data, name=name, media_type=media_type) == expected


def test_sniff_tells_docx_from_xlsx_by_their_parts() -> None:
    docx_bytes, xlsx_bytes = render(MERGED, "docx"), render(MERGED, "xlsx")
    assert sniff(docx_bytes, name="x.xlsx") == formats.DOCX
    assert sniff(xlsx_bytes, name="x.docx") == formats.XLSX
    assert sniff(docx_bytes[: len(docx_bytes) // 2]) == formats.DOCX  # truncated: the local headers still say so


def test_html_gbk_page_with_charset_only_in_meta() -> None:
    document = extract(GBK_PAGE.encode("gbk"), media_type="text/html")  # no charset in the Content-Type
    assert document.meta["title"] == "某县2023年政府信息公开工作年度报告"
    assert document.meta["PubDate"] == "2024-01-20 09:00"
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert paragraphs == ["一、总体情况", "本年度，我县……", "（一）主动公开"]  # script and nav gone
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert len(tables) == 1  # the layout table is read through, the data table kept
    assert tables[0].rows == [[Cell("信息内容", 2, 1), Cell("本年制发件数", 1, 2)], [Cell("规章"), Cell("0")]]


def test_html_gbk_page_without_any_charset_is_detected() -> None:
    page = GBK_PAGE.replace('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "")
    document = extract(page.encode("gbk"))
    assert document.meta["title"] == "某县2023年政府信息公开工作年度报告"


def test_html_table_caption_is_kept_before_its_table() -> None:
    page = "<html><body><table><caption>第二十条第（一）项</caption><tr><th>信息内容</th></tr></table></body></html>"
    assert extract(page.encode()).blocks == [Paragraph("第二十条第（一）项"), Table([[Cell("信息内容")]])]


def test_xhtml_declaring_gbk_in_its_xml_declaration() -> None:
    page = '<?xml version="1.0" encoding="gbk"?><html><body><p>一、总体情况</p></body></html>'
    assert extract(page.encode("gbk")).blocks == [Paragraph("一、总体情况")]


def test_html_publication_date_printed_on_the_page() -> None:
    page = "<html><body><div>发布日期：2024-01-18</div><p>一、总体情况</p></body></html>"
    assert extract(page.encode("utf-8")).meta["发布日期"] == "2024-01-18"


@pytest.mark.parametrize("fmt", ["html", "html-gbk", "html-gbk-nometa", "docx", "xlsx"])
def test_merged_cells_survive_each_format(fmt: str) -> None:
    back = extract(render(MERGED, fmt), name=f"report.{fmt.split('-')[0]}")
    assert shape(back) == shape(MERGED)


def test_docx_reads_body_in_order_with_real_merges() -> None:
    data = render(MERGED, "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
    assert 'w:gridSpan w:val="3"' in body and 'w:vMerge w:val="restart"' in body  # real Word merges
    document = extract(data)
    assert [type(b).__name__ for b in document.blocks] == ["Paragraph", "Table", "Paragraph"]
    assert document.blocks[1].rows[2][0] == Cell("三、本年度办理结果", 3, 1)


def test_password_protected_office_file_is_a_clear_error() -> None:
    with pytest.raises(UnreadableDocument, match="加密"):
        extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + bytes(512))


def test_truncated_docx_is_a_clear_error() -> None:
    data = render(MERGED, "docx")
    with pytest.raises(UnreadableDocument, match="DOCX"):
        extract(data[: len(data) // 2])


def test_xlsx_merged_ranges_and_numbers() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["信息内容", "本年处理决定数量", None])
    sheet.append(["行政许可", 23068.0, None])
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("B2:C2")
    buffer = io.BytesIO()
    book.save(buffer)
    document = extract(buffer.getvalue(), name="报告.xlsx")
    assert document.blocks == [Table([[Cell("信息内容"), Cell("本年处理决定数量", 1, 2)],
                                      [Cell("行政许可"), Cell("23068", 1, 2)]])]


def test_pdf_metadata_and_text_layer() -> None:
    document = extract(pdf_with_text(["某市2023年政府信息公开工作年度报告", "一、总体情况"]))
    assert [b.text for b in document.blocks] == ["某市2023年政府信息公开工作年度报告", "一、总体情况"]
    assert document.media_type == "application/pdf" and document.pages == 1
