"""DOCX: body paragraphs and tables in order; gridSpan/vMerge become one Cell with spans.

The package is read with zipfile and lxml directly (python-docx, used to render, spends more time loading
styles and numbering than reading the body takes); entities are never resolved.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from lxml import etree

from crawler.report.document import Block, Cell, Document, Paragraph, Table
from crawler.report.extract.textutil import clean, join_lines
from nianbao.errors import UnreadableDocument

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _TBL, _TR, _TC, _SDT = (f"{{{W}}}{t}" for t in ("p", "tbl", "tr", "tc", "sdt"))
_T, _TAB, _BR, _CR, _DEL = (f"{{{W}}}{t}" for t in ("t", "tab", "br", "cr", "del"))
_TCPR, _GRIDSPAN, _VMERGE, _TRPR, _GRIDBEFORE = (f"{{{W}}}{t}" for t in ("tcPr", "gridSpan", "vMerge", "trPr",
                                                                          "gridBefore"))


def _val(element: etree._Element | None, default: str | None = None) -> str | None:
    return default if element is None else element.get(f"{{{W}}}val", default)


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
MAX_PART = 64 * 1024 * 1024  # an uncompressed document.xml beyond this is a zip bomb, not a report


def paragraph_text(p: etree._Element, revisions: bool = True) -> str:
    """Visible text of a w:p: runs, tabs as spaces; deleted revisions (w:del) excluded.

    `revisions=False` says the caller knows the document holds no w:del at all (the usual case)."""
    if revisions and next(p.iter(_DEL), None) is not None:
        return "".join([(node.text or "") if node.tag == _T else " " for node in p.iter(_T, _TAB, _BR, _CR)
                        if not any(a.tag == _DEL for a in node.iterancestors())])
    return "".join([(node.text or "") if node.tag == _T else " " for node in p.iter(_T, _TAB, _BR, _CR)])


@dataclass(slots=True)
class _Open:
    """A cell in the grid being built; vMerge continuations add to its rowspan."""

    cell: Cell
    column: int


def _child(element: etree._Element | None, tag: str) -> etree._Element | None:
    return None if element is None else next(element.iterchildren(tag), None)


_VAL = f"{{{W}}}val"


def _tc_props(tc: etree._Element) -> tuple[int, str | None]:
    # w:tcPr is the first child by the schema; any other place is looked up as before.
    first = tc[0] if len(tc) else None
    pr = first if first is not None and first.tag == _TCPR else _child(tc, _TCPR)
    if pr is None:
        return 1, None
    gridspan = vmerge = None
    for child in pr:  # the first w:gridSpan and the first w:vMerge, as iterchildren(tag) would find them
        tag = child.tag
        if tag == _GRIDSPAN:
            if gridspan is None:
                gridspan = child
        elif tag == _VMERGE and vmerge is None:
            vmerge = child
    span = 1
    if gridspan is not None:
        try:
            span = int(gridspan.get(_VAL, "1") or 1)
        except ValueError:
            span = 1
    return min(max(span, 1), 1000), (None if vmerge is None else vmerge.get(_VAL, "continue"))


def _cell_text(tc: etree._Element, revisions: bool = True) -> str:
    paragraphs = [paragraph_text(p, revisions) for p in tc.iter(_P)]
    if len(paragraphs) == 1:  # join_lines of one line is that line cleaned
        return clean(paragraphs[0])
    return join_lines(paragraphs)


def _table(tbl: etree._Element, revisions: bool = True) -> Table:
    rows: list[list[Cell]] = []
    above: dict[int, Cell] = {}  # grid column -> the cell whose vertical merge may continue there
    for tr in tbl.iterchildren(_TR):
        row: list[Cell] = []
        before = _val(_child(_child(tr, _TRPR), _GRIDBEFORE), "0") or "0"
        column = int(before) if before.isdigit() else 0
        for tc in tr.iterchildren(_TC):
            span, vmerge = _tc_props(tc)
            if vmerge == "continue" and column in above:
                above[column].rowspan += 1
            else:
                cell = Cell(_cell_text(tc, revisions), 1, span)
                row.append(cell)
                above[column] = cell
            column += span
        rows.append(row)
    return Table(rows)


def _blocks(body: etree._Element, revisions: bool = True) -> list[Block]:
    blocks: list[Block] = []
    for child in body.iterchildren():
        tag = child.tag
        if tag == _P:
            text = clean(paragraph_text(child, revisions))
            if text:
                blocks.append(Paragraph(text))
        elif tag == _TBL:
            blocks.append(_table(child, revisions))
        elif tag == _SDT:
            content = child.find(f"{{{W}}}sdtContent")
            if content is not None:
                blocks.extend(_blocks(content, revisions))
    return blocks


def _part(archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        raise UnreadableDocument("Word（DOCX）文件内容过大，不像年度报告")
    return etree.fromstring(archive.read(info), _PARSER)


def _meta(archive: zipfile.ZipFile) -> dict[str, str]:
    core = _part(archive, "docProps/core.xml")
    if core is None:
        return {}
    found = {"title": core.findtext(f"{{{_DC}}}title"), "author": core.findtext(f"{{{_DC}}}creator"),
             "created": core.findtext(f"{{{_DCTERMS}}}created")}
    return {key: value.strip() for key, value in found.items() if value and value.strip()}


def extract(data: bytes) -> Document:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = _part(archive, "word/document.xml")
            meta = _meta(archive)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, EOFError, ValueError, OSError) as exc:
        raise UnreadableDocument(f"Word（DOCX）文件已损坏或不完整，无法读取：{exc}") from exc
    body = root.find(f"{{{W}}}body") if root is not None else None
    if body is None:
        raise UnreadableDocument("Word（DOCX）文件缺少正文（word/document.xml），无法读取")
    revisions = next(body.iter(_DEL), None) is not None  # checked per paragraph only when there are any
    return Document(blocks=_blocks(body, revisions), media_type=docx_media_type(), meta=meta)


def docx_media_type() -> str:
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
