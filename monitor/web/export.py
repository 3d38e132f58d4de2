"""The filtered organisation list as CSV (UTF-8 with BOM, for Excel) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook

from monitor.web.labels import KINDS, LEVELS, STATUS_LABELS
from monitor.web.queries import OrgRow
from monitor.web.templating import problems, reason_text

HEADER = ("机构编号", "机构名称", "类型", "层级", "行政区划代码", "年度", "状态", "原因", "报告标题",
          "发布日期", "错误数", "警告数")


def _line(row: OrgRow, year: int) -> list[object]:
    return [row.id, row.name, KINDS.get(row.kind, row.kind), LEVELS.get(row.level or "", row.level or ""),
            row.region_code or "", year, STATUS_LABELS.get(row.status, row.status),
            "；".join(reason_text(r) for r in problems(row.reasons)), row.title or "",
            row.published_on.isoformat() if row.published_on else "", row.error_count, row.warning_count]


def _safe(value: object) -> object:
    # A cell starting with = + - @ is a formula to spreadsheet programs; names from portals are untrusted.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(rows: Iterable[OrgRow], year: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([_safe(v) for v in _line(row, year)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Iterable[OrgRow], year: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{year}年度")
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append([_safe(v) for v in _line(row, year)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
