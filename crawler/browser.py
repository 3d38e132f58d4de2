"""Chromium settings: what a rendered list page need not load."""

from __future__ import annotations

from typing import Any

_SKIPPED = frozenset({"image", "stylesheet", "font", "media"})


def skip_decoration(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: images, styles and fonts carry no list items."""
    return request.resource_type in _SKIPPED
