"""Redraw the national form (crawler.report.templates) with values, raw text and failing cells marked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crawler.report.templates import APPLICANT_COLUMNS, REVIEW_FIELDS, REVIEW_GROUPS, TEMPLATES, Art20Row, Template

RESULTS_GROUP = "三、本年度办理结果"
A01_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass(frozen=True, slots=True)
class Mark:
    """A finding as the form shows it: its number on the page, rule, severity, message, cells."""

    number: int
    rule: str
    severity: str
    message: str
    cells: tuple[str, ...]


@dataclass(slots=True)
class Cell:
    id: str
    value: Any
    raw: str | None
    marks: list[Mark] = field(default_factory=list)

    @property
    def failing(self) -> bool:
        return bool(self.marks)

    @property
    def severity(self) -> str:
        return "error" if any(m.severity == "error" for m in self.marks) else "warning"

    @property
    def text(self) -> str:
        if self.value is None:
            return "—"
        if isinstance(self.value, float) and self.value.is_integer() and "amount" not in self.id:
            return str(int(self.value))
        return str(self.value)


@dataclass(frozen=True, slots=True)
class Head:
    """A header or label cell: text and spans."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(slots=True)
class Line:
    labels: list[Head]
    cells: list[Cell]


@dataclass(slots=True)
class Table:
    key: str
    title: str
    head: list[list[Head]]
    lines: list[Line]
    marks: list[Mark] = field(default_factory=list)  # the findings touching this table, shown beside it


def marks_from(findings: list[dict[str, Any]]) -> list[Mark]:
    return [Mark(i, f["rule"], f.get("severity", "error"), f.get("message", ""), tuple(f.get("cells") or ()))
            for i, f in enumerate(findings, start=1)]


def _cell(cell_id: str, value: Any, raw: dict[str, str], by_cell: dict[str, list[Mark]]) -> Cell:
    return Cell(cell_id, value, raw.get(cell_id), list(by_cell.get(cell_id, ())))


def _art20_tables(template: Template, data: dict[str, Any], raw: dict[str, str],
                  by_cell: dict[str, list[Mark]]) -> list[Table]:
    groups: dict[str, list[Art20Row]] = {}
    for row in template.art20_rows:
        groups.setdefault(row.item, []).append(row)
    tables = []
    art20 = data.get("art20") or {}
    for item, rows in groups.items():
        fields = rows[0].fields
        head = [[Head("信息内容"), *(Head(label) for _, label in fields)]]
        lines = [Line([Head(row.label)],
                      [_cell(f"art20.{row.id}.{fid}", (art20.get(row.id) or {}).get(fid), raw, by_cell)
                       for fid, _ in row.fields]) for row in rows]
        tables.append(Table(f"art20-{len(tables) + 1}", item, head, lines))
    return tables


def _application_labels(template: Template) -> list[list[Head]]:
    rows = template.application_rows
    block = [r for r in rows if r.group is not None]
    labels: list[list[Head]] = []
    seen_groups: set[str] = set()
    for row in rows:
        if row.group is None:
            labels.append([Head(row.label, colspan=3)])
            continue
        cells = [Head(RESULTS_GROUP, rowspan=len(block))] if row is block[0] else []
        if row.group == RESULTS_GROUP:
            cells.append(Head(row.label, colspan=2))
        else:
            if row.group not in seen_groups:
                seen_groups.add(row.group)
                cells.append(Head(row.group, rowspan=sum(1 for r in rows if r.group == row.group)))
            cells.append(Head(row.label))
        labels.append(cells)
    return labels


def _applications_table(template: Template, data: dict[str, Any], raw: dict[str, str],
                        by_cell: dict[str, list[Mark]]) -> Table:
    head = [
        [Head(A01_NOTE, colspan=3, rowspan=3), Head("申请人情况", colspan=len(APPLICANT_COLUMNS))],
        [Head(APPLICANT_COLUMNS[0][1], rowspan=2), Head("法人或其他组织", colspan=len(APPLICANT_COLUMNS) - 2),
         Head(APPLICANT_COLUMNS[-1][1], rowspan=2)],
        [Head(label) for _, label in APPLICANT_COLUMNS[1:-1]],
    ]
    apps = data.get("applications") or {}
    lines = [Line(labels, [_cell(f"applications.{row.id}.{cid}", (apps.get(row.id) or {}).get(cid), raw, by_cell)
                           for cid, _ in APPLICANT_COLUMNS])
             for row, labels in zip(template.application_rows, _application_labels(template), strict=True)]
    return Table("applications", "三、收到和处理政府信息公开申请情况", head, lines)


def _review_table(data: dict[str, Any], raw: dict[str, str], by_cell: dict[str, list[Mark]]) -> Table:
    width = len(REVIEW_FIELDS)
    head = [
        [Head(REVIEW_GROUPS[0][1], colspan=width), Head("行政诉讼", colspan=2 * width)],
        [*(Head(label, rowspan=2) for _, label in REVIEW_FIELDS),
         *(Head(label.split("·")[-1], colspan=width) for _, label in REVIEW_GROUPS[1:])],
        [Head(label) for _ in REVIEW_GROUPS[1:] for _, label in REVIEW_FIELDS],
    ]
    review = data.get("review_litigation") or {}
    cells = [_cell(f"review_litigation.{g}.{f}", (review.get(g) or {}).get(f), raw, by_cell)
             for g, _ in REVIEW_GROUPS for f, _ in REVIEW_FIELDS]
    return Table("review", "四、政府信息公开行政复议、行政诉讼情况", head, [Line([], cells)])


def build_form(data: dict[str, Any], marks: list[Mark], template_id: str | None) -> tuple[list[Table], list[Mark]]:
    """The form's tables with marked cells, and the findings that touch no table cell."""
    template = TEMPLATES.get(template_id or "", TEMPLATES["2021"])
    by_cell: dict[str, list[Mark]] = {}
    for mark in marks:
        for cell_id in mark.cells:
            by_cell.setdefault(cell_id, []).append(mark)
    raw = data.get("raw_cells") or {}
    tables = [*_art20_tables(template, data, raw, by_cell), _applications_table(template, data, raw, by_cell),
              _review_table(data, raw, by_cell)]
    placed: set[int] = set()
    for table in tables:
        ids = {c.id for line in table.lines for c in line.cells}
        table.marks = [m for m in marks if ids.intersection(m.cells)]
        placed.update(m.number for m in table.marks)
    return tables, [m for m in marks if m.number not in placed]
