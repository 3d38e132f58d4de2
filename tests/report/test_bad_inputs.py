"""Inputs that are not readable reports: each a DocumentError with a Chinese message, and through
`nianbao parse` exit status 2 with one line on stderr, within bounded time and memory."""

from __future__ import annotations

import random
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from crawler.report.document import Document, Paragraph
from crawler.report.extract import MAX_BYTES, extract, read_capped
from nianbao.errors import DocumentError, NeedsOCR, NotAReport, UnreadableDocument
from portalfarm.render import render
from tests.report.formats_support import image_only_pdf, pdf_with_text

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 2 * 1024**3
CLI_TIMEOUT = 60


def _truncated_docx() -> bytes:
    data = render(Document([Paragraph("一、总体情况")] * 50), "docx")
    return data[: len(data) // 2]


BAD_INPUTS: dict[str, tuple[Callable[[], bytes], type[DocumentError]]] = {
    "empty": (lambda: b"", UnreadableDocument),
    "blank": (lambda: b" \r\n\t \n", UnreadableDocument),
    "random-bytes": (lambda: random.Random(7).randbytes(64 * 1024), UnreadableDocument),
    "pdf-not-a-report": (lambda: pdf_with_text(["会议通知", "请各单位于下周一前报送材料。"]), NotAReport),
    "truncated-docx": (_truncated_docx, UnreadableDocument),
    "truncated-pdf": (lambda: pdf_with_text(["某市2023年政府信息公开工作年度报告"])[:300], UnreadableDocument),
    "encrypted-pdf": (lambda: pdf_with_text(["某市2023年政府信息公开工作年度报告"], encrypt="secret"),
                      UnreadableDocument),
    "scanned-pdf": (image_only_pdf, NeedsOCR),
}


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    files = {}
    for name, (make, _) in BAD_INPUTS.items():
        files[name] = folder / f"{name}.{'pdf' if 'pdf' in name else 'docx' if 'docx' in name else 'txt'}"
        files[name].write_bytes(make())
    huge = folder / "huge.pdf"
    with huge.open("wb") as handle:  # 200 MB, sparse: the size check must refuse it before reading
        handle.truncate(200 * 1024 * 1024)
    files["huge"] = huge
    return files


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _parse(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nianbao.cli", "parse", str(path), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=CLI_TIMEOUT, preexec_fn=_limit_memory, check=False)


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_raises_its_document_error(name: str, bad_files: dict[str, Path]) -> None:
    from crawler.report import read_report

    expected = BAD_INPUTS[name][1]
    with pytest.raises(expected) as raised:
        read_report(bad_files[name].read_bytes(), name=bad_files[name].name)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(raised.value))  # a Chinese message


def test_encrypted_pdf_error_names_the_encryption(bad_files: dict[str, Path]) -> None:
    with pytest.raises(UnreadableDocument, match="加密"):
        extract(bad_files["encrypted-pdf"].read_bytes())


def test_scan_is_never_read_as_an_empty_document(bad_files: dict[str, Path]) -> None:
    with pytest.raises(NeedsOCR, match="OCR"):
        extract(bad_files["scanned-pdf"].read_bytes())


def test_pdf_encrypted_without_user_password_is_read() -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = pdf_with_text(["某市2023年政府信息公开工作年度报告"], encrypt=StandardEncryption("", "owner"))
    assert extract(data).blocks[0].text == "某市2023年政府信息公开工作年度报告"


def test_size_is_checked_before_reading(bad_files: dict[str, Path]) -> None:
    with pytest.raises(UnreadableDocument, match="文件过大"):
        read_capped(bad_files["huge"])
    with pytest.raises(UnreadableDocument, match="文件过大"):
        extract(b"x" * (MAX_BYTES + 1))


def test_doc_without_libreoffice_names_it(tmp_path: Path) -> None:
    doc = tmp_path / "report.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + bytes(4096))
    result = subprocess.run([sys.executable, "-m", "nianbao.cli", "parse", str(doc)], cwd=ROOT, capture_output=True,
                            text=True, timeout=CLI_TIMEOUT, env={"PATH": str(tmp_path), "HOME": str(tmp_path)},
                            check=False)
    assert result.returncode == 2
    assert "LibreOffice" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("name", [*sorted(BAD_INPUTS), "huge"])
def test_cli_exits_2_with_one_line(name: str, bad_files: dict[str, Path]) -> None:
    result = _parse(bad_files[name])
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nianbao: "), result.stderr
    assert "Traceback" not in result.stderr
