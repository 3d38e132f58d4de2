"""Change one printed cell of a consistent report: the identities through that cell break, naming it.

Done on seed 000 (a real report, one cell per line) and on a generated report of each template,
through the whole pipeline: Document -> text bytes -> extract -> parse -> validate.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crawler.report import read_report
from crawler.report.document import Cell, Document, Table
from crawler.report.extract import extract
from crawler.report.model import Report
from crawler.report.parse import locate
from crawler.report.templates import TEMPLATES, Template
from crawler.report.validate.cells import value
from portalfarm.generate import generate
from tests.conftest import SEEDS

ARITHMETIC = {"A01", "A02", "A03", "A04"}


def identity_rules(template: Template) -> dict[str, set[str]]:
    """Cell id -> the rules of every identity instance it takes part in (from the declared identities)."""
    rules: dict[str, set[str]] = {}
    for identity in template.identities:
        for instance, _ in identity.instances:
            left, right = identity.cells(instance)
            for cell in (*left, *right):
                rules.setdefault(cell, set()).add(identity.rule)
    return rules


def _read(document: Document) -> Report:
    return read_report(document.text.encode("utf-8"), name="mutated.txt")


def _cases() -> Iterator[tuple[str, Document, dict[str, Cell], Template]]:
    seed = next(s for s in SEEDS if s.name.startswith("000"))
    document = extract(seed.read_bytes())
    where = locate(document)
    cells = {}
    for cell_id, (block, row, col) in where.items():
        table = document.blocks[block]
        assert isinstance(table, Table)
        cells[cell_id] = table.rows[row][col]
    yield "seed000", document, cells, TEMPLATES["2021"]
    for template, year, style, noisy in (
        ("2021", 2023, "form", False),
        ("2019", 2020, "form", False),
        ("2021", 2022, "flat", True),
        ("2019", 2019, "tabs", False),
        ("2021", 2024, "tabs", True),
    ):
        generated = generate(template=template, year=year, seed=7, style=style, noisy=noisy)
        name = f"generated{template}-{style}{'-noisy' if noisy else ''}"
        yield name, generated.document, generated.cells, TEMPLATES[template]


CASES = list(_cases())


@pytest.fixture(params=CASES, ids=[c[0] for c in CASES])
def case(request: pytest.FixtureRequest) -> tuple[str, Document, dict[str, Cell], Template]:
    return request.param


def test_every_template_cell_is_located(case: tuple[str, Document, dict[str, Cell], Template]) -> None:
    _, document, cells, template = case
    assert set(cells) == set(template.cell_ids())
    assert not {f.rule for f in _read(document).findings} & ARITHMETIC


def test_changing_one_cell_breaks_exactly_its_identities(case: tuple[str, Document, dict[str, Cell], Template]) -> None:
    _, document, cells, template = case
    involved = identity_rules(template)
    for cell_id, rules in involved.items():
        cell = cells[cell_id]
        original = cell.text
        cell.text = str(int(original) + 3)
        try:
            report = _read(document)
        finally:
            cell.text = original
        fired = {f.rule for f in report.findings} & ARITHMETIC
        assert fired == rules, cell_id
        for rule in rules:
            assert any(cell_id in f.cells for f in report.findings if f.rule == rule), (cell_id, rule)


def test_blanking_one_cell_gives_null_and_s04_never_a_sum(
    case: tuple[str, Document, dict[str, Cell], Template],
) -> None:
    _, document, cells, template = case
    for cell_id in template.cell_ids():
        cell = cells[cell_id]
        original = cell.text
        cell.text = "—" if cell_id.endswith("total") else ""
        try:
            report = _read(document)
        finally:
            cell.text = original
        assert value(report, cell_id) is None, cell_id
        s04 = [f for f in report.findings if f.rule == "S04"]
        assert len(s04) == 1 and s04[0].cells == (cell_id,), cell_id
        assert not {f.rule for f in report.findings} & ARITHMETIC, cell_id
