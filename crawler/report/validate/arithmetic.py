"""A01–A05: the identities the form prints (declared as data in templates.py) and whole, non-negative counts."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from crawler.report.model import Finding
from crawler.report.templates import NON_COUNT_FIELDS, SIGNED_FIELDS_2019, TEMPLATES, Identity
from crawler.report.validate.cells import View, cell_name
from crawler.report.validate.rule import ERROR, Rule, fmt


@lru_cache(maxsize=16)
def _identity(template_id: str, rule_id: str) -> Identity | None:
    return next((i for i in TEMPLATES[template_id].identities if i.rule == rule_id), None)


@lru_cache(maxsize=512)
def _instance_cells(template_id: str, rule_id: str, instance: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    identity = _identity(template_id, rule_id)
    assert identity is not None
    return identity.cells(instance)


def check_identity(rule: Rule, view: View) -> Iterator[Finding]:
    """One finding per instance (column, row or group) whose two sides differ; blank instances are skipped."""
    template_id = view.template.id
    identity = _identity(template_id, rule.id)
    if identity is None:
        return
    for instance, label in identity.instances:
        left, right = _instance_cells(template_id, rule.id, instance)
        found = [view.values.get(c) for c in (*left, *right)]
        values = [v for v in found if v is not None]
        if len(values) < len(found):
            continue  # S04 reports the blanks
        total_left, total_right = sum(values[: len(left)]), sum(values[len(left) :])
        if total_left != total_right:
            where = f"（{label}{identity.instance_kind}）"
            yield rule.finding(
                f"{where}{identity.left_label}={fmt(total_left)}，{identity.right_label}={fmt(total_right)}，勾稽关系不成立",
                (*left, *right),
            )


def check_counts(rule: Rule, view: View) -> Iterator[Finding]:
    """Counts must be whole and not negative (amounts may be decimals; 2019's 本年增/减 may be negative)."""
    template = view.template
    for cell_id, number in view.cells():
        if number is None or cell_id in NON_COUNT_FIELDS:
            continue
        signed = template.id == "2019" and cell_id.rsplit(".", 1)[1] in SIGNED_FIELDS_2019
        if number < 0 and not signed:
            yield rule.finding(f"{cell_name(template, cell_id)}为{fmt(number)}，件数不能为负数", (cell_id,))
        elif isinstance(number, float) and not number.is_integer():
            yield rule.finding(f"{cell_name(template, cell_id)}为{fmt(number)}，件数应为整数", (cell_id,))


RULES: tuple[Rule, ...] = (
    Rule("A01", ERROR, "各列：第一项+第二项应等于第三项（七）总计+第四项", check_identity),
    Rule("A02", ERROR, "各行：总计应等于自然人与法人或其他组织各列之和", check_identity),
    Rule("A03", ERROR, "各列：第三项（七）总计应等于（一）至（六）之和", check_identity),
    Rule("A04", ERROR, "行政复议、行政诉讼各组：总计应等于维持+纠正+其他+尚未审结", check_identity),
    Rule("A05", ERROR, "件数为负数或不是整数", check_counts),
)
