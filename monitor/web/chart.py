"""Geometry for the server-side SVG charts (the markup is in templates/_chart.html)."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.web.labels import STATUS_LABELS

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 96
BAR_WIDTH = 260


@dataclass(frozen=True, slots=True)
class Bar:
    status: str
    label: str
    count: int
    y: int
    width: float
    percent: float


@dataclass(frozen=True, slots=True)
class BarChart:
    bars: list[Bar]
    height: int
    width: int = LABEL_WIDTH + BAR_WIDTH + 80
    label_width: int = LABEL_WIDTH


def status_chart(counts: dict[str, int]) -> BarChart:
    """One horizontal bar per status, scaled to the largest count."""
    top = max(counts.values(), default=0) or 1
    total = sum(counts.values()) or 1
    bars = [Bar(status, STATUS_LABELS.get(status, status), n, i * (BAR_HEIGHT + GAP),
                round(BAR_WIDTH * n / top, 1), round(100 * n / total, 1))
            for i, (status, n) in enumerate(counts.items())]
    return BarChart(bars, max(1, len(bars) * (BAR_HEIGHT + GAP) - GAP))
