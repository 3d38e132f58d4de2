"""Every seed, rendered to each format a portal publishes, reads back to the same document and the same truth;
generated consistent reports stay free of arithmetic findings in every format."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.report import read_report
from crawler.report.document import Document, Table
from crawler.report.extract import extract
from crawler.report.extract.lo import shutdown
from portalfarm.generate import generate
from portalfarm.render import render
from tests.conftest import SEEDS
from tests.report.formats_support import differences, shape, truth_of

DIRECT = ("html", "html-gbk", "html-gbk-nometa", "docx", "xlsx")
OFFICE = ("pdf", "doc")  # through LibreOffice
ARITHMETIC = {"A01", "A02", "A03", "A04", "A05"}

needs_office = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


def _name(seed: Path, fmt: str) -> str:
    return f"{seed.stem}.{fmt.split('-')[0]}"


@pytest.fixture(scope="session")
def office() -> Iterator[None]:
    """One LibreOffice for the whole session, stopped at teardown."""
    yield
    shutdown()


@pytest.fixture(scope="session")
def seed_documents() -> dict[str, Document]:
    return {seed.stem: extract(seed.read_bytes(), name=seed.name) for seed in SEEDS}


@pytest.fixture(scope="session")
def office_files(office: None, seed_documents: dict[str, Document]) -> dict[tuple[str, str], bytes]:
    """Each seed rendered once to PDF and DOC."""
    return {(stem, fmt): render(document, fmt) for stem, document in seed_documents.items() for fmt in OFFICE}


@pytest.mark.parametrize("fmt", DIRECT)
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_direct_formats_read_back(seed: Path, fmt: str, seed_documents: dict[str, Document]) -> None:
    document = seed_documents[seed.stem]
    data = render(document, fmt)
    if fmt != "xlsx":  # a sheet cannot tell a one-cell table row from a paragraph
        assert shape(extract(data, name=_name(seed, fmt))) == shape(document)
    got = read_report(data, name=_name(seed, fmt)).to_json()
    assert differences(got, truth_of(seed.with_suffix(".truth.json"))) == []


@needs_office
@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", OFFICE)
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_office_formats_read_back(seed: Path, fmt: str, seed_documents: dict[str, Document],
                                       office_files: dict[tuple[str, str], bytes]) -> None:
    data = office_files[(seed.stem, fmt)]
    assert data.startswith(b"%PDF" if fmt == "pdf" else b"\xd0\xcf\x11\xe0")
    assert shape(extract(data, name=_name(seed, fmt))) == shape(seed_documents[seed.stem])
    got = read_report(data, name=_name(seed, fmt)).to_json()
    assert differences(got, truth_of(seed.with_suffix(".truth.json"))) == []


@needs_office
@pytest.mark.libreoffice
def test_rendered_pdf_has_rulings_and_embedded_cjk_fonts(office_files: dict[tuple[str, str], bytes]) -> None:
    import pypdfium2 as pdfium

    from crawler.report.extract.pdfium_page import read_page

    data = office_files[(SEEDS[1].stem, "pdf")]
    assert b"NotoSerifCJK" in data or b"NotoSansCJK" in data
    pdf = pdfium.PdfDocument(data)
    try:
        assert any(len(read_page(pdf.raw, i).segments) > 20 for i in range(len(pdf)))
    finally:
        pdf.close()


@needs_office
@pytest.mark.libreoffice
def test_doc_conversion_reuses_one_libreoffice(office_files: dict[tuple[str, str], bytes]) -> None:
    data = office_files[(SEEDS[1].stem, "doc")]
    extract(data, name="a.doc")
    started = time.perf_counter()
    for _ in range(3):
        extract(data, name="a.doc")
    assert (time.perf_counter() - started) / 3 < 1.5  # ~0.2 s once LibreOffice runs; a fresh soffice takes seconds


@pytest.fixture(scope="session")
def browser_pdfs(tmp_path_factory: pytest.TempPathFactory, seed_documents: dict[str, Document]) -> dict[str, bytes]:
    """Seeds 001-003 as a portal page printed to PDF by headless Chromium (another PDF producer)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed")
    folder = tmp_path_factory.mktemp("printed")
    out = {}
    for seed in SEEDS[1:4]:
        page, pdf = folder / f"{seed.stem}.html", folder / f"{seed.stem}.pdf"
        page.write_bytes(render(seed_documents[seed.stem], "html"))
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={folder / 'profile'}",
                        "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
                       capture_output=True, timeout=120, check=False)
        out[seed.stem] = pdf.read_bytes()
    return out


@pytest.mark.browser
@pytest.mark.parametrize("seed", SEEDS[1:4], ids=lambda p: p.stem[:3])
def test_browser_printed_pdf_reads_to_truth(seed: Path, browser_pdfs: dict[str, bytes]) -> None:
    # Browsers leave a row cut by a page break open (no ruling at the break); the extractor closes it.
    got = read_report(browser_pdfs[seed.stem], name=f"{seed.stem}.pdf").to_json()
    assert differences(got, truth_of(seed.with_suffix(".truth.json"))) == []


@needs_office
@pytest.mark.libreoffice
def test_wps_file_with_word_inside_reads_as_the_doc(office_files: dict[tuple[str, str], bytes],
                                                    seed_documents: dict[str, Document]) -> None:
    data = office_files[(SEEDS[2].stem, "doc")]
    document = extract(data, name="年度报告.wps", media_type="application/kswps")
    assert document.media_type == "application/vnd.ms-works"
    assert shape(document) == shape(seed_documents[SEEDS[2].stem])


@needs_office
@pytest.mark.libreoffice
def test_header_row_repeated_on_each_page_is_read_once(office: None) -> None:
    import docx
    from docx.oxml import OxmlElement

    from crawler.report.extract.lo import shared_office

    out = docx.Document()
    table = out.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("信息内容", "本年处理决定数量", "备注")):
        cell.text = text
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # 重复标题行
    for number in range(70):
        for cell, text in zip(table.add_row().cells, (f"第{number}项", str(number), "")):
            cell.text = text
    buffer = io.BytesIO()
    out.save(buffer)
    document = extract(shared_office().convert(buffer.getvalue(), src_ext="docx", dst_ext="pdf"))
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert document.pages >= 2 and len(tables) == 1
    assert [[c.text for c in row] for row in tables[0].rows][:2] == [["信息内容", "本年处理决定数量", "备注"],
                                                                    ["第0项", "0", ""]]
    assert len(tables[0].rows) == 71


@needs_office
@pytest.mark.libreoffice
def test_conversion_is_bounded_in_time_and_recovers(office_files: dict[tuple[str, str], bytes]) -> None:
    from crawler.report.extract.lo import shared_office
    from nianbao.errors import UnreadableDocument

    data = office_files[(SEEDS[1].stem, "doc")]
    with pytest.raises(UnreadableDocument, match="超时"):
        shared_office().convert(data, src_ext="doc", dst_ext="docx", timeout=0.001)
    assert extract(data, name="a.doc").blocks  # a fresh LibreOffice replaces the one that was stopped


@needs_office
@pytest.mark.libreoffice
@pytest.mark.parametrize(("seed", "template", "year"), [(1, "2021", 2023), (2, "2019", 2020)])
def test_generated_consistent_reports_have_no_arithmetic_finding(office: None, seed: int, template: str,
                                                                 year: int) -> None:
    generated = generate(seed=seed, template=template, year=year)
    for fmt in ("html-gbk-nometa", "docx", "xlsx", "xls", *OFFICE):
        got = read_report(render(generated.document, fmt), name=f"generated.{fmt.split('-')[0]}").to_json()
        assert {f["rule"] for f in got["findings"]} & ARITHMETIC == set(), fmt
        assert got["applications"] == generated.truth["applications"], fmt
        assert got["review_litigation"] == generated.truth["review_litigation"], fmt
