"""Where each Cell of a Table sits on the grid, honouring rowspan/colspan (as HTML lays tables out)."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.report.document import Cell, Table


@dataclass(frozen=True, slots=True)
class Placed:
    row: int
    column: int
    cell: Cell


def place(table: Table) -> tuple[list[Placed], int, int]:
    """Cells with their grid row/column, and the grid's (rows, columns)."""
    taken: set[tuple[int, int]] = set()
    placed: list[Placed] = []
    width = 0
    for r, row in enumerate(table.rows):
        column = 0
        for cell in row:
            while (r, column) in taken:
                column += 1
            placed.append(Placed(r, column, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, column + dc))
            column += cell.colspan
            width = max(width, column)
    height = max([len(table.rows), *(p.row + p.cell.rowspan for p in placed)])
    width = max([width, *(c + 1 for _, c in taken)]) if taken else width
    return placed, height, width
