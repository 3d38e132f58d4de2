"""Parser pieces on hand-made layouts: title/org/date variants, section headings, split and flattened tables."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.report.document import Cell, Document, Paragraph, Table
from crawler.report.model import Source
from crawler.report.parse import parse
from crawler.report.parse.meta import read_meta
from crawler.report.parse.sections import heading_section
from crawler.report.validate import validate
from nianbao.errors import NotAReport
from portalfarm.generate import generate

SOURCE = Source(None, "text/plain", "0" * 64)


def _meta(*lines: str, title: str | None = None):  # type: ignore[no-untyped-def]
    return read_meta(Document(blocks=[Paragraph(t) for t in lines], meta={"title": title} if title else {}))


@pytest.mark.parametrize(
    "lines, title, org, year",
    [
        (
            ("某某市人民政府办公室", "2023年政府信息公开", "工作年度报告"),
            "某某市人民政府办公室2023年政府信息公开工作年度报告",
            "某某市人民政府办公室",
            2023,
        ),
        (
            ("某某县人民政府二〇二二年政府信息公开工作年度报告",),
            "某某县人民政府二〇二二年政府信息公开工作年度报告",
            "某某县人民政府",
            2022,
        ),
        (
            ("2023年度某某县自然资源局政府信息公开工作年度报告",),
            "2023年度某某县自然资源局政府信息公开工作年度报告",
            "某某县自然资源局",
            2023,
        ),
        (
            ("某某镇人民政府 2 0 2 2 年政府信息公开工作年度报告",),
            "某某镇人民政府2022年政府信息公开工作年度报告",
            "某某镇人民政府",
            2022,
        ),
        (
            ("首页 > 政务公开 > 年度报告", "某某区教育局２０２４年政府信息公开工作年度报告"),
            "某某区教育局2024年政府信息公开工作年度报告",
            "某某区教育局",
            2024,
        ),
    ],
)
def test_title_org_year_as_printed(lines: tuple[str, ...], title: str, org: str, year: int) -> None:
    meta = _meta(*lines, "正文。")
    assert (meta.title, meta.org, meta.year) == (title, org, year)


def test_org_from_the_signature_when_the_title_names_none() -> None:
    meta = _meta("2023年政府信息公开工作年度报告", "正文。", "某某县自然资源局", "2024年1月20日")
    assert (meta.org, meta.published_on) == ("某某县自然资源局", date(2024, 1, 20))


@pytest.mark.parametrize(
    "tail, expected",
    [
        (("某某县自然资源局　2024年1月20日",), date(2024, 1, 20)),
        (("某某县人民政府", "二〇二四年一月二十日"), date(2024, 1, 20)),
        (("数据统计期限至2023年12月31日",), None),  # a date in prose is not a signature
        (("2024年2月30日",), None),
    ],
)
def test_signature_date(tail: tuple[str, ...], expected: date | None) -> None:
    assert _meta("某某县人民政府2023年政府信息公开工作年度报告", "正文。", *tail).published_on == expected


def test_container_title_only_when_none_is_printed() -> None:
    meta = _meta("正文。", title="某某市2023年政府信息公开工作年度报告_某某市人民政府门户网站")
    assert (meta.title, meta.year) == ("某某市2023年政府信息公开工作年度报告", 2023)


@pytest.mark.parametrize(
    "text, sid",
    [
        ("一、总体情况", "overview"),
        ("二、主动公开政府信息情况", "proactive"),
        ("收到和处理政府信息公开申请情况", "applications"),
        ("三.收到和处理政府信息公开申请情况", "applications"),
        ("四、政府信息公开行政复议、行政诉讼情况", "review_litigation"),
        ("五、存在主要问题及改进情况", "problems"),
        ("六、其他需要报告的事项", "other"),
        ("（一）主动公开政府信息情况", None),  # a sub-heading of 总体情况
        ("（二）依申请公开情况。2023年，共收到申请12件。", None),
        ("本机关主动公开政府信息情况良好，全年发布信息300条，各项工作有序推进，取得了良好的社会效果。", None),
    ],
)
def test_section_headings(text: str, sid: str | None) -> None:
    assert heading_section(text) == sid


@pytest.mark.parametrize(
    "line, rest",
    [
        (
            "六、其他需要报告的事项：本机关2023年度未收取任何政府信息公开信息处理费，也没有其他需要报告的事项。",
            "本机关2023年度未收取任何政府信息公开信息处理费，也没有其他需要报告的事项。",
        ),
        ("六、其他需要报告的事项：无", "无"),
    ],
)
def test_heading_with_its_text_on_the_same_line(line: str, rest: str) -> None:
    generated = generate(seed=9)
    blocks = list(generated.document.blocks)
    at = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text.startswith("六、"))
    blocks[at : at + 2] = [Paragraph(line)]
    report = parse(Document(blocks=blocks), source=SOURCE)
    assert report.section_texts["other"].startswith(rest)
    assert ("T02" in {f.rule for f in validate(report)}) is (rest == "无")


def test_a_long_unnumbered_line_is_prose_not_a_heading() -> None:
    assert (
        heading_section(
            "其他需要报告的事项：本机关2023年度未收取任何政府信息公开信息处理费，也没有其他需要报告的事项。"
        )
        is None
    )


def test_heading_missing_section_keeps_the_others_and_reads_tables() -> None:
    generated = generate(seed=3, breaks=("S01",))
    report = parse(generated.document, source=SOURCE)
    assert report.sections["problems"] is False and report.sections["other"] is True
    assert report.applications == generated.truth["applications"]


def test_heading_printed_as_the_first_row_of_its_table() -> None:
    generated = generate(seed=12)
    blocks = list(generated.document.blocks)
    for sid in ("applications", "review_litigation"):
        at = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and heading_section(b.text) == sid)
        heading, table = blocks[at], blocks[at + 1]
        assert isinstance(heading, Paragraph) and isinstance(table, Table)
        blocks[at : at + 2] = [Table([[Cell(heading.text, colspan=10)], *table.rows])]
    report = parse(Document(blocks=blocks), source=SOURCE)
    assert all(report.sections.values())
    assert report.applications == generated.truth["applications"]
    assert report.review_litigation == generated.truth["review_litigation"]


def test_table_read_without_any_section_heading() -> None:
    generated = generate(seed=4)
    blocks = [
        b
        for b in generated.document.blocks
        if not (isinstance(b, Paragraph) and b.text[:2] in ("一、", "二、", "三、", "四、", "五、", "六、", "收到"))
    ]
    report = parse(Document(blocks=blocks), source=SOURCE)
    assert report.art20 == generated.truth["art20"]
    assert report.applications == generated.truth["applications"]
    assert report.review_litigation == generated.truth["review_litigation"]


def test_table_rows_printed_as_lines_of_text() -> None:
    """A PDF read without table detection: each row a paragraph of a label and its numbers."""
    generated = generate(seed=5)
    blocks: list[Paragraph | Table] = []
    for block in generated.document.blocks:
        rows = block.rows if isinstance(block, Table) else [[Cell(block.text)]]
        blocks.extend(Paragraph(" ".join(c.text for c in row)) for row in rows)
    report = parse(Document(blocks=blocks), source=SOURCE)
    assert report.applications == generated.truth["applications"]
    assert report.review_litigation == generated.truth["review_litigation"]
    assert report.art20 == generated.truth["art20"]


def test_page_footer_inside_a_table_is_not_a_value() -> None:
    generated = generate(seed=6)
    blocks = list(generated.document.blocks)
    table_at = next(i for i, b in enumerate(blocks) if isinstance(b, Table) and len(b.rows) > 20)
    table = blocks[table_at]
    assert isinstance(table, Table)
    blocks[table_at : table_at + 1] = [Table(table.rows[:12]), Paragraph("- 4 -"), Table(table.rows[12:])]
    report = parse(Document(blocks=blocks), source=SOURCE)
    assert report.applications == generated.truth["applications"]


@pytest.mark.parametrize(
    "text",
    [
        "二〇二三年度机关工作总结\n一、主要工作\n全年完成各项任务。\n二、下一步计划\n继续努力。",
        "关于开展政府信息公开工作检查的通知\n各单位：请于3月底前完成自查。",
    ],
)
def test_not_a_report(text: str) -> None:
    with pytest.raises(NotAReport):
        parse(Document(blocks=[Paragraph(line) for line in text.splitlines()]), source=SOURCE)


def test_2019_form_told_by_its_single_other_row_alone() -> None:
    generated = generate(template="2019", year=2020, seed=8)
    blocks = [b for b in generated.document.blocks if not (isinstance(b, Table) and len(b.rows) < 10)]
    report = parse(Document(blocks=blocks), source=SOURCE)  # the 第二十条 tables (2019 headers) removed
    assert report.template == "2019"
    assert report.applications == generated.truth["applications"]


@pytest.mark.parametrize("junk", ["1" * 200_000 + "x", "1 " * 50_000 + "x", "\t".join(["0"] * 50_000), "1." * 50_000,
                                  "共收到申请，行政复议，未发生" * 20_000])
def test_pathological_input_stays_linear(junk: str, seeds: list) -> None:  # type: ignore[type-arg]
    import time

    from crawler.report import read_report

    text = seeds[0].read_text(encoding="utf-8") + "\n" + junk + "\n"
    started = time.process_time()
    read_report(text.encode("utf-8"))
    assert time.process_time() - started < 1.0
