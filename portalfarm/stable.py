"""Same document, same bytes: renderers stamp the current time into DOCX/XLSX zips and PDF info.

The farm replaces those stamps with the report's publication time, as if the file had been
made that day, so a seed determines attachment bytes too (DOC keeps LibreOffice's stamps; the
render cache keeps the first rendering).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

W3CDTF = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")
PDF_DATE = re.compile(rb"D:(\d{14})")


def stable_zip(data: bytes, when: datetime) -> bytes:
    """The OOXML package with every entry dated `when` and core.xml's created/modified set to it."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = W3CDTF.sub(stamp, body)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            target.writestr(entry, body)
    return out.getvalue()


def stable_pdf(data: bytes, when: datetime) -> bytes:
    """The PDF with its CreationDate/ModDate digits set to `when` (same length: offsets stay valid)."""
    digits = when.strftime("%Y%m%d%H%M%S").encode()
    return PDF_DATE.sub(b"D:" + digits, data)


def stable(data: bytes, fmt: str, when: datetime) -> bytes:
    if fmt in ("docx", "xlsx") and data.startswith(b"PK"):
        return stable_zip(data, when)
    if fmt == "pdf" and data.startswith(b"%PDF"):
        return stable_pdf(data, when)
    return data
