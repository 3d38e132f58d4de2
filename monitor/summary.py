"""Output of `nianbao status`: counts by status, kind and region, and one entry per organisation."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any, TextIO

from monitor.decide import STATUSES
from monitor.status_view import StatusView, ViewRow, row_json

SCHEMA = "nianbao.status/1"
_CHUNK = 1000  # organisations per write
STATUS_LABELS = {
    "ok": "正常",
    "inconsistent": "数据不一致",
    "late": "逾期发布",
    "missing": "未发布",
    "not_due": "未到期",
}
KIND_LABELS = {"government": "人民政府", "department": "政府部门", "township": "乡镇（街道）"}


def region_of(code: str | None) -> str:
    """The city-level 行政区划代码 an organisation belongs to (first four digits + 00), or 未知."""
    return f"{code[:4]}00" if code and len(code) >= 4 and code[:4].isdigit() else "未知"


def _nested(counts: Counter[tuple[str, str]]) -> dict[str, dict[str, int]]:
    groups = sorted({g for g, _ in counts})
    return {g: {s: counts[(g, s)] for s in STATUSES} for g in groups}


def summary(view: StatusView) -> dict[str, Any]:
    """Counts by status, by kind and by city-level region."""
    regions: dict[str | None, str] = {}
    by_kind: Counter[tuple[str, str]] = Counter()
    by_region: Counter[tuple[str, str]] = Counter()
    for row in view.rows:
        code = row.org.region_code
        region = regions.get(code) or regions.setdefault(code, region_of(code))
        by_kind[(row.org.kind, row.status)] += 1
        by_region[(region, row.status)] += 1
    overall = Counter(row.status for row in view.rows)
    return {
        "total": len(view.rows),
        "by_status": {s: overall[s] for s in STATUSES},
        "by_kind": _nested(by_kind),
        "by_region": _nested(by_region),
    }


def _chunks(rows: list[ViewRow]) -> Iterator[list[ViewRow]]:
    """Rows in pieces, written one at a time: one 20 MB string costs more than building it."""
    for start in range(0, len(rows), _CHUNK):
        yield rows[start : start + _CHUNK]


def write_json(view: StatusView, out: TextIO) -> None:
    """The `nianbao status --json` document: schema, year, as_of, summary, organisations."""
    head = {
        "schema": SCHEMA,
        "year": view.year,
        "as_of": view.as_of.isoformat(),
        "recomputed": view.recomputed,
        "summary": summary(view),
    }
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "organisations": [')
    for i, rows in enumerate(_chunks(view.rows)):
        out.write((", " if i else "") + ", ".join(row_json(row) for row in rows))
    out.write("]}\n")


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _headline(reasons_json: str) -> str:
    """The most important reason of a row (the first of the most severe), for the text table."""
    reasons = json.loads(reasons_json)
    if not reasons:
        return ""
    top = min(reasons, key=lambda r: _SEVERITY_ORDER.get(r["severity"], 3))
    return f"{top['rule']} {top['message']}"


def _line(label: str, by_status: dict[str, int]) -> str:
    return f"  {label}：" + "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in by_status.items() if n)


def _text_row(r: ViewRow) -> str:
    return f"{r.org.id}\t{r.org.name}\t{STATUS_LABELS[r.status]}\t{_headline(r.reasons_json)}\n"


def write_text(view: StatusView, out: TextIO) -> None:
    """The human-readable `nianbao status` output: summary lines, then one line per organisation."""
    total = summary(view)
    counts = "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in total["by_status"].items())
    lines = [f"{view.year}年度报告合规状态（截至{view.as_of}）：共 {total['total']} 个机构；{counts}"]
    lines += [_line(KIND_LABELS.get(k, k), v) for k, v in total["by_kind"].items()]
    lines += [_line(f"地区 {k}", v) for k, v in total["by_region"].items()]
    lines.append("")
    out.write("\n".join(lines) + "\n")
    for rows in _chunks(view.rows):
        out.write("".join(_text_row(r) for r in rows))
