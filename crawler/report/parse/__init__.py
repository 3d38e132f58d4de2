"""Document -> Report: metadata, the six sections and the three tables, anchored on printed labels."""

from __future__ import annotations

from collections.abc import Sequence

from crawler.report.document import Document
from crawler.report.model import SECTION_IDS, Report, Source
from crawler.report.parse.meta import read_meta
from crawler.report.parse.sections import SectionSpan, find_sections, section_texts
from crawler.report.parse.tables import TableRead, detect_template, read_applications, read_art20, read_review
from crawler.report.parse.tokens import Token, squash, tokenize
from crawler.report.templates import TEMPLATES, Template
from nianbao.errors import NotAReport

MIN_SECTIONS = 3  # without a readable table, this many section headings still make a report
_REVIEW_ANCHORS = ("复议后起诉", "未经复议", "行政复议")


def _region(tokens: Sequence[Token], spans: Sequence[SectionSpan], sid: str) -> list[Token]:
    """Tokens under section `sid`; when its heading is missing, those of the section that absorbed it."""
    wanted = SECTION_IDS.index(sid)
    candidates = [s for s in spans if SECTION_IDS.index(s.id) <= wanted]
    if not candidates:
        return list(tokens)
    span = candidates[-1]
    return [t for t in tokens if span.heading_block < t.block < span.end_block]


def _review_region(tokens: list[Token]) -> list[Token]:
    """From the 四 table's header on, so figures of an earlier table or prose are not taken for it."""
    for anchor in _REVIEW_ANCHORS:
        for index, token in enumerate(tokens):
            if token.kind == "text" and anchor in token.key and len(token.key) <= len(anchor) + 8:
                return tokens[index + 1 :]
    return tokens


def _check_is_report(
    document: Document, title: str | None, spans: Sequence[SectionSpan], tables: Sequence[TableRead]
) -> None:
    """Raise NotAReport for readable text that is not an annual report."""
    mentions = title is not None or "信息公开" in squash(document.text[:20_000])
    if mentions and (len(spans) >= MIN_SECTIONS or any(t.found for t in tables)):
        return
    raise NotAReport("不是政府信息公开工作年度报告：未找到年度报告的标题、章节或统计表格")


def _tables(document: Document, spans: Sequence[SectionSpan]) -> tuple[Template, TableRead, TableRead, TableRead]:
    tokens = tokenize(document)
    template = TEMPLATES[detect_template(tokens)]
    art20 = read_art20(_region(tokens, spans, "proactive"), template)
    applications = read_applications(_region(tokens, spans, "applications"), template)
    review = read_review(_review_region(_region(tokens, spans, "review_litigation")))
    return template, art20, applications, review


def locate(document: Document) -> dict[str, tuple[int, int, int]]:
    """Canonical cell id -> (block, row, cell) of the table cell it is read from."""
    _, *tables = _tables(document, find_sections(document))
    return {cell: where for table in tables for cell, where in table.where.items()}


def parse(document: Document, *, source: Source) -> Report:
    """Read `document` into a Report (no findings yet); raises NotAReport when it is not one."""
    spans = find_sections(document)
    meta = read_meta(document)
    template, art20, applications, review = _tables(document, spans)
    _check_is_report(document, meta.title, spans, (art20, applications, review))
    return Report(
        source=source,
        title=meta.title,
        org=meta.org,
        year=meta.year,
        template=template.id if art20.found or applications.found else None,
        published_on=meta.published_on,
        section_texts=section_texts(document, spans),
        art20=art20.values,
        applications=applications.values,
        review_litigation=review.values,
        raw_cells={**art20.raw, **applications.raw, **review.raw},
    )
