"""Publication deadlines by organisation kind (rules.md, 条例 art. 49), with per-org MM-DD overrides."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class KindDeadline:
    """The deadline for a report on year Y is (Y+1)-month-day."""

    kind: str
    month: int
    day: int
    label: str


KIND_DEADLINES: dict[str, KindDeadline] = {
    d.kind: d
    for d in (
        KindDeadline("department", 1, 31, "县级以上人民政府部门：次年1月31日前"),
        KindDeadline("government", 3, 31, "县级以上地方人民政府：次年3月31日前"),
        KindDeadline("township", 1, 31, "乡镇人民政府、街道办事处：次年1月31日前（省级另有规定的除外）"),
    )
}
FALLBACK_KIND = "department"


def parse_override(value: str | None) -> tuple[int, int] | None:
    """`MM-DD` as (month, day); None when absent or malformed (the registry import reports bad values)."""
    if not value:
        return None
    parts = value.strip().split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    month, day = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    return month, day


def _clamped(year: int, month: int, day: int) -> date:
    """A date, with day clamped to the month's length (an override of 02-29 in a common year)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def deadline_for(*, kind: str, year: int, override: str | None = None) -> date:
    """The last day on which the report for `year` counts as published on time."""
    return _deadline(kind, year, override)


@lru_cache(maxsize=4096)
def _deadline(kind: str, year: int, override: str | None) -> date:
    parsed = parse_override(override)
    if parsed is not None:
        return _clamped(year + 1, *parsed)
    rule = KIND_DEADLINES.get(kind, KIND_DEADLINES[FALLBACK_KIND])
    return _clamped(year + 1, rule.month, rule.day)
