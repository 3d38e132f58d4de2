"""Reading a report's cells by canonical id, and naming them in Chinese for messages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from crawler.report.model import Report
from crawler.report.templates import APPLICANT_COLUMNS, REVIEW_FIELDS, REVIEW_GROUPS, TEMPLATES, Template

Number = int | float | None
TABLES = ("art20", "applications", "review_litigation")
TABLE_NAMES = {
    "art20": "第二部分“主动公开政府信息情况”统计表",
    "applications": "第三部分“收到和处理政府信息公开申请情况”统计表",
    "review_litigation": "第四部分“政府信息公开行政复议、行政诉讼情况”统计表",
}


def template_of(report: Report) -> Template:
    """The report's template; reports whose template could not be told are checked as 2021."""
    return TEMPLATES.get(report.template or "2021", TEMPLATES["2021"])


@lru_cache(maxsize=4096)
def split_cell(cell_id: str) -> tuple[str, str, str]:
    """'applications.denied.state_secret.total' -> ('applications', 'denied.state_secret', 'total')."""
    table, rest = cell_id.split(".", 1)
    row, field = rest.rsplit(".", 1)
    return table, row, field


def value(report: Report, cell_id: str) -> Number:
    """The number in a cell, or None when blank, not a number, or absent."""
    table, row, field = split_cell(cell_id)
    found = getattr(report, table).get(row, {}).get(field)
    return found if isinstance(found, int | float) and not isinstance(found, bool) else None


def table_cells(template: Template, table: str) -> tuple[str, ...]:
    """Cell ids of one table, in printed order."""
    return _table_cells(template.id, table)


@lru_cache(maxsize=16)
def _table_cells(template_id: str, table: str) -> tuple[str, ...]:
    return tuple(c for c in _all_cells(template_id) if c.startswith(table + "."))


@lru_cache(maxsize=4)
def _all_cells(template_id: str) -> tuple[str, ...]:
    return tuple(TEMPLATES[template_id].cell_ids())


@dataclass(frozen=True, slots=True)
class View:
    """A report as the rules read it: its template and every template cell's value, looked up once."""

    report: Report
    template: Template
    values: dict[str, Number]

    @classmethod
    def of(cls, report: Report) -> View:
        template = template_of(report)
        return cls(report, template, {c: value(report, c) for c in _all_cells(template.id)})

    def value(self, cell_id: str) -> Number:
        """The number in a cell, or None when blank, not a number, or not in the template."""
        return self.values.get(cell_id)

    def cells(self) -> Iterator[tuple[str, Number]]:
        """Every template cell with its value, in printed order."""
        return iter(self.values.items())


@lru_cache(maxsize=4)
def _names(template_id: str) -> dict[str, str]:
    template = TEMPLATES[template_id]
    names: dict[str, str] = {}
    for r in template.art20_rows:
        for fid, flabel in r.fields:
            names[f"art20.{r.id}.{fid}"] = f"{r.label}·{flabel}"
    for row in template.application_rows:
        label = f"{row.group}{row.label}" if row.group and not row.group.startswith("三、") else row.label
        for cid, clabel in APPLICANT_COLUMNS:
            names[f"applications.{row.id}.{cid}"] = f"{label}·{clabel}"
    for gid, glabel in REVIEW_GROUPS:
        for fid, flabel in REVIEW_FIELDS:
            names[f"review_litigation.{gid}.{fid}"] = f"{glabel}·{flabel}"
    return names


def cell_name(template: Template, cell_id: str) -> str:
    """A cell as a reader finds it on the printed form, e.g. 一、本年新收政府信息公开申请数量·自然人."""
    return _names(template.id).get(cell_id, cell_id)
