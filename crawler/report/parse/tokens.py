"""The document as one stream of tokens (cells and paragraph pieces) with normalised text and number reading.

Tables in real documents arrive flattened (one cell per line, tab rows with merged-column
leftovers, rows broken across lines), so the table readers work on this stream, anchored on
printed labels, and never on the shape of a particular format.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from crawler.report.document import Cell, Document, Paragraph, Table

NULL_MARKERS = frozenset(
    {"", "/", "／", "\\", "—", "——", "-", "－", "–", "―", "─", "无", "空", "暂无", "不适用", "×", "x", "X", "*"}
)
# Numbering printed before a label: 一、 （三） (3) 1. 2、 第一
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．,，]|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[.．、,，](?!\d))+"
)
_PUNCT = re.compile(r"[\s\u3000“”\"'‘’「」《》〈〉（）()【】\[\]、，,。.．:：;；·•…—\-－_]+")
_NUMBER = re.compile(r"^[+\-−－]?\d+(?:\.\d+)?$")
_NUMBERISH = re.compile(r"^[+\-−－]?(?=[\d.,，\s]*\d)[\d.,，\s]+$")  # one quantifier: linear
MAX_VALUE = 40  # a longer cell is not a number
_UNIT = re.compile(r"(?:件|个|项|条|宗|起|次|万元|元)$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_LABEL = 80  # longer paragraphs are prose
_FOOTER = re.compile(r"^(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")


# Full-width ASCII (digits, letters, brackets, commas…) to ASCII: what NFKC does to report text, at a
# fraction of its cost on long paragraphs.
_HALF_WIDTH: dict[int, int | None] = {0xFF01 + i: 0x21 + i for i in range(94)} | dict.fromkeys(
    (0x200B, 0x200C, 0x200D, 0xFEFF)
)


def squash(text: str) -> str:
    """Full-width ASCII to ASCII (as NFKC) with all whitespace removed."""
    if text.isascii():
        return "".join(text.split())
    return "".join(text.translate(_HALF_WIDTH).split())


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """A label reduced for matching: no whitespace, no leading numbering, no punctuation or quotes."""
    return _PUNCT.sub("", _NUMBERING.sub("", squash(text)))


@lru_cache(maxsize=8192)
def read_number(raw: str) -> int | float | None:
    """A printed number (full-width digits, inner spaces, thousands commas, a trailing unit) or None."""
    text = _UNIT.sub("", squash(raw)).replace(",", "").replace("，", "").replace("−", "-").replace("－", "-")
    if not _NUMBER.match(text):
        return None
    return float(text) if "." in text else int(text)


class Token(NamedTuple):
    """One cell, or one whitespace-separated piece of a paragraph, in reading order."""

    raw: str
    key: str  # label_key(raw)
    kind: str  # "value" (a number, blank or null marker) | "text"
    block: int  # index of the block it came from
    in_table: bool
    row: int = -1  # row and cell index within a table block (-1 for paragraphs)
    col: int = -1

    @property
    def number(self) -> int | float | None:
        return read_number(self.raw) if self.kind == "value" else None


@lru_cache(maxsize=8192)
def _cell(raw: str) -> tuple[str, str, str]:
    """(text with whitespace runs collapsed, its label key, its kind), cached: cells repeat a lot."""
    text = " ".join(raw.split())
    return text, label_key(text), classify(text)


@lru_cache(maxsize=8192)
def classify(raw: str) -> str:
    """'value' for what may stand in a number cell (digits, blank, '/', '—', '无'), else 'text'."""
    text = squash(raw)
    if text in NULL_MARKERS:
        return "value"
    if len(text) > MAX_VALUE or _NUMBERING.fullmatch(text):
        return "text"  # "1." or "（三）" split from its label
    stripped = _UNIT.sub("", text)
    if stripped and _NUMBERISH.match(stripped):
        return "value"
    # Garbled cells such as "1O" or "12?" are values that do not read as numbers (S04), not labels.
    if not _CJK.search(text) and any(ch.isdigit() for ch in text) and len(text) <= 8:
        return "value"
    return "text"


def _cell_tokens(row: list[Cell], block: int, row_index: int) -> list[Token]:
    cells = [_cell(c.text) for c in row]
    # A row of two cells whose first is empty is a flattened "one cell per line" row: the
    # leading tab is a merged-column leftover, not a blank value.
    first = 1 if len(cells) == 2 and not cells[0][0] else 0
    return [Token(*cells[col], block, True, row_index, col) for col in range(first, len(cells))]


def _paragraph_tokens(text: str, block: int) -> list[Token]:
    if _FOOTER.match(text.strip()):
        return []
    pieces = text.split()
    # A paragraph like "规章 1 0 11" (a table row read as text) yields a label and values;
    # prose with spaces around figures ("共收到申请 12 件") stays one text token.
    values = sum(classify(p) == "value" for p in pieces)
    if len(pieces) > 1 and values >= 1 and values >= len(pieces) - values:
        return [Token(p, label_key(p), classify(p), block, False) for p in pieces]
    joined = " ".join(pieces)
    # Prose is never a row label: skip normalising long paragraphs (most of a report's bytes).
    key = label_key(joined) if len(joined) <= MAX_LABEL else ""
    return [Token(joined, key, "text", block, False)] if joined else []


def tokenize(document: Document) -> list[Token]:
    """Every table cell and paragraph of `document` as tokens, in reading order."""
    tokens: list[Token] = []
    for index, block in enumerate(document.blocks):
        if isinstance(block, Paragraph):
            tokens.extend(_paragraph_tokens(block.text, index))
        elif isinstance(block, Table):
            for row_index, row in enumerate(block.rows):
                tokens.extend(_cell_tokens(row, index, row_index))
    return tokens
