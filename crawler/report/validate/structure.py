"""S01–S05: sections, tables, template, blank cells, statistics year."""

from __future__ import annotations

from collections.abc import Iterator

from crawler.report.model import Finding
from crawler.report.validate.cells import TABLE_NAMES, TABLES, View, cell_name, table_cells
from crawler.report.validate.rule import ERROR, WARNING, Rule

SECTION_NAMES = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
FIRST_YEAR_2021 = 2021
QUOTED_BLANKS = 5  # blank cells quoted in one S04 message


def table_missing(view: View, table: str) -> bool:
    """A table none of whose cells could be read."""
    return all(view.values.get(c) is None for c in table_cells(view.template, table))


def check_sections(rule: Rule, view: View) -> Iterator[Finding]:
    for sid, present in view.report.sections.items():
        if not present:
            yield rule.finding(f"缺少第{SECTION_NAMES[sid][0]}部分“{SECTION_NAMES[sid][2:]}”")


def check_tables(rule: Rule, view: View) -> Iterator[Finding]:
    for table in TABLES:
        if table_missing(view, table):
            yield rule.finding(f"缺少{TABLE_NAMES[table]}，或表格无法读取")


def check_template(rule: Rule, view: View) -> Iterator[Finding]:
    report = view.report
    if report.template == "2019" and report.year is not None and report.year >= FIRST_YEAR_2021:
        yield rule.finding(
            f"{report.year}年度报告仍使用2019年版格式（国办公开办函〔2019〕60号），应使用〔2021〕30号格式"
        )


def _quote(view: View, cell_id: str) -> str:
    raw = view.report.raw_cells.get(cell_id)
    return f"{cell_name(view.template, cell_id)}（{'“' + raw + '”' if raw else '空白'}）"


def check_blanks(rule: Rule, view: View) -> Iterator[Finding]:
    """One finding per readable table listing its blank or non-numeric cells (a missing table is S02)."""
    for table in TABLES:
        if table_missing(view, table):
            continue
        blank = [c for c in table_cells(view.template, table) if view.values.get(c) is None]
        if blank:
            quoted = "；".join(_quote(view, c) for c in blank[:QUOTED_BLANKS])
            more = f"等{len(blank)}个单元格" if len(blank) > QUOTED_BLANKS else ""
            yield rule.finding(f"{TABLE_NAMES[table]}有单元格为空或不是数字：{quoted}{more}", blank)


def check_year(rule: Rule, view: View) -> Iterator[Finding]:
    report = view.report
    if report.year is None:
        yield rule.finding("未找到报告的统计年度")
    elif report.published_on is not None and report.year > report.published_on.year:
        yield rule.finding(f"统计年度{report.year}年晚于报告落款日期{report.published_on.isoformat()}")


RULES: tuple[Rule, ...] = (
    Rule("S01", ERROR, "缺少六个部分之一", check_sections),
    Rule("S02", ERROR, "缺少必需的统计表或表格无法读取", check_tables),
    Rule("S03", ERROR, "2021年及以后的报告使用了2019年版格式", check_template),
    Rule("S04", WARNING, "必填单元格为空或不是数字", check_blanks),
    Rule("S05", ERROR, "无统计年度，或统计年度晚于发布年份", check_year),
)
