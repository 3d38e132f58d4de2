"""A rule is a record named by its rules.md id: severity, what it checks, and the check itself."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crawler.report.model import Finding
from crawler.report.validate.cells import View

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: str
    summary: str  # Chinese, as shown to supervisors next to the id
    check: Callable[[Rule, View], Iterable[Finding]]

    def run(self, view: View) -> list[Finding]:
        """This rule's findings for one report."""
        return list(self.check(self, view))

    def finding(self, message: str, cells: Iterable[str] = ()) -> Finding:
        """A finding of this rule."""
        return Finding(self.id, self.severity, message, tuple(cells))


def fmt(number: int | float | None) -> str:
    """A number as printed in a message (6 not 6.0; 空 for none)."""
    if number is None:
        return "空"
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)
