"""The validator: every one-document rule of rules.md, as records named by id, run over a Report."""

from __future__ import annotations

from crawler.report.model import Finding, Report
from crawler.report.validate import arithmetic, prose, structure
from crawler.report.validate.cells import View
from crawler.report.validate.rule import Rule

RULES: dict[str, Rule] = {rule.id: rule for rule in (*structure.RULES, *arithmetic.RULES, *prose.RULES)}

__all__ = ["RULES", "Rule", "validate"]


def validate(report: Report) -> list[Finding]:
    """All findings for one report, in rule-id order of the catalogue."""
    view = View.of(report)
    return [finding for rule in RULES.values() for finding in rule.run(view)]
