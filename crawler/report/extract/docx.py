"""DOCX (python-docx): body paragraphs and tables in order; gridSpan/vMerge become one Cell with spans."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from crawler.report.document import Block, Cell, Document, Paragraph, Table
from crawler.report.extract.textutil import clean, join_lines
from nianbao.errors import UnreadableDocument

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _TBL, _TR, _TC, _SDT = (f"{{{W}}}{t}" for t in ("p", "tbl", "tr", "tc", "sdt"))
_T, _TAB, _BR, _CR, _DEL = (f"{{{W}}}{t}" for t in ("t", "tab", "br", "cr", "del"))


def _val(element: etree._Element | None, default: str | None = None) -> str | None:
    return default if element is None else element.get(f"{{{W}}}val", default)


def paragraph_text(p: etree._Element) -> str:
    """Visible text of a w:p: runs, tabs as spaces; deleted revisions and field codes excluded."""
    parts: list[str] = []
    for node in p.iter(_T, _TAB, _BR, _CR):
        if any(a.tag == _DEL for a in node.iterancestors()):
            continue
        parts.append(node.text or "" if node.tag == _T else " ")
    return "".join(parts)


@dataclass(slots=True)
class _Open:
    """A cell in the grid being built; vMerge continuations add to its rowspan."""

    cell: Cell
    column: int


def _tc_props(tc: etree._Element) -> tuple[int, str | None]:
    pr = tc.find(f"{{{W}}}tcPr")
    span = int(_val(pr.find(f"{{{W}}}gridSpan") if pr is not None else None, "1") or 1)
    vmerge = pr.find(f"{{{W}}}vMerge") if pr is not None else None
    return max(span, 1), (None if vmerge is None else _val(vmerge, "continue"))


def _cell_text(tc: etree._Element) -> str:
    return join_lines([paragraph_text(p) for p in tc.iter(_P)])


def _table(tbl: etree._Element) -> Table:
    rows: list[list[Cell]] = []
    above: dict[int, Cell] = {}  # grid column -> the cell whose vertical merge may continue there
    for tr in tbl.iterchildren(_TR):
        row: list[Cell] = []
        pr = tr.find(f"{{{W}}}trPr")
        column = int(_val(pr.find(f"{{{W}}}gridBefore") if pr is not None else None, "0") or 0)
        for tc in tr.iterchildren(_TC):
            span, vmerge = _tc_props(tc)
            if vmerge == "continue" and column in above:
                above[column].rowspan += 1
            else:
                cell = Cell(_cell_text(tc), 1, span)
                row.append(cell)
                above[column] = cell
            column += span
        rows.append(row)
    return Table(rows)


def _blocks(body: etree._Element) -> list[Block]:
    blocks: list[Block] = []
    for child in body.iterchildren():
        if child.tag == _P:
            text = clean(paragraph_text(child))
            if text:
                blocks.append(Paragraph(text))
        elif child.tag == _TBL:
            blocks.append(_table(child))
        elif child.tag == _SDT:
            content = child.find(f"{{{W}}}sdtContent")
            if content is not None:
                blocks.extend(_blocks(content))
    return blocks


def extract(data: bytes) -> Document:
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError) as exc:
        raise UnreadableDocument(f"Word（DOCX）文件已损坏或不完整，无法读取：{exc}") from exc
    props = document.core_properties
    meta = {k: v for k, v in (("title", props.title), ("author", props.author)) if v}
    if props.created:
        meta["created"] = props.created.isoformat()
    return Document(blocks=_blocks(document.element.body), media_type=docx_media_type(), meta=meta)


def docx_media_type() -> str:
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
