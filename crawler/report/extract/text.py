"""Plain text (UTF-8, GBK/GB18030): tab-separated lines become table rows, other lines paragraphs."""

from __future__ import annotations

from charset_normalizer import from_bytes

from crawler.report.document import Cell, Document, Paragraph, Table
from nianbao.errors import UnreadableDocument


def decode(data: bytes) -> str:
    """Decode Chinese text: BOM/UTF-8 first, then GB18030 (a superset of GBK), then detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise UnreadableDocument("无法识别文本编码，文件可能已损坏或不是文本")
    return str(best)


def extract(data: bytes) -> Document:
    content = decode(data)
    if "\x00" in content:
        raise UnreadableDocument("文件含有二进制内容，不是可读的文本")
    blocks: list[Paragraph | Table] = []
    rows: list[list[Cell]] = []
    for line in content.splitlines():
        if "\t" in line:
            rows.append([Cell(part.strip()) for part in line.split("\t")])
            continue
        if rows:
            blocks.append(Table(rows))
            rows = []
        if line.strip():
            blocks.append(Paragraph(line.strip()))
    if rows:
        blocks.append(Table(rows))
    return Document(blocks=blocks, media_type="text/plain")
