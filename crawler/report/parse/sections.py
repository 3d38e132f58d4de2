"""The six section headings (numbering and wording vary, a number may be missing) and the text under each."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from crawler.report.document import Document, Paragraph, Table
from crawler.report.model import SECTION_IDS
from crawler.report.parse.tokens import squash

MAX_HEADING = 40
# Top-level numbering only: "（一）主动公开情况" is a sub-heading of 总体情况, not section 二.
_TOP_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]{1,2}\s*[、.．,，:：]?|第[一二三四五六七八九十]{1,2}(?:部分|章|节)[、.．:：]?|\d{1,2}\s*[、.．](?!\d))"
)
_SUB_NUMBER = re.compile(r"^[（(]")
_INLINE_BREAK = re.compile(r"^[：:。.]")
HEADING_PATTERNS: dict[str, re.Pattern[str]] = {
    "overview": re.compile(r"^(?:总体情况|总体概述|概述|基本情况|工作概述)"),
    "proactive": re.compile(r"^主动公开(?:政府信息)?的?(?:情况|工作)"),
    "applications": re.compile(
        r"^(?:(?:收到|受理)[和及与]?(?:处理|办理)(?:政府信息公开)?申请|依申请公开(?:政府信息)?的?(?:情况|工作)"
        r"|政府信息公开申请的?(?:收到|受理)?[和及与]?(?:处理|办理)?情况)"
    ),
    "review_litigation": re.compile(
        r"^(?:(?:因)?政府信息公开(?:工作)?)?(?:被申请)?行政复议[、和及与,，]?(?:提起)?行政诉讼"
    ),
    "problems": re.compile(r"^(?:存在的?(?:主要)?问题|主要问题|问题及改进|存在不足)"),
    "other": re.compile(r"^其他(?:需要|需)?(?:报告|说明)?的?事项"),
}


@dataclass(frozen=True, slots=True)
class SectionSpan:
    id: str
    heading_block: int  # the section's blocks are those after this one (a table led by its heading row included)
    end_block: int  # exclusive
    inline: str = ""  # text printed on the heading's own line after it


@lru_cache(maxsize=4096)
def read_heading(text: str) -> tuple[str, str] | None:
    """(section id, text printed after the heading on the same line) when a paragraph is a section heading.

    A short line is a heading when it reads like one; a longer one only when numbered 一、…六、 and its
    heading is set off by punctuation ("六、其他需要报告的事项：本年度未收取信息处理费。").
    """
    if len(text) > 3 * MAX_HEADING and not _TOP_NUMBER.match(text.lstrip()):
        return None
    flat = squash(text)
    if not flat or _SUB_NUMBER.match(flat):
        return None
    numbered = _TOP_NUMBER.match(flat)
    body = _TOP_NUMBER.sub("", flat, count=1).lstrip("、.．:：")
    for sid, pattern in HEADING_PATTERNS.items():
        found = pattern.match(body)
        if not found:
            continue
        rest = body[found.end() :]
        inline = _INLINE_BREAK.match(rest)
        if len(flat) <= MAX_HEADING or (numbered and inline):
            # Only text set off by punctuation is the section's; the rest is the heading's own wording (…及改进情况).
            return sid, _tail(text, len(flat) - len(rest)).lstrip("：:。.，,：").strip() if inline else ""
    return None


def _tail(text: str, consumed: int) -> str:
    """`text` after its first `consumed` non-space characters (squash maps those one to one)."""
    for index, char in enumerate(text):
        if consumed == 0:
            return text[index:]
        if not char.isspace():
            consumed -= 1
    return ""


def heading_section(text: str) -> str | None:
    """The section id a paragraph is the heading of, or None (sub-headings and prose are not)."""
    found = read_heading(text)
    return found[0] if found else None


def _block_heading(block: Paragraph | Table) -> tuple[tuple[str, str], int] | None:
    """(heading, offset of the section's first block) for a heading paragraph, or a table whose first row
    is only a heading (the table then belongs to that section)."""
    if isinstance(block, Paragraph):
        heading = read_heading(block.text)
        return (heading, 1) if heading else None
    if block.rows:
        texts = [c.text for c in block.rows[0] if c.text.strip()]
        heading = read_heading(texts[0]) if len(texts) == 1 else None
        return (heading, 0) if heading else None
    return None


def find_sections(document: Document) -> list[SectionSpan]:
    """Headings in printed order; a heading for a section already passed is ignored."""
    found: list[tuple[str, int, int, str]] = []  # (section id, heading block, first content block, inline text)
    position = 0
    for index, block in enumerate(document.blocks):
        located = _block_heading(block)
        if located is None or SECTION_IDS.index(located[0][0]) < position:
            continue
        (sid, rest), offset = located
        found.append((sid, index, index + offset, rest))
        position = SECTION_IDS.index(sid) + 1
    ends = [index for _, index, _, _ in found[1:]] + [len(document.blocks)]
    return [SectionSpan(sid, start - 1, end, rest) for (sid, _, start, rest), end in zip(found, ends)]


def section_texts(document: Document, spans: list[SectionSpan]) -> dict[str, str | None]:
    """Section id -> its prose (paragraphs under the heading; tables are read separately), None if missing."""
    texts: dict[str, str | None] = {sid: None for sid in SECTION_IDS}
    for span in spans:
        blocks = document.blocks[span.heading_block + 1 : span.end_block]
        lines = [span.inline] if span.inline else []
        texts[span.id] = "\n".join(lines + [b.text for b in blocks if isinstance(b, Paragraph)])
    return texts
