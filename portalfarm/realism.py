"""What makes a body's generated reports realistic across years and bodies (optional in `portalfarm.generate`).

`Realism` carries last year's printed figures, so this year's tables chain (Y01: 上年结转 = last year's
结转下年度继续办理; Y02: 现行有效 = last year's + 本年制发 − 本年废止), whether the body may make 规章 (C04),
and the keys of its varied prose (`portalfarm.prose`): section 五 keyed by last year's key repeats last
year's text (Y03 on purpose), prose keyed by another body's key copies that body (Y04 on purpose).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from crawler.report.document import Paragraph
from crawler.report.templates import APPLICANT_PARTS, Template
from portalfarm import prose

CHAINED_ROWS = ("rules", "normative_docs")


@dataclass(frozen=True, slots=True)
class Realism:
    carried_over: dict[str, int] | None = None  # last year's printed 结转下年度继续办理 per applicant column
    in_force: dict[str, int] | None = None  # last year's 现行有效件数 (or 对外公开总数量) per CHAINED_ROWS row
    makes_rules: bool = True  # False: 规章 all 0 (only city and province governments make 规章)
    prose: str | None = None  # key of the varied prose; None keeps the fixed wording
    problems: str | None = None  # key of section 五 (default: `prose`)
    assessment: bool = False  # say how 工作考核、社会评议和责任追究 went (T04: governments must)


def previous_figures(truth: dict[str, Any]) -> tuple[dict[str, int] | None, dict[str, int]]:
    """(carried_forward per column, in force per chained row) printed in last year's truth; blanks left out."""
    forward = (truth.get("applications") or {}).get("carried_forward") or {}
    carried = {c: int(forward[c]) for c in APPLICANT_PARTS if isinstance(forward.get(c), int)}
    in_force = {}
    for row in CHAINED_ROWS:
        values = (truth.get("art20") or {}).get(row) or {}
        value = values.get("in_force", values.get("total_public"))
        if isinstance(value, int):
            in_force[row] = value
    return (carried if len(carried) == len(APPLICANT_PARTS) else None), in_force


def _applications(grid: dict[str, dict[str, Any]], template: Template, carried: dict[str, int]) -> None:
    results = [r.id for r in template.result_rows]
    for column in APPLICANT_PARTS:
        over = carried[column]
        total = sum(int(grid[r][column] or 0) for r in results)
        forward = int(grid["carried_forward"][column] or 0)
        if total + forward < over:  # last year's backlog is concluded this year
            grid["granted"][column] = int(grid["granted"][column] or 0) + over - total - forward
            total = over - forward
        grid["results_total"][column] = total
        grid["carried_over"][column] = over
        grid["new_received"][column] = total + forward - over
    for values in grid.values():
        values["total"] = sum(int(values[c] or 0) for c in APPLICANT_PARTS)


def _chained_row(values: dict[str, Any], rng: random.Random, row: str, before: int | None, allowed: bool) -> None:
    """One 规章/规范性文件 row: small yearly counts, a stock that carries over."""
    high = 6 if row == "rules" else 25
    if not allowed:
        made = 0
        repealed = before or 0  # a stock reported by mistake last year is cleared
        stock = 0
    else:
        made = rng.randint(0, high)
        start = before if before is not None else rng.randint(high, high * 8)
        repealed = min(rng.randint(0, high // 2), start + made)
        stock = start + made - repealed
        if row == "rules" and not (made or stock):
            made = stock = 1
    if "in_force" in values:
        values.update(made=made, repealed=repealed, in_force=stock)
    else:  # template 2019: 本年新制作, 本年新公开, 对外公开总数量
        values.update(made=made, published=made, total_public=stock)


def realise_tables(tables: Any, template: Template, realism: Realism, rng: random.Random) -> None:
    """Chain `tables` (portalfarm.generate.Tables, still consistent) to last year's figures."""
    if realism.carried_over is not None:
        _applications(tables.applications, template, realism.carried_over)
    before = realism.in_force or {}
    for row in CHAINED_ROWS:
        if row in tables.art20:
            allowed = realism.makes_rules or row != "rules"
            _chained_row(tables.art20[row], rng, row, before.get(row), allowed)


def vary_blocks(blocks: dict[str, list[Any]], tables: Any, org: str, year: int,
                realism: Realism) -> dict[str, list[Any]]:
    """Replace the fixed wording of 一, 五 and 六 with prose drawn from the realism keys."""
    if realism.prose is None:
        return blocks
    rng = random.Random(f"prose|{realism.prose}")
    out = dict(blocks)
    overview = list(blocks["overview"])
    overview[0] = Paragraph(prose.lead(rng, org, year))
    overview[1] = Paragraph(overview[1].text + prose.proactive(rng))
    overview[3] = Paragraph(prose.management(rng))
    overview += [Paragraph(prose.platforms(rng)),
                 Paragraph(prose.supervision(rng, year, assessment=realism.assessment))]
    out["overview"] = overview
    if tables.problems_text is None:
        five = random.Random(f"prose|{realism.problems or realism.prose}|problems")
        out["problems"] = [Paragraph(p) for p in prose.problems(five, org)]
    out["other"] = [*blocks["other"], *(Paragraph(p) for p in prose.other(rng, year))]  # no fee words: T02 holds
    return out
