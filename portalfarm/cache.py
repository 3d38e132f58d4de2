"""Rendered attachments on disk, keyed by what was rendered: PDF and DOC go through LibreOffice
(seconds each), so a demo's second start serves them at once."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


class RenderCache:
    """`get(key_parts, render)` returns cached bytes or renders, stores and returns them. No dir: no caching."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        if root is not None:
            root.mkdir(parents=True, exist_ok=True)

    def get(self, key_parts: tuple[str, ...], render: Callable[[], bytes]) -> bytes:
        if self.root is None:
            return render()
        key = hashlib.sha256("\x1f".join(key_parts).encode("utf-8")).hexdigest()
        path = self.root / key[:2] / key
        if path.is_file():
            return path.read_bytes()
        data = render()
        path.parent.mkdir(exist_ok=True)
        # Write then rename, so a concurrent reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
        return data


def default_root() -> Path:
    return Path(tempfile.gettempdir()) / "portalfarm-cache"
