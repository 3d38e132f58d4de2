"""Document -> bytes in every format portals publish: txt, html (UTF-8, GBK), docx, pdf, doc, xlsx.

PDF and DOC go through LibreOffice from the DOCX rendering, so their tables have real rulings and CJK fonts.
"""

from __future__ import annotations

import html as html_escape
import io

import docx
import openpyxl
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.table import _Cell
from docx.shared import Pt
from openpyxl.styles import Alignment

from crawler.report.document import Document, Paragraph, Table
from crawler.report.extract.grid import Placed, place
from crawler.report.extract.lo import shared_office

FORMATS = ("txt", "html", "html-gbk", "html-gbk-nometa", "docx", "pdf", "doc", "xlsx")
# Also rendered, not offered to portals: "pdf-noborders" (tables without rulings; the extractor falls back on
# text positions, which narrow wrapped columns defeat) and "xls" (Excel 97, through LibreOffice).
CJK_FONT = "Noto Serif CJK SC"


def render(document: Document, fmt: str) -> bytes:
    """`document` rendered as `fmt` (one of FORMATS)."""
    if fmt == "txt":
        return (document.text + "\n").encode("utf-8")
    if fmt == "html":
        return render_html(document, charset="utf-8").encode("utf-8")
    if fmt == "html-gbk":
        return render_html(document, charset="gbk").encode("gbk", errors="xmlcharrefreplace")
    if fmt == "html-gbk-nometa":
        return render_html(document, charset=None).encode("gbk", errors="xmlcharrefreplace")
    if fmt == "docx":
        return render_docx(document)
    if fmt in ("pdf", "doc"):
        return shared_office().convert(render_docx(document), src_ext="docx", dst_ext=fmt)
    if fmt == "pdf-noborders":  # tables drawn without rulings: only text positions tell the cells
        return shared_office().convert(render_docx(document, borders=False), src_ext="docx", dst_ext="pdf")
    if fmt == "xlsx":
        return render_xlsx(document)
    if fmt == "xls":
        return shared_office().convert(render_xlsx(document), src_ext="xlsx", dst_ext="xls")
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def _html_table(table: Table) -> str:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row:
            spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
            cells.append(f"<td{spans}>{html_escape.escape(cell.text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" cellspacing="0">\n' + "\n".join(rows) + "\n</table>"


def render_html(document: Document, *, charset: str | None) -> str:
    """A portal article page: chrome (script, nav) around the report, meta tags from document.meta."""
    title = html_escape.escape(document.meta.get("title", ""))
    metas = [f'<meta name="{html_escape.escape(k)}" content="{html_escape.escape(v)}">'
             for k, v in document.meta.items() if k != "title"]
    if charset:
        metas.insert(0, f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">')
    body = [_html_table(b) if isinstance(b, Table) else f"<p>{html_escape.escape(b.text)}</p>"
            for b in document.blocks]
    return ("<!DOCTYPE html>\n<html><head>" + "".join(metas) + f"<title>{title}</title>"
            "<script>var nav = '<p>首页</p>';</script></head>\n<body>\n"
            '<div class="nav"><a href="/">首页</a> &gt; <a href="/gk">政府信息公开</a></div>\n'
            '<div class="article">\n' + "\n".join(body) + "\n</div>\n</body></html>\n")


def _docx_fonts(document: docx.document.Document) -> None:
    style = document.styles["Normal"]
    style.font.size = Pt(10.5)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), CJK_FONT)


def _slots(table: Table) -> tuple[dict[tuple[int, int], tuple[Placed, bool]], int, int]:
    """Grid position -> (the cell covering it, whether that cell starts there), for vMerge continuations."""
    placed, height, width = place(table)
    slots: dict[tuple[int, int], tuple[Placed, bool]] = {}
    for item in placed:
        for dr in range(item.cell.rowspan):
            slots[(item.row + dr, item.column)] = (item, dr == 0)
    return slots, height, width


def _docx_table(out: docx.document.Document, table: Table, *, borders: bool = True) -> None:
    """A Word table with real merges: gridSpan for colspan, vMerge restart/continue for rowspan."""
    slots, height, width = _slots(table)
    if not slots:
        return
    grid = out.add_table(rows=height, cols=max(width, 1))
    if borders:
        grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    column_width = grid.columns[0].width
    for r, tr in enumerate(grid._tbl.tr_lst):
        tcs = list(tr.tc_lst)
        column = 0
        while column < width:
            tc = tcs[column]
            slot = slots.get((r, column))
            if slot is None:
                column += 1
                continue
            item, starts = slot
            span = min(item.cell.colspan, width - column)
            for extra in tcs[column + 1:column + span]:
                tr.remove(extra)
            if span > 1:
                tc.grid_span = span
                tc.width = column_width * span
            if item.cell.rowspan > 1:
                tc.vMerge = "restart" if starts else "continue"
            if starts:
                _Cell(tc, grid).text = item.cell.text
            column += span


def render_docx(document: Document, *, borders: bool = True) -> bytes:
    out = docx.Document()
    _docx_fonts(out)
    if "title" in document.meta:
        out.core_properties.title = document.meta["title"]
    previous_table = False
    for block in document.blocks:
        if isinstance(block, Paragraph):
            # 首行缩进两字符, as the reports are typeset: it is also what tells paragraphs apart in a PDF.
            out.add_paragraph(block.text).paragraph_format.first_line_indent = Pt(21)
            previous_table = False
            continue
        if previous_table:
            # Word and LibreOffice join tables that touch; keep them apart, and keep the gap with the next
            # table so a page break never hides it (the reader would take the two for one table).
            out.add_paragraph("").paragraph_format.keep_with_next = True
        _docx_table(out, block, borders=borders)
        previous_table = True
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def render_xlsx(document: Document) -> bytes:
    """One sheet: paragraphs as one-cell rows, tables with merged cells; a blank row after each block."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "年度报告"
    row = 1
    for block in document.blocks:
        if isinstance(block, Paragraph):
            sheet.cell(row=row, column=1, value=block.text)
            row += 2
            continue
        placed, height, _ = place(block)
        for item in placed:
            cell = sheet.cell(row=row + item.row, column=1 + item.column, value=item.cell.text or None)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if item.cell.rowspan > 1 or item.cell.colspan > 1:
                sheet.merge_cells(start_row=row + item.row, start_column=1 + item.column,
                                  end_row=row + item.row + item.cell.rowspan - 1,
                                  end_column=item.column + item.cell.colspan)
        row += height + 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
