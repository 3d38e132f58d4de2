"""A reason for a compliance status: one rule outcome (rules.md id, severity, Chinese message, details)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Reason:
    rule: str
    severity: str  # "error" | "warning" | "info" (a rule that was checked and passed, shown as evidence)
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def discounts_report(self) -> bool:
        """True when the report it is about must not count as the organisation's publication (C03)."""
        return self.details.get("counted") is False

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "message": self.message, **self.details}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reason:
        details = {k: v for k, v in data.items() if k not in ("rule", "severity", "message")}
        return cls(data["rule"], data["severity"], data["message"], details)
