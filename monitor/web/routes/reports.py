"""The report page (the national form redrawn) and the stored original."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from db.store import DocumentStore
from monitor.web.deps import CurrentViewer, DbSession, render
from monitor.web.details import report_detail, visible_document
from monitor.web.form import build_form, marks_from

router = APIRouter()

EXTENSIONS = {
    "application/pdf": "pdf", "text/html": "html", "text/plain": "txt", "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


@router.get("/reports/{report_id}")
def report_page(request: Request, session: DbSession, viewer: CurrentViewer, report_id: int) -> Response:
    detail = report_detail(session=session, viewer=viewer, report_id=report_id)
    findings = [{"rule": f.rule, "severity": f.severity, "message": f.message, "cells": f.cells}
                for f in detail.findings] or list(detail.report.data.get("findings") or [])
    marks = marks_from(findings)
    tables, loose = build_form(detail.report.data, marks, detail.report.template)
    return render(request, "report.html", {"d": detail, "marks": marks, "tables": tables, "loose": loose})


@router.get("/documents/{sha256}")
def document_download(request: Request, session: DbSession, viewer: CurrentViewer, sha256: str) -> Response:
    document = visible_document(session=session, viewer=viewer, sha256=sha256)
    data = DocumentStore(request.app.state.settings.document_dir).get(sha256)
    base_type = document.media_type.split(";")[0].strip().lower()
    name = f"{sha256[:16]}.{EXTENSIONS.get(base_type, 'bin')}"
    # Served as an attachment with nosniff: a stored HTML page must never run in our origin.
    return Response(data, media_type=base_type or "application/octet-stream", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox"})
