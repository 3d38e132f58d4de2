"""Attachments behind detail pages come in every format portals use, with matching bytes and media type."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from portalfarm import Farm, FarmSpec
from portalfarm.cache import default_root
from tests.farm.conftest import fetch

MAGIC = {"docx": b"PK", "xlsx": b"PK", "pdf": b"%PDF", "doc": b"\xd0\xcf\x11\xe0"}


@pytest.fixture(scope="module")
def office_farm() -> Iterator[Farm]:
    """A farm with the on-disk render cache: PDF and DOC renderings survive between runs."""
    with Farm(FarmSpec.generate(7, 12), cache_dir=default_root()).running() as farm:
        yield farm


def _one_per_format(farm: Farm, formats: tuple[str, ...]) -> dict[str, tuple[str, str, str]]:
    """format -> (portal id, detail path, attachment path) of a clean generated report."""
    found: dict[str, tuple[str, str, str]] = {}
    for portal in farm.spec.portals:
        faulty = {f.path for f in portal.faults}
        for report in portal.reports:
            if report.fmt in formats and report.attachment_path and report.source == "generated" \
                    and not faulty & {report.detail_path, report.attachment_path}:
                found.setdefault(report.fmt, (portal.id, report.detail_path, report.attachment_path))
    return found


def _check(farm: Farm, fmt: str, portal_id: str, detail: str, attachment: str) -> None:
    page = fetch(farm.url(portal_id, detail)).body
    assert "附件".encode("gbk") in page or "附件".encode() in page
    got = fetch(farm.url(portal_id, attachment), timeout=90)  # a first PDF/DOC rendering takes seconds
    assert got.status == 200 and got.body.startswith(MAGIC[fmt])
    assert got.headers["Content-Type"] == {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                           "pdf": "application/pdf", "doc": "application/msword"}[fmt]


def test_docx_and_xlsx_attachments(office_farm: Farm) -> None:
    found = _one_per_format(office_farm, ("docx", "xlsx"))
    assert set(found) == {"docx", "xlsx"}
    for fmt, where in found.items():
        _check(office_farm, fmt, *where)


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")
def test_pdf_and_doc_attachments(office_farm: Farm) -> None:
    found = _one_per_format(office_farm, ("pdf", "doc"))
    assert set(found) == {"pdf", "doc"}
    for fmt, where in found.items():
        _check(office_farm, fmt, *where)
