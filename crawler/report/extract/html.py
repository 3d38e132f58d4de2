"""HTML pages (UTF-8 or GBK, charset declared or not): paragraphs and tables with rowspan/colspan, plus meta."""

from __future__ import annotations

import re

from lxml import etree

from crawler.report.document import Block, Cell, Document, Paragraph, Table
from crawler.report.extract.textutil import clean, join_lines
from nianbao.errors import UnreadableDocument

_CHARSET = re.compile(rb"""(?:<meta[^>]+charset|<\?xml[^>]+encoding)\s*=\s*["']?\s*([a-zA-Z0-9_-]+)""",
                      re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
_DROP = ("script", "style", "noscript", "nav", "iframe", "form", "select", "button", "template", "object", "svg",
         "head")
# Portal chrome by class/id token: menus, breadcrumbs, share bars (the article itself never uses these words).
_CHROME = re.compile(r"(?:^|[\s_-])(nav|navbar|menu|breadcrumb|crumbs?|share|sidebar|topbar|toolbar|skip)(?:$|[\s_-])",
                     re.IGNORECASE)
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
           "main", "blockquote", "pre", "center", "address", "header", "footer", "aside", "figure", "figcaption",
           "caption", "hr", "body", "html", "font-block"}
_PUBDATE_NAMES = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "published_time",
                  "og:release_date", "dc.date", "dcterms.issued")
_PUBDATE_TEXT = re.compile(r"(?:发布日期|发布时间|发文日期|成文日期)[：:\s]*(\d{4}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2})")
_MAX_SPAN = 1000
# A plain libxml2 HTML parser: lxml.html's element classes cost a Python lookup per element proxy.
_PARSER = etree.HTMLParser()
_STRING = etree.XPath("string()")  # what lxml.html's text_content() evaluates
_CLASSED = etree.XPath("//*[@class or @id]")


def declared_charset(data: bytes, media_type: str | None) -> str | None:
    if media_type and "charset=" in media_type.lower():
        return media_type.lower().split("charset=")[1].split(";")[0].strip(" \"'")
    found = _CHARSET.search(data[:8192])
    return found.group(1).decode("ascii").lower() if found else None


def decode(data: bytes, media_type: str | None = None) -> str:
    """Decode a page: BOM, then the declared charset (GB* read as GB18030), then UTF-8, then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    declared = declared_charset(data, media_type)
    candidates = ["gb18030" if declared in _GB else declared] if declared else []
    for encoding in [*candidates, "utf-8", "gb18030"]:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace")


def _is_chrome(element: etree._Element) -> bool:
    marker = f"{element.get('class') or ''} {element.get('id') or ''}"
    return bool(marker.strip()) and bool(_CHROME.search(marker))


def _text_content(element: etree._Element) -> str:
    return str(_STRING(element))


def _drop_tree(element: etree._Element) -> None:
    """lxml.html's drop_tree: remove the element and its children, keeping its tail text in place."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


def _strip(root: etree._Element) -> None:
    for element in list(root.iter(*_DROP)):
        if element.getparent() is not None:
            _drop_tree(element)
    for element in [e for e in _CLASSED(root) if _is_chrome(e)]:
        if element.getparent() is not None and next(element.iterdescendants("table"), None) is None:
            _drop_tree(element)


def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return min(max(int(str(value).strip()), 1), _MAX_SPAN)
    except ValueError:
        return 1


class _Walker:
    """Walks the body in document order, cutting text into paragraphs at block elements and <br>."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.line: list[str] = []

    def flush(self) -> None:
        text = clean("".join(self.line))
        if text:
            self.blocks.append(Paragraph(text))
        self.line = []

    def text(self, value: str | None) -> None:
        if value:
            self.line.append(value)

    def walk(self, element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "table" and not _is_layout(element):
            self.flush()
            caption = next(element.iterchildren("caption"), None)
            if caption is not None and (caption_text := clean(_text_content(caption))):
                self.blocks.append(Paragraph(caption_text))
            self.blocks.append(_table(element))
        elif tag == "br":
            self.flush()
        else:
            block = tag in _BLOCKS or tag in ("table", "tr", "td", "th")
            if block:
                self.flush()
            if tag:
                self.text(element.text)
            for child in element:
                self.walk(child)
                self.text(child.tail)
            if block:
                self.flush()


def _is_layout(table: etree._Element) -> bool:
    """A table used for page layout holds other tables: read through it rather than as data."""
    return next(table.iterdescendants("table"), None) is not None


def cell_text(cell: etree._Element) -> str:
    if not len(cell):
        return clean(cell.text or "")
    lines: list[str] = []
    current: list[str] = []

    def visit(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("br", "p", "div", "li") and current:
            lines.append("".join(current))
            current.clear()
        if tag and element.text:
            current.append(element.text)
        for child in element:
            visit(child)
            if child.tail:
                current.append(child.tail)

    visit(cell)
    lines.append("".join(current))
    return join_lines(lines)


def _table(table: etree._Element) -> Table:
    # Only tables without nested tables are read as data (_is_layout), so every <tr> below is the table's own.
    rows: list[list[Cell]] = []
    for tr in table.iter("tr"):
        cells: list[Cell] = []
        for td in tr:
            tag = td.tag
            if tag != "td" and tag != "th":
                continue
            if len(td):
                text = cell_text(td)
            else:  # the usual cell: text only
                text = td.text
                text = clean(text) if text else ""
            rowspan, colspan = td.get("rowspan"), td.get("colspan")
            cells.append(Cell(text, 1 if rowspan is None else _span(rowspan), 1 if colspan is None else _span(colspan)))
        rows.append(cells)
    return Table(rows)


def _head_meta(root: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    title = root.find(".//title")
    if title is not None and (title_text := clean(_text_content(title))):
        meta["title"] = title_text
    for tag in root.iter("meta"):
        key = tag.get("name") or tag.get("property") or tag.get("http-equiv")
        content = tag.get("content")
        if key and content and clean(content):
            meta[key] = clean(content)
            if key.lower() in _PUBDATE_NAMES and "PubDate" not in meta:
                meta["PubDate"] = clean(content)
    return meta


def _text_pubdate(meta: dict[str, str], blocks: list[Block]) -> None:
    if "PubDate" not in meta:
        for block in blocks[:40]:
            if isinstance(block, Paragraph) and (found := _PUBDATE_TEXT.search(block.text)):
                meta["发布日期"] = found.group(1)
                break


def extract(data: bytes, *, media_type: str | None = None) -> Document:
    content = decode(data, media_type)
    try:
        # lxml refuses a str that still declares its encoding; it is decoded already.
        root = etree.fromstring(_XML_DECLARATION.sub("", content.replace("\x00", ""), count=1), _PARSER)
        if root is None:
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableDocument(f"HTML 页面无法解析：{exc}") from exc
    meta = _head_meta(root)
    _strip(root)
    walker = _Walker()
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    _text_pubdate(meta, walker.blocks)
    return Document(blocks=walker.blocks, media_type="text/html", meta=meta)
