"""The seam between the farm and report content: what bytes a report is, and what truth it has.

Content comes from the seeds (verbatim for their own bodies, re-issued for others, see
`seedtext`), `portalfarm.generate` and the real PDF; formats other than inline HTML and text need
`portalfarm.render.render(document, fmt)` and are offered only once that module exists.
"""

from __future__ import annotations

import hashlib
import html
import importlib
import importlib.util
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any

from crawler.report.document import Document, Paragraph
from portalfarm import seedtext
from portalfarm.cache import RenderCache
from portalfarm.spec import FarmSpec, Org, Report
from portalfarm.stable import stable

MEDIA_TYPES: dict[str, str] = {
    "html": "text/html",
    "txt": "text/plain",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
}
ATTACHMENT_FORMATS = ("pdf", "docx", "doc", "xlsx")


@dataclass(frozen=True, slots=True)
class Content:
    """A report's body: `data` is the attachment file, or for inline reports the UTF-8 HTML fragment."""

    data: bytes
    media_type: str
    truth: dict[str, Any] | None


def _render_module() -> Any | None:
    if importlib.util.find_spec("portalfarm.render") is None:
        return None
    return importlib.import_module("portalfarm.render")


def attachment_formats() -> tuple[str, ...]:
    """Attachment formats the farm can produce now (none until portalfarm.render exists)."""
    module = _render_module()
    if module is None:
        return ()
    offered = getattr(module, "FORMATS", ATTACHMENT_FORMATS)
    return tuple(f for f in ATTACHMENT_FORMATS if f in offered)


def seed_truth(source: str) -> dict[str, Any]:
    return seedtext.source_truth(source)


def target_for(spec: FarmSpec, org: Org, year: int) -> seedtext.Target:
    parent = spec.orgs.get(org.parent_id or "")
    short = org.aliases[0] if org.kind == "government" else (org.aliases[-1] if org.aliases else org.name)
    place_org = org if org.kind == "government" else parent
    place = place_org.aliases[0] if place_org and place_org.aliases else org.name
    host = spec.portal(org.portal_id).host
    return seedtext.Target(org.name, short, place, f"https://{host}/", year)


def has_generator() -> bool:
    return importlib.util.find_spec("portalfarm.generate") is not None


def _correction(report: Report) -> str:
    on = report.modified_on
    assert on is not None
    return f"（本报告于{on.year}年{on.month}月{on.day}日更正，第{report.version}版。）"


def earlier_report(spec: FarmSpec, report: Report, *, last_year: bool = False) -> Report | None:
    """The body's report for the nearest earlier year (only year − 1 when `last_year`), newest listed first."""
    own = [r for r in spec.portal_of(report.org_id).reports if r.org_id == report.org_id and r.year < report.year]
    if not own:
        return None
    year = max(r.year for r in own)
    return next(r for r in own if r.year == year) if not last_year or year == report.year - 1 else None


def prose_keys(spec: FarmSpec, report: Report, depth: int = 0) -> tuple[str, str]:
    """(prose key, section 五 key) of a generated report: its own, its source's (Y04), last year's 五 (Y03)."""
    own = f"{spec.seed}:{report.org_id}:{report.year}"
    if depth > 8:
        return own, own
    if report.copy_of:
        source = next((r for r in spec.portal_of(report.copy_of).reports
                       if r.org_id == report.copy_of and r.year == report.year and r.source == "generated"), None)
        if source is not None:
            return prose_keys(spec, source, depth + 1)
    if "Y03" in report.cross:
        before = earlier_report(spec, report, last_year=True)
        if before is not None and before.source == "generated":
            return own, prose_keys(spec, before, depth + 1)[1]
    return own, own


def _truth_of(spec: FarmSpec, report: Report) -> dict[str, Any]:
    if report.source.startswith("real:"):
        return seedtext.source_truth(report.source)
    return report_text(spec, report)[1]


def realism_for(spec: FarmSpec, report: Report) -> Any:
    """What chains a generated report to the body's earlier one and varies its prose (portalfarm.realism)."""
    from portalfarm.realism import Realism, previous_figures

    org = spec.orgs[report.org_id]
    before = earlier_report(spec, report)
    carried, in_force = previous_figures(_truth_of(spec, before)) if before is not None else (None, {})
    prose, problems = prose_keys(spec, report)
    return Realism(carried_over=carried, in_force=in_force,
                   makes_rules=org.kind == "government" and org.level in ("city", "province") or "C04" in report.cross,
                   prose=prose, problems=problems, assessment=org.kind == "government" and "T04" not in report.cross)


def _generated(spec: FarmSpec, report: Report) -> tuple[Document, dict[str, Any]]:
    module = importlib.import_module("portalfarm.generate")
    breaks = report.breaks or (() if report.consistent else ("A01",))
    made = module.generate(org=spec.orgs[report.org_id].name, year=report.year, template=report.template,
                           seed=report.variant, published_on=report.published_on, breaks=breaks,
                           realism=realism_for(spec, report))
    document: Document = made.document
    if report.version > 1 and report.modified_on is not None:
        document = Document(blocks=[*document.blocks, Paragraph(_correction(report))], media_type=document.media_type,
                            pages=document.pages, meta=dict(document.meta))
    return document, dict(made.truth)


def _reissued(spec: FarmSpec, report: Report) -> tuple[str, dict[str, Any]]:
    org = spec.orgs[report.org_id]
    target = target_for(spec, org, report.year)
    if report.source.startswith("seed:"):
        stem = report.source.split(":", 1)[1]
        text, truth = seedtext.seed_text(stem), seedtext.source_truth(report.source)
        if not report.consistent:
            delta = 1 + report.variant % 5
            text, truth = seedtext.perturb(text, delta), seedtext.rewrite_truth(truth, stem, target, delta)
    else:
        stem, perturbed = seedtext.pick_seed(org.kind, report.consistent, report.variant)
        text, truth = seedtext.issue(stem, target, 1 + report.variant % 5 if perturbed else 0)
    if report.version > 1 and report.modified_on is not None:
        text += "\n\n" + _correction(report) + "\n"
    return text, truth


def report_text(spec: FarmSpec, report: Report) -> tuple[str | Document, dict[str, Any]]:
    """(plain text or Document, truth) of a seeded or generated report, in its current version."""
    body: str | Document
    if report.source == "generated":
        body, truth = _generated(spec, report)
    else:
        body, truth = _reissued(spec, report)
    truth["source"] = report.source
    return body, truth


def document_html(document: Document) -> str:
    """A CMS editor's HTML for a Document: paragraphs and tables with their merged cells."""
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            out.append(f'<p style="text-indent:2em;">{html.escape(block.text)}</p>')
            continue
        rows = []
        for row in block.rows:
            cells = "".join(
                f"<td{_spans(c.rowspan, c.colspan)}>{html.escape(c.text)}</td>" for c in row)
            rows.append(f"<tr>{cells}</tr>")
        out.append('<table border="1" cellspacing="0" cellpadding="0">' + "".join(rows) + "</table>")
    return "\n".join(out)


def _spans(rowspan: int, colspan: int) -> str:
    return (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")


def text_to_html(text: str) -> str:
    """A CMS editor's HTML for a text report: paragraphs, and tab-separated runs as tables."""
    out: list[str] = []
    rows: list[str] = []
    for line in text.splitlines():
        if "\t" in line:
            cells = "".join(f"<td>{html.escape(c.strip())}</td>" for c in line.split("\t"))
            rows.append(f"<tr>{cells}</tr>")
            continue
        if rows:
            out.append('<table border="1" cellspacing="0" cellpadding="0">' + "".join(rows) + "</table>")
            rows = []
        if line.strip():
            out.append(f'<p style="text-indent:2em;">{html.escape(line.strip())}</p>')
    if rows:
        out.append('<table border="1" cellspacing="0" cellpadding="0">' + "".join(rows) + "</table>")
    return "\n".join(out)


def _rendered(body: str | Document, fmt: str) -> bytes:
    module = _render_module()
    if module is None:
        raise LookupError(f"format {fmt} needs portalfarm.render")
    data: bytes = module.render(_as_document(body), fmt)
    return data


def _as_document(body: str | Document) -> Document:
    if isinstance(body, Document):
        return body
    from crawler.report.extract import text as text_extract

    return text_extract.extract(body.encode("utf-8"))


def _renderer_version() -> str:
    module = _render_module()
    source = Path(module.__file__).read_bytes() if module is not None and module.__file__ else b""
    return hashlib.sha256(source).hexdigest()[:16]


def content(spec: FarmSpec, report: Report, cache: RenderCache | None = None) -> Content:
    """What the farm serves for `report`: its file, or the HTML fragment of an inline report."""
    if report.source.startswith("real:"):
        stem = report.source.split(":", 1)[1]
        return Content(seedtext.real_bytes(stem), MEDIA_TYPES["pdf"], seedtext.source_truth(report.source))
    body, truth = report_text(spec, report)
    if report.fmt == "html":
        fragment = text_to_html(body) if isinstance(body, str) else document_html(body)
        return Content(fragment.encode("utf-8"), MEDIA_TYPES["html"], truth)
    if report.fmt == "txt":
        text = body if isinstance(body, str) else body.text + "\n"
        return Content(text.encode("utf-8"), MEDIA_TYPES["txt"], truth)
    document = _as_document(body)
    key = (report.fmt, _renderer_version(), repr(document.blocks), repr(sorted(document.meta.items())))
    data = (cache or RenderCache(None)).get(key, lambda: _rendered(document, report.fmt))
    when = datetime.combine(report.modified_on or report.published_on, time(9, 0))
    return Content(stable(data, report.fmt, when), MEDIA_TYPES[report.fmt], truth)
