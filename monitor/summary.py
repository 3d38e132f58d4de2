"""Status report for `nianbao status`: counts by status, kind and region, and one row per organisation."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from monitor.decide import STATUSES, OrgStatus
from monitor.evidence import OrgRef

SCHEMA = "nianbao.status/1"
STATUS_LABELS = {"ok": "正常", "inconsistent": "数据不一致", "late": "逾期发布", "missing": "未发布", "not_due": "未到期"}
KIND_LABELS = {"government": "人民政府", "department": "政府部门", "township": "乡镇（街道）"}


def region_of(code: str | None) -> str:
    """The city-level 行政区划代码 an organisation belongs to (first four digits), or 未知."""
    return f"{code[:4]}00" if code and len(code) >= 4 and code[:4].isdigit() else "未知"


def _counts(statuses: list[OrgStatus], orgs: dict[str, OrgRef], key: Any) -> dict[str, dict[str, int]]:
    grouped: dict[str, Counter[str]] = defaultdict(Counter)
    for st in statuses:
        grouped[key(orgs[st.org_id])][st.status] += 1
    return {k: {s: grouped[k][s] for s in STATUSES} for k in sorted(grouped)}


def status_document(statuses: list[OrgStatus], orgs: list[OrgRef], *, year: int, as_of: date) -> dict[str, Any]:
    """The `nianbao status --json` object."""
    by_id = {o.id: o for o in orgs}
    overall = Counter(st.status for st in statuses)
    rows = []
    for st in statuses:
        org = by_id[st.org_id]
        rows.append({"org_id": org.id, "name": org.name, "kind": org.kind, "level": org.level,
                     "region_code": org.region_code, "parent_id": org.parent_id, **st.to_json()})
    return {
        "schema": SCHEMA, "year": year, "as_of": as_of.isoformat(),
        "summary": {"total": len(statuses), "by_status": {s: overall[s] for s in STATUSES},
                    "by_kind": _counts(statuses, by_id, lambda o: o.kind),
                    "by_region": _counts(statuses, by_id, lambda o: region_of(o.region_code))},
        "organisations": rows,
    }


def _headline(row: dict[str, Any]) -> str:
    """The most important reason of a row, for the text table."""
    order = {"error": 0, "warning": 1, "info": 2}
    reasons = sorted(row["reasons"], key=lambda r: order.get(r["severity"], 3))
    return f"{reasons[0]['rule']} {reasons[0]['message']}" if reasons else ""


def status_text(doc: dict[str, Any]) -> str:
    """The human-readable `nianbao status` output."""
    summary = doc["summary"]
    counts = "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in summary["by_status"].items())
    lines = [f"{doc['year']}年度报告合规状态（截至{doc['as_of']}）：共 {summary['total']} 个机构；{counts}"]
    for kind, by_status in summary["by_kind"].items():
        lines.append(f"  {KIND_LABELS.get(kind, kind)}：" + "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in by_status.items() if n))
    for region, by_status in summary["by_region"].items():
        lines.append(f"  地区 {region}：" + "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in by_status.items() if n))
    lines.append("")
    for row in doc["organisations"]:
        lines.append(f"{row['org_id']}\t{row['name']}\t{STATUS_LABELS[row['status']]}\t{_headline(row)}")
    return "\n".join(lines)
