"""`nianbao serve` as a process: /healthz answers, logs are JSON lines, SIGTERM stops it cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthz(url: str, timeout: float = 60.0) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_health_json_logs_and_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "NIANBAO_DB_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "NIANBAO_LISTEN": f"127.0.0.1:{port}",
        "NIANBAO_DATA_DIR": str(tmp_path / "data"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "nianbao.cli", "serve", "--crawl-target", "tests.monitor.jobfuncs:count_crawl"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    try:
        health = _healthz(f"http://127.0.0.1:{port}/healthz")
        assert health["status"] == "ok" and health["database"] == "ok"
        assert {j["id"] for j in health["jobs"]} >= {"crawl", "refresh-status", "weekly-digest"}
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err.decode()
    assert out == b""
    entries = [json.loads(line) for line in err.decode().splitlines() if line.strip()]
    messages = [e["message"] for e in entries]
    assert "scheduler started" in messages and "scheduler stopped" in messages
    assert all({"ts", "level", "logger", "message"} <= set(e) for e in entries)
