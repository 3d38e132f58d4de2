from __future__ import annotations

import hashlib
import os

import pytest

from db.store import DocumentStore
from nianbao.errors import NotFound


def test_put_returns_sha256_and_reads_back(store: DocumentStore) -> None:
    data = "双鸭山市2024年政府信息公开工作年度报告".encode()
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.get(sha) == data
    assert store.path(sha).relative_to(store.root).parts == (sha[:2], sha[2:4], sha)


def test_same_bytes_twice_one_blob_untouched(store: DocumentStore) -> None:
    sha = store.put(b"report")
    before = store.path(sha).stat()
    assert store.put(b"report") == sha
    after = store.path(sha).stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    files = [f for _, _, names in os.walk(store.root) for f in names]
    assert files == [sha]  # no temp files left behind


def test_blobs_are_read_only(store: DocumentStore) -> None:
    sha = store.put(b"immutable")
    assert store.path(sha).stat().st_mode & 0o222 == 0


def test_missing_or_malformed_digest_is_not_found(store: DocumentStore) -> None:
    with pytest.raises(NotFound):
        store.get("a" * 64)
    with pytest.raises(NotFound):
        store.get("../../etc/passwd")


def test_a_killed_write_leaves_no_visible_blob_and_its_temp_file_is_swept(store: DocumentStore) -> None:
    sha = hashlib.sha256(b"half").hexdigest()
    folder = store.path(sha).parent
    folder.mkdir(parents=True)
    (folder / ".tmp-killed").write_bytes(b"ha")  # what a SIGKILL between write and rename leaves
    os.utime(folder / ".tmp-killed", (0, 0))
    with pytest.raises(NotFound):
        store.get(sha)
    assert store.put(b"half") == sha and store.get(sha) == b"half"
    assert store.remove_stale_temp_files() == 1
    assert [p.name for p in folder.iterdir()] == [sha]
