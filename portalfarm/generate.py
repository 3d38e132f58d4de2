"""Annual reports with known truth, laid out like the national form, for tests, the farm and benchmarks.

`generate(...)` builds consistent tables of either template for any body and year, then the
`Document` (title, six sections of prose, the 第二十条, 三 and 四 tables with the form's merged
cells) and its truth in the `nianbao.report/1` shape. `breaks` names rules to break on purpose;
each break changes the tables or prose in a way that triggers exactly the rules it lists.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from crawler.report.document import Cell, Document, Paragraph, Table
from crawler.report.model import SCHEMA
from portalfarm.realism import Realism, realise_tables, vary_blocks
from portalfarm.report_styles import restyle
from crawler.report.templates import (
    APPLICANT_COLUMNS,
    APPLICANT_PARTS,
    REVIEW_FIELDS,
    REVIEW_GROUPS,
    TEMPLATES,
    Template,
)

Number = int | float
Grid = dict[str, dict[str, Number | None]]
FIRST_YEAR_2021 = 2021


@dataclass(slots=True)
class Tables:
    """The three tables as printed values (None prints as '/')."""

    art20: Grid
    applications: Grid
    review_litigation: Grid
    stated_new_received: int | None = None  # what the prose says, when it differs on purpose
    fee_statement: bool = True
    problems_text: str | None = None  # what section 五 says instead of the usual problems and fixes
    omit_sections: tuple[str, ...] = ()


@dataclass(slots=True)
class Generated:
    document: Document
    truth: dict[str, Any]  # the report.md contract fields, plus expected_findings (sorted rule ids)
    cells: dict[str, Cell]  # canonical cell id -> the Cell that prints it


def _count(rng: random.Random, high: int, zero: float = 0.5) -> int:
    return 0 if rng.random() < zero else rng.randint(1, high)


def _amount(rng: random.Random, high: float) -> Number:
    """A 万元 amount: whole or with a non-zero decimal part (so it round-trips as printed)."""
    value = round(rng.uniform(0, high), rng.choice((0, 1, 2)))
    return int(value) if float(value).is_integer() else value


def _art20(rng: random.Random, template: Template) -> Grid:
    grid: Grid = {}
    for row in template.art20_rows:
        grid[row.id] = {}
        for fid, _ in row.fields:
            if fid == "amount_wan":
                grid[row.id][fid] = _amount(rng, 5000)
            elif fid == "items_change":
                grid[row.id][fid] = rng.randint(-5, 5)
            else:
                grid[row.id][fid] = _count(rng, 3000 if row.id in ("licensing", "punishment") else 60, zero=0.3)
    return grid


def _applications(rng: random.Random, template: Template) -> Grid:
    """Per column: results drawn, then carried-over/forward, then new = results + forward − over."""
    grid: Grid = {r.id: {} for r in template.application_rows}
    results = template.result_rows
    for column in APPLICANT_PARTS:
        for row in results:
            grid[row.id][column] = _count(rng, 40, zero=0.6 if column == "natural_person" else 0.85)
        # Break mutations need a granted and a partially granted application to move.
        for forced in ("granted", "partially_granted"):
            if column == "natural_person" and not grid[forced][column]:
                grid[forced][column] = rng.randint(1, 20)
        total = sum(int(grid[r.id][column] or 0) for r in results)
        forward = _count(rng, 6, zero=0.7)
        grid["results_total"][column] = total
        grid["carried_forward"][column] = forward
        grid["carried_over"][column] = rng.randint(0, min(6, total + forward)) if rng.random() < 0.3 else 0
        grid["new_received"][column] = total + forward - int(grid["carried_over"][column] or 0)
    for values in grid.values():
        values["total"] = sum(int(values[c] or 0) for c in APPLICANT_PARTS)
    return grid


def _review(rng: random.Random) -> Grid:
    grid: Grid = {}
    for group, _ in REVIEW_GROUPS:
        parts = {f: _count(rng, 8, zero=0.6) for f, _ in REVIEW_FIELDS if f != "total"}
        grid[group] = {**parts, "total": sum(parts.values())}
    return grid


def consistent_tables(rng: random.Random, template: Template) -> Tables:
    """Tables that satisfy every identity of `template`, with no blank cell."""
    return Tables(_art20(rng, template), _applications(rng, template), _review(rng))


def _add(grid: Grid, row: str, field: str, delta: int) -> None:
    grid[row][field] = int(grid[row][field] or 0) + delta


def _break_a01(t: Tables, rng: random.Random) -> None:
    delta = rng.randint(1, 5)
    _add(t.applications, "carried_forward", "natural_person", delta)
    _add(t.applications, "carried_forward", "total", delta)


def _break_a02(t: Tables, rng: random.Random) -> None:
    delta = 1  # partially_granted.natural_person >= 1, so its total stays >= 0
    _add(t.applications, "granted", "total", delta)
    _add(t.applications, "partially_granted", "total", -delta)


def _break_a03(t: Tables, rng: random.Random) -> None:
    delta = rng.randint(1, 5)
    _add(t.applications, "granted", "natural_person", delta)
    _add(t.applications, "granted", "total", delta)


def _break_a04(t: Tables, rng: random.Random) -> None:
    _add(t.review_litigation, "review", "total", rng.randint(1, 3))


def _break_a05(t: Tables, rng: random.Random) -> None:
    t.art20["rules"]["made"] = -rng.randint(1, 3)


def _break_s04(t: Tables, rng: random.Random) -> None:
    row = t.art20["rules"]
    row[list(row)[-1]] = None


def _break_t01(t: Tables, rng: random.Random) -> None:
    # Above new + carried-over too: the prose may lawfully count carried-over applications in.
    new, over = (int(t.applications[row]["total"] or 0) for row in ("new_received", "carried_over"))
    t.stated_new_received = new + over + rng.randint(1, 9)


def _break_t02(t: Tables, rng: random.Random) -> None:
    t.fee_statement = False


def _break_t03(t: Tables, rng: random.Random) -> None:
    t.problems_text = rng.choice(("无。", "暂无。", "无"))


def _break_s01(t: Tables, rng: random.Random) -> None:
    t.omit_sections = ("problems",)


# Rule id -> (change, the rules that change triggers). Each change keeps every other rule quiet.
BREAKS: dict[str, tuple[Callable[[Tables, random.Random], None], frozenset[str]]] = {
    "A01": (_break_a01, frozenset({"A01"})),
    "A02": (_break_a02, frozenset({"A02"})),
    "A03": (_break_a03, frozenset({"A03"})),
    "A04": (_break_a04, frozenset({"A04"})),
    "A05": (_break_a05, frozenset({"A05"})),
    "S04": (_break_s04, frozenset({"S04"})),
    "T01": (_break_t01, frozenset({"T01"})),
    "T02": (_break_t02, frozenset({"T02"})),
    "T03": (_break_t03, frozenset({"T03"})),
    "S01": (_break_s01, frozenset({"S01"})),
}


def _printed(value: Number | None) -> str:
    return "/" if value is None else str(value)


class _Layout:
    """Builds the document and records which Cell prints which canonical cell."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.cells: dict[str, Cell] = {}

    def value(self, cell_id: str, number: Number | None, colspan: int = 1) -> Cell:
        cell = Cell(_printed(number), colspan=colspan)
        self.cells[cell_id] = cell
        return cell

    def art20_tables(self, grid: Grid) -> list[Table]:
        tables: list[Table] = []
        by_item: dict[str, list[Any]] = {}
        for row in self.template.art20_rows:
            by_item.setdefault(row.item, []).append(row)
        for item, rows in by_item.items():
            width = 4
            fields = rows[0].fields
            span = width - 1 - len(fields)  # the last field spans the columns the others leave
            header = [Cell("信息内容")] + [
                Cell(label, colspan=1 + (span if i == len(fields) - 1 else 0)) for i, (_, label) in enumerate(fields)
            ]
            body = [
                [Cell(r.label)]
                + [
                    self.value(
                        f"art20.{r.id}.{fid}", grid[r.id][fid], colspan=1 + (span if i == len(fields) - 1 else 0)
                    )
                    for i, (fid, _) in enumerate(r.fields)
                ]
                for r in rows
            ]
            tables.append(Table([[Cell(item, colspan=width)], header, *body]))
        return tables

    def applications_table(self, grid: Grid) -> Table:
        rows: list[list[Cell]] = [
            [
                Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
                Cell("申请人情况", colspan=7),
            ],
            [Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)],
            [Cell(label) for _, label in APPLICANT_COLUMNS[1:-1]],
        ]
        app_rows = self.template.application_rows
        results = {r.id for r in self.template.result_rows} | {"results_total"}
        seen_groups: set[str] = set()
        for row in app_rows:
            values = [self.value(f"applications.{row.id}.{c}", grid[row.id][c]) for c, _ in APPLICANT_COLUMNS]
            lead: list[Cell] = []
            if row.id not in results:
                lead = [Cell(row.label, colspan=3)]
            else:
                if "三、本年度办理结果" not in seen_groups:
                    seen_groups.add("三、本年度办理结果")
                    lead.append(Cell("三、本年度办理结果", rowspan=len(results)))
                if row.group and not row.group.startswith("三、"):
                    if row.group not in seen_groups:
                        seen_groups.add(row.group)
                        lead.append(Cell(row.group, rowspan=sum(r.group == row.group for r in app_rows)))
                    lead.append(Cell(row.label))
                else:
                    lead.append(Cell(row.label, colspan=2))
            rows.append(lead + values)
        return Table(rows)

    def review_table(self, grid: Grid) -> Table:
        labels = [label for _, label in REVIEW_FIELDS]
        return Table(
            [
                [Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)],
                [Cell(label, rowspan=2) for label in labels]
                + [Cell("未经复议直接起诉", colspan=5), Cell("复议后起诉", colspan=5)],
                [Cell(label) for label in labels * 2],
                [
                    self.value(f"review_litigation.{g}.{f}", grid[g][f])
                    for g, _ in REVIEW_GROUPS
                    for f, _ in REVIEW_FIELDS
                ],
            ]
        )


def _applications_prose(rng: random.Random, t: Tables, year: int) -> str:
    new = (
        t.stated_new_received
        if t.stated_new_received is not None
        else int(t.applications["new_received"]["total"] or 0)
    )
    over = int(t.applications["carried_over"]["total"] or 0)
    if new == 0 and t.stated_new_received is None:
        return f"（二）依申请公开情况。{year}年，本机关未收到政府信息公开申请。"
    lead = rng.choice(
        ("共收到政府信息公开申请", "新收政府信息公开申请", "收到政府信息公开申请 ", "共办理政府信息依申请公开")
    )
    carried = f"，上年结转{over}件" if over else ""
    return f"（二）依申请公开情况。{year}年，本机关{lead}{new}件{carried}，均在法定期限内答复。"


def _review_prose(t: Tables) -> str:
    review = int(t.review_litigation["review"]["total"] or 0)
    litigation = sum(
        int(t.review_litigation[g]["total"] or 0) for g in ("litigation_direct", "litigation_after_review")
    )
    if not review and not litigation:
        return "本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。"
    first = f"因政府信息公开工作被申请行政复议{review}件" if review else "未发生因政府信息公开引起的行政复议"
    second = f"被提起行政诉讼{litigation}件" if litigation else "未发生行政诉讼"
    return f"本年度{first}；{second}。"


def _section_blocks(rng: random.Random, layout: _Layout, t: Tables, org: str, year: int) -> dict[str, list[Any]]:
    licensing = t.art20["licensing"].get("decisions")
    licensing_text = f"全年作出行政许可决定{licensing}件。" if licensing is not None else ""
    fee = rng.choice(("本年度未收取政府信息公开信息处理费。", "本机关在办理政府信息公开申请过程中未收取信息处理费。"))
    return {
        "overview": [
            Paragraph(f"{year}年，{org}深入贯彻落实《中华人民共和国政府信息公开条例》，扎实做好政府信息公开工作。"),
            Paragraph(f"（一）主动公开情况。全年主动公开政府信息{rng.randint(100, 5000)}条。{licensing_text}"),
            Paragraph(_applications_prose(rng, t, year)),
            Paragraph("（三）政府信息管理情况。严格落实保密审查制度，坚持先审查、后公开。"),
        ],
        "proactive": layout.art20_tables(t.art20),
        "applications": [layout.applications_table(t.applications)],
        "review_litigation": [layout.review_table(t.review_litigation), Paragraph(_review_prose(t))],
        "problems": [
            Paragraph("（一）存在的主要问题。政策解读形式较为单一，信息公开的及时性有待提高。"),
            Paragraph("（二）改进情况。丰富解读形式，加强业务培训，完善信息发布审核机制。"),
        ]
        if t.problems_text is None
        else [Paragraph(t.problems_text)],
        "other": [Paragraph(fee if t.fee_statement else "本年度无其他需要报告的事项。")],
    }


HEADINGS = {
    "overview": ("一、总体情况",),
    "proactive": ("二、主动公开政府信息情况",),
    "applications": ("三、收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请情况"),
    "review_litigation": ("四、政府信息公开行政复议、行政诉讼情况",),
    "problems": ("五、存在的主要问题及改进情况", "五、存在主要问题及改进情况"),
    "other": ("六、其他需要报告的事项",),
}


def _document(rng: random.Random, layout: _Layout, t: Tables, org: str, year: int, published_on: date,
              realism: Realism | None = None) -> Document:
    title = f"{year}年政府信息公开工作年度报告"
    blocks: list[Any] = [Paragraph(org), Paragraph(title)] if rng.random() < 0.5 else [Paragraph(org + title)]
    blocks.append(
        Paragraph(f"本报告根据《中华人民共和国政府信息公开条例》要求编制，统计期限自{year}年1月1日至{year}年12月31日。")
    )
    sections = _section_blocks(rng, layout, t, org, year)
    if realism is not None:
        sections = vary_blocks(sections, t, org, year, realism)
    for sid, content in sections.items():
        if sid in t.omit_sections:
            continue
        blocks.append(Paragraph(rng.choice(HEADINGS[sid])))
        blocks.extend(content)
    blocks += [Paragraph(org), Paragraph(f"{published_on.year}年{published_on.month}月{published_on.day}日")]
    return Document(blocks=blocks, media_type="text/plain", meta={"title": org + title})


def _truth(
    t: Tables, template: Template, org: str, year: int, published_on: date, expected: set[str]
) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "title": f"{org}{year}年政府信息公开工作年度报告",
        "org": org,
        "year": year,
        "template": template.id,
        "published_on": published_on.isoformat(),
        "art20": copy.deepcopy(t.art20),
        "applications": copy.deepcopy(t.applications),
        "review_litigation": copy.deepcopy(t.review_litigation),
        "expected_findings": sorted(expected),
    }


def generate(
    *,
    org: str = "示例市人民政府",
    year: int = 2023,
    template: str = "2021",
    seed: int = 0,
    published_on: date | None = None,
    breaks: tuple[str, ...] = (),
    style: str = "form",
    noisy: bool = False,
    realism: Realism | None = None,
) -> Generated:
    """A report of `org` for `year`: consistent unless `breaks` names rules (keys of BREAKS) to trigger.

    `style` and `noisy` change only how the tables are printed (see portalfarm.report_styles).
    `realism` (portalfarm.realism) chains the tables to last year's and varies the prose (the farm's use).
    """
    rng = random.Random(f"{org}|{year}|{template}|{seed}")
    form = TEMPLATES[template]
    tables = consistent_tables(rng, form)
    if realism is not None:
        realise_tables(tables, form, realism, random.Random(f"{org}|{year}|{template}|{seed}|realism"))
    expected: set[str] = {"S03"} if template == "2019" and year >= FIRST_YEAR_2021 else set()
    for rule in breaks:
        change, triggers = BREAKS[rule]
        change(tables, rng)
        expected |= triggers
    published = published_on or date(year + 1, 1, rng.randint(5, 28))
    layout = _Layout(form)
    document = _document(rng, layout, tables, org, year, published, realism)
    document, cells = restyle(document, layout.cells, style, noisy=noisy, rng=rng)
    return Generated(document, _truth(tables, form, org, year, published, expected), cells)
