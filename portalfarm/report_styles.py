"""How real documents mangle the national form's tables, applied to a generated report (truth unchanged).

`form` keeps real tables with merged cells. `tabs` expands merged cells into blank grid positions,
one tab row per printed row (seeds 001–003). `flat` is Word's export: a vertically merged cell
leaves a blank cell in each row below it, a horizontally merged one stays one cell, and every cell
is on its own line behind a tab (seeds 000, 004). `noisy` adds what typists and converters do:
full-width digits, padding spaces, group labels broken over two rows (不予 / 公开), blanks printed
as 无 or —, trailing tabs.
"""

from __future__ import annotations

import random

from crawler.report.document import Cell, Document, Paragraph, Table
from crawler.report.extract.grid import place

STYLES = ("form", "tabs", "flat")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
BLANKS = ("/", "—", "无", "")


def _grid(table: Table) -> list[list[Cell]]:
    """The table as a full grid: each merged cell at its start, blank cells where it spans."""
    placed, height, width = place(table)
    grid = [[Cell("") for _ in range(width)] for _ in range(height)]
    for p in placed:
        grid[p.row][p.column] = p.cell
    return grid


def _word_rows(table: Table) -> list[list[Cell]]:
    """Rows as Word exports them: a blank cell under a vertically merged one, horizontal merges kept."""
    placed, height, _ = place(table)
    rows: list[list[Cell]] = []
    for r in range(height):
        covering = sorted((p for p in placed if p.row <= r < p.row + p.cell.rowspan), key=lambda p: p.column)
        rows.append([p.cell if p.row == r else Cell("") for p in covering])
    return rows


def _noisy_text(cell: Cell, rng: random.Random) -> str:
    text = cell.text
    if text == "/":
        return rng.choice(BLANKS)
    if text.lstrip("-").isdigit():
        if rng.random() < 0.3:
            text = text.translate(FULL_WIDTH)
        if rng.random() < 0.3:
            text = rng.choice(("　　", " ", "")) + text + rng.choice((" ", ""))
    return text


def _break_labels(grid: list[list[Cell]], rng: random.Random) -> None:
    """Move the tail of a group label (（三）不予公开) to the blank cell below it, as wrapped text does."""
    for r in range(len(grid) - 1):
        for c, cell in enumerate(grid[r][: len(grid[r + 1])]):
            below = grid[r + 1][c]
            if cell.text.startswith(("（三）", "（四）", "（五）")) and not below.text and rng.random() < 0.5:
                head, tail = cell.text[:-2], cell.text[-2:]
                grid[r][c], grid[r + 1][c] = Cell(head), Cell(tail)


def restyle(
    document: Document, cells: dict[str, Cell], style: str, *, noisy: bool, rng: random.Random
) -> tuple[Document, dict[str, Cell]]:
    """`document` laid out in `style`; returns the new document and the cell map pointing into it."""
    if style == "form" and not noisy:
        return document, cells
    owner = {id(cell): cell_id for cell_id, cell in cells.items()}
    mapped: dict[str, Cell] = {}
    blocks: list[Paragraph | Table] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            blocks.append(block)
            continue
        grid = {"form": lambda t: [list(row) for row in t.rows], "tabs": _grid, "flat": _word_rows}[style](block)
        if noisy and style != "form":
            _break_labels(grid, rng)
        if noisy and style == "tabs" and rng.random() < 0.5:
            grid = [[*row, Cell("")] for row in grid]  # a trailing tab on every line (seed 001)
        rows: list[list[Cell]] = []
        for row in grid:
            new_row = []
            for cell in row:
                new = Cell(
                    _noisy_text(cell, rng) if noisy else cell.text,
                    cell.rowspan if style == "form" else 1,
                    cell.colspan if style == "form" else 1,
                )
                if id(cell) in owner:
                    mapped[owner[id(cell)]] = new
                new_row.append(new)
            rows.append(new_row)
        if style == "flat":
            blocks.extend(Table([[Cell(""), cell] for cell in row]) for row in rows)
        else:
            blocks.append(Table(rows, page=block.page))
    return Document(
        blocks=blocks, media_type=document.media_type, pages=document.pages, meta=dict(document.meta)
    ), mapped
