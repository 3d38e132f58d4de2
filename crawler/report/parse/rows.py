"""Which cells after a row label are its values, when merged columns leave blank cells around them.

A blank that stands for a value looks like a blank left by a merged column. They are told apart by
position: when a row prints exactly as many filled cells as the form has fields there is nothing to
tell; otherwise, in a tab row, the values sit in the same grid columns as in the table's unambiguous
rows of the same shape; in a table flattened to one cell per line, the values follow their label.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from crawler.report.parse.tokens import Token

Shape = tuple[int, int, int]  # (block, cells in the row, values expected)


@dataclass(frozen=True, slots=True)
class RowSpan:
    """A row label and the tokens up to the next row's label."""

    label: Token
    segment: Sequence[Token]
    expected: int

    @property
    def values(self) -> list[Token]:
        return [t for t in self.segment if t.kind == "value"]

    @property
    def filled(self) -> list[Token]:
        return [t for t in self.values if t.raw.strip()]

    @property
    def same_row(self) -> list[Token]:
        """Value cells in the label's own table row."""
        if not self.label.in_table:
            return []
        where = (self.label.block, self.label.row)
        return [t for t in self.values if t.in_table and (t.block, t.row) == where]


def trim(values: list[Token], expected: int) -> list[Token]:
    """Drop blank cells at the ends, while more cells remain than expected."""
    values = list(values)
    while len(values) > expected and not values[0].raw.strip():
        values.pop(0)
    while len(values) > expected and not values[-1].raw.strip():
        values.pop()
    return values[:expected]


def _row_widths(tokens: Sequence[Token]) -> dict[tuple[int, int], int]:
    widths: dict[tuple[int, int], int] = {}
    for t in tokens:
        if t.in_table:
            widths[(t.block, t.row)] = max(widths.get((t.block, t.row), 0), t.col + 1)
    return widths


def resolve(spans: Sequence[RowSpan], tokens: Sequence[Token]) -> list[list[Token]]:
    """The value cells of each row span, in order."""
    widths = _row_widths(tokens)

    def shape(span: RowSpan) -> Shape:
        return span.label.block, widths.get((span.label.block, span.label.row), 0), span.expected

    starts: dict[Shape, Counter[int]] = {}
    for span in spans:
        filled, same = span.filled, span.same_row
        if len(filled) == span.expected and filled and all(t in same for t in filled):
            starts.setdefault(shape(span), Counter())[filled[0].col] += 1
    return [_values(span, starts.get(shape(span))) for span in spans]


def _values(span: RowSpan, starts: Counter[int] | None) -> list[Token]:
    filled = span.filled
    if len(filled) == span.expected:
        return filled
    same = span.same_row
    if len(same) >= span.expected:
        if starts:
            first = starts.most_common(1)[0][0]
            aligned = [t for t in same if first <= t.col < first + span.expected]
            if len(aligned) == span.expected:
                return aligned
        return trim(same, span.expected)
    return span.values[: span.expected]
