"""What the spider hands to the pipelines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass
class ReportItem:
    """A candidate annual report document, with what the portal said about it."""

    portal_org: str  # the site's own body, whose portal linked it (failures are recorded against it)
    default_org: str  # the body to attribute it to when neither title nor text names one
    url: str  # the document's URL (an attachment, or the detail page when the report is the page)
    page_url: str | None  # the page that linked it
    title: str  # the title the portal gave it
    body: bytes
    media_type: str
    published_on: date | None = None  # the portal's 发布日期, when printed
