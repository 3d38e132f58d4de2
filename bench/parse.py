"""`python -m bench parse [--repeat N]`: read_report over the seeds in every format, and PDFs beside a plain
pdfplumber `extract_tables()` baseline, in the same run. Prints median ms per report and per page."""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crawler.report import read_report
from crawler.report.document import Document
from crawler.report.extract import extract
from crawler.report.extract.lo import shutdown

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FORMATS = ("txt", "html", "html-gbk-nometa", "docx", "xlsx", "pdf", "doc")


@dataclass(slots=True)
class Sample:
    label: str
    fmt: str
    data: bytes
    pages: int
    seed: bool = True  # one of the seeds (reports with truth), not an extra PDF


def _median_ms(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds (CPU time is what a shared, loaded machine distorts least)."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _samples() -> list[Sample]:
    from portalfarm.render import render

    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    documents = [extract(seed.read_bytes(), name=seed.name) for seed in seeds]
    samples = []
    for seed, document in zip(seeds, documents):
        for fmt in FORMATS:
            data = seed.read_bytes() if fmt == "txt" else render(document, fmt)
            pages = extract(data, name=f"x.{fmt.split('-')[0]}").pages if fmt == "pdf" else 1
            samples.append(Sample(seed.stem[:3], fmt, data, pages))
    real = (SHARED / "real" / "huaian-2024.pdf").read_bytes()
    samples.append(Sample("huaian-2024 (real)", "pdf", real, extract(real).pages, seed=False))
    long_document = Document(blocks=[b for _ in range(2) for d in documents for b in d.blocks])
    long_pdf = render(long_document, "pdf")
    samples.append(Sample("10 reports in one PDF", "pdf", long_pdf, extract(long_pdf).pages, seed=False))
    return samples


def _plumber(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()


def _read(sample: Sample) -> Callable[[], object]:
    name = f"x.{sample.fmt.split('-')[0]}"
    return lambda: read_report(sample.data, name=name)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench parse")
    parser.add_argument("--repeat", type=int, default=5, help="runs per document (median taken)")
    args = parser.parse_args(argv)
    try:
        print("准备样本（LibreOffice 渲染 PDF/DOC）…", file=sys.stderr)
        samples = _samples()
        _read(samples[0])()  # imports and the LibreOffice start are not what is measured
        print("read_report (extract + parse + validate), median over the seeds; CPU ms in brackets")
        print(f"{'format':<16}{'reports':>8}{'ms/report':>20}{'ms/page':>18}")
        by_format: dict[str, list[tuple[tuple[float, float], int]]] = {}
        for sample in samples:
            if sample.seed:
                by_format.setdefault(sample.fmt, []).append((_median_ms(_read(sample), args.repeat), sample.pages))
        for fmt, runs in by_format.items():
            report = [statistics.median(ms[i] for ms, _ in runs) for i in (0, 1)]
            page = [statistics.median(ms[i] / pages for ms, pages in runs) for i in (0, 1)]
            print(f"{fmt:<16}{len(runs):>8}{report[0]:>11.1f} [{report[1]:>6.1f}]{page[0]:>9.2f} [{page[1]:>6.2f}]")
        _pdf_side_by_side(samples, args.repeat)
    finally:
        shutdown()
    return 0


def _pdf_side_by_side(samples: list[Sample], repeat: int) -> None:
    print("\nPDF ms/page, wall [CPU]: nianbao read_report, its extraction alone, plain pdfplumber extract_tables()")
    print(f"{'PDF':<24}{'pages':>6}{'read_report':>20}{'extract only':>20}{'pdfplumber':>20}{'speed-up':>10}")
    for sample in (s for s in samples if s.fmt == "pdf"):
        full = [ms / sample.pages for ms in _median_ms(_read(sample), repeat)]
        only = [ms / sample.pages for ms in _median_ms(lambda: extract(sample.data), repeat)]
        plumber = [ms / sample.pages for ms in _median_ms(lambda: _plumber(sample.data), max(1, repeat // 2))]
        label = f"seed {sample.label}" if sample.seed else sample.label
        print(f"{label:<24}{sample.pages:>6}" + "".join(f"{v[0]:>11.2f} [{v[1]:>6.2f}]" for v in (full, only, plumber))
              + f"{plumber[1] / full[1]:>9.1f}×")
