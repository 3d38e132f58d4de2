"""One long-lived headless LibreOffice per process, driven over UNO by lo_worker.py; bounded in time.

Falls back to one `soffice --convert-to` per document when the system Python lacks `uno`.
"""

from __future__ import annotations

import atexit
import json
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from nianbao.errors import MissingTool, UnreadableDocument

WORKER = Path(__file__).with_name("lo_worker.py")
SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")
START_TIMEOUT = 60.0
CONVERT_TIMEOUT = 60.0
FILTERS = {"docx": "MS Word 2007 XML", "pdf": "writer_pdf_Export", "doc": "MS Word 97", "xlsx": "Calc MS Excel 2007 XML",
           "xls": "MS Excel 97"}


def soffice_path() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        raise MissingTool("需要 LibreOffice（soffice）才能转换 DOC/WPS 等文档，但本机未安装 LibreOffice")
    return path


def _uno_python() -> str | None:
    for python in SYSTEM_PYTHONS:
        if os.access(python, os.X_OK) and Path("/usr/lib/python3/dist-packages/uno.py").exists():
            return python
    return None


class Office:
    """A LibreOffice converter; `convert` is thread-safe (one document at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._worker: subprocess.Popen[bytes] | None = None
        self._profile: str | None = None
        self._reply = b""

    def convert(self, data: bytes, *, src_ext: str, dst_ext: str, timeout: float = CONVERT_TIMEOUT) -> bytes:
        """Convert `data` (a file with extension src_ext) to dst_ext bytes."""
        soffice_path()
        with self._lock, tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
            src = Path(tmp) / f"in.{src_ext}"
            dst = Path(tmp) / f"out.{dst_ext}"
            src.write_bytes(data)
            if _uno_python() is None:
                self._convert_once(src, dst, timeout)
            else:
                self._convert_uno(src, dst, timeout)
            if not dst.exists() or dst.stat().st_size == 0:
                raise UnreadableDocument(f"LibreOffice 无法把该文件转换为 {dst_ext.upper()}，文件可能已损坏")
            return dst.read_bytes()

    def _convert_uno(self, src: Path, dst: Path, timeout: float) -> None:
        worker = self._ensure_worker()
        request = {"src": str(src), "dst": str(dst), "filter": FILTERS[dst.suffix[1:]]}
        assert worker.stdin is not None
        try:
            worker.stdin.write((json.dumps(request) + "\n").encode())
            worker.stdin.flush()
        except BrokenPipeError as exc:
            self.close()
            raise UnreadableDocument("LibreOffice 转换进程意外退出") from exc
        reply = self._read_reply(timeout)
        if reply is None:
            self.close(force=True)
            raise UnreadableDocument(f"LibreOffice 转换超时（{timeout:.0f} 秒），文件可能已损坏")
        if not reply.get("ok"):
            raise UnreadableDocument(f"LibreOffice 无法打开该文件：{reply.get('error', '')[:200]}")

    def _ensure_worker(self) -> subprocess.Popen[bytes]:
        if self._worker is not None and self._worker.poll() is None:
            return self._worker
        self.close()
        python = _uno_python()
        assert python is not None
        self._profile = tempfile.mkdtemp(prefix="nianbao-lo-profile-")
        # A new session, so a timeout can kill the worker and its soffice together.
        self._worker = subprocess.Popen([python, str(WORKER), self._profile], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
        ready = self._read_reply(START_TIMEOUT)
        if not ready or not ready.get("ready"):
            self.close()
            raise MissingTool("LibreOffice 无法启动（soffice 无响应）")
        return self._worker

    def _read_reply(self, timeout: float) -> dict[str, object] | None:
        """One JSON line from the worker, or None on timeout or exit."""
        assert self._worker is not None and self._worker.stdout is not None
        stream = self._worker.stdout
        with selectors.DefaultSelector() as selector:
            selector.register(stream, selectors.EVENT_READ)
            while b"\n" not in self._reply:
                if not selector.select(timeout):
                    return None
                chunk = os.read(stream.fileno(), 65536)
                if not chunk:
                    return None
                self._reply += chunk
        line, self._reply = self._reply.split(b"\n", 1)
        return json.loads(line)

    def _convert_once(self, src: Path, dst: Path, timeout: float) -> None:
        profile = Path(src.parent) / "profile"
        command = [soffice_path(), "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={profile.as_uri()}", "--convert-to",
                   f"{dst.suffix[1:]}:{FILTERS[dst.suffix[1:]]}", "--outdir", str(src.parent / "out"), str(src)]
        try:
            subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise UnreadableDocument(f"LibreOffice 转换超时（{timeout:.0f} 秒）") from exc
        produced = src.parent / "out" / f"in{dst.suffix}"
        if produced.exists():
            produced.replace(dst)

    def close(self, *, force: bool = False) -> None:
        """Stop the worker and its soffice (at once when `force`: a conversion hung); safe to call twice."""
        worker, self._worker = self._worker, None
        self._reply = b""
        if worker is not None:
            if force:
                _kill_group(worker.pid)
            if worker.stdin is not None:
                try:
                    worker.stdin.close()
                except BrokenPipeError:
                    pass
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _kill_group(worker.pid)
                worker.wait()
            if worker.stdout is not None:
                worker.stdout.close()
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


_shared: Office | None = None
_shared_lock = threading.Lock()


def shared_office() -> Office:
    """The process's LibreOffice (started on first use, stopped at exit): one soffice serves every document."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Office()
            atexit.register(_shared.close)
        return _shared


def shutdown() -> None:
    """Stop the shared LibreOffice now (tests call this at teardown)."""
    if _shared is not None:
        _shared.close()
