"""Properties over generated documents: any table layout with merged cells survives HTML and DOCX rendering
and extraction; consistent generated reports give no arithmetic finding in the direct formats."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.report import read_report
from crawler.report.document import Block, Cell, Document, Paragraph, Table
from crawler.report.extract import extract
from portalfarm.generate import generate
from portalfarm.render import render
from tests.report.formats_support import shape

TEXTS = st.sampled_from(["", "0", "12", "96171.6", "/", "—", "规章", "（一）予以公开", "三、本年度办理结果",
                         "商业企业", "行政事业性收费", "本年收费金额（单位：万元）", "“三安全一稳定”"])
ARITHMETIC = {"A01", "A02", "A03", "A04", "A05"}


@st.composite
def tables(draw: st.DrawFn) -> Table:
    """A full grid where some cells span rows and columns (never overlapping)."""
    height, width = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    taken: set[tuple[int, int]] = set()
    rows: list[list[Cell]] = []
    for r in range(height):
        row: list[Cell] = []
        for c in range(width):
            if (r, c) in taken:
                continue
            free = next((k for k in range(c, width) if (r, k) in taken), width) - c
            colspan = draw(st.integers(1, min(free, 3)))
            rowspan = draw(st.integers(1, min(height - r, 3)))
            taken |= {(r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan)}
            row.append(Cell(draw(TEXTS), rowspan, colspan))
        rows.append(row)
    return Table(rows)


paragraphs = st.builds(Paragraph, st.sampled_from(["一、总体情况", "本年度，我市共收到申请12件。", "六、其他需要报告的事项"]))


@st.composite
def documents(draw: st.DrawFn) -> Document:
    blocks: list[Block] = draw(st.lists(st.one_of(paragraphs, tables()), min_size=1, max_size=5))
    return Document(blocks=blocks)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents(), fmt=st.sampled_from(["html", "html-gbk-nometa", "docx"]))
def test_any_layout_survives_html_and_docx(document: Document, fmt: str) -> None:
    assert shape(extract(render(document, fmt), name=f"x.{fmt.split('-')[0]}")) == shape(document)


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000), template=st.sampled_from(["2021", "2019"]),
       fmt=st.sampled_from(["html", "html-gbk", "docx", "xlsx"]))
def test_consistent_reports_have_no_arithmetic_finding(seed: int, template: str, fmt: str) -> None:
    generated = generate(seed=seed, template=template, year=2023 if template == "2021" else 2020)
    got = read_report(render(generated.document, fmt), name=f"x.{fmt.split('-')[0]}").to_json()
    assert {f["rule"] for f in got["findings"]} & ARITHMETIC == set()
    assert got["applications"] == generated.truth["applications"]
