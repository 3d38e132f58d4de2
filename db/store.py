"""Content-addressed document store: raw bytes once per sha256, written atomically, never modified.

Layout `root/ab/cd/<sha256>` keeps directories small at millions of files (65,536 leaf folders).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

from nianbao.errors import NotFound

_HEX = frozenset("0123456789abcdef")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check(sha256: str) -> str:
    if len(sha256) != 64 or not set(sha256) <= _HEX:
        raise NotFound(f"不是有效的文档摘要：{sha256!r}")
    return sha256


class DocumentStore:
    """Raw document bytes on disk under their sha256."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        sha256 = _check(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, data: bytes) -> str:
        """Store `data` (once) and return its sha256."""
        digest = sha256_of(data)
        target = self.path(digest)
        if target.is_file():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(target, data)
        return digest

    def remove_stale_temp_files(self, *, older_than_s: float = 3600) -> int:
        """Delete temp files a killed writer left behind (never a finished blob); returns how many."""
        cutoff, removed = time.time() - older_than_s, 0
        for tmp in self.root.glob("??/??/.tmp-*"):
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink(missing_ok=True)
                removed += 1
        return removed

    def get(self, sha256: str) -> bytes:
        """The bytes stored under `sha256`; NotFound when absent."""
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise NotFound(f"文档库中没有文档 {sha256}") from None


def _write_atomically(target: Path, data: bytes) -> None:
    # A temp file in the same folder, fsynced, then renamed: readers see all the bytes or none.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o444)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
