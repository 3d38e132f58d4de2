"""One document model for every format: paragraphs and tables (with spans), in reading order.

Extractors (text, HTML, DOCX, PDF, DOC via LibreOffice, XLS/XLSX) produce a `Document`;
the parser reads only this model, so a format never needs parser changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Cell:
    """A table cell as printed. A merged cell appears once, in the row and column where it starts."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]]
    page: int | None = None


@dataclass(slots=True)
class Paragraph:
    text: str
    page: int | None = None


Block = Paragraph | Table


@dataclass(slots=True)
class Document:
    blocks: list[Block] = field(default_factory=list)
    media_type: str = "text/plain"
    pages: int = 1
    # Metadata the container offered (HTML <title>, <meta name="PubDate">, PDF Title…), best effort.
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """All text in reading order, one block per line (tables row by row, cells tab-separated)."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                lines.extend("\t".join(c.text for c in row) for row in block.rows)
        return "\n".join(lines)
