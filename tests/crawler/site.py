"""A tiny loopback web site for crawler tests: fixed pages, ETag/304, request counts, faults by path."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: bool = True
    delay: float = 0.0  # seconds before answering (timeouts)


@dataclass
class Site:
    pages: dict[str, Page] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    base: str = ""

    def add(self, path: str, body: str | bytes, **kw: object) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = Page(data, **kw)  # type: ignore[arg-type]

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def total(self) -> int:
        return sum(self.hits.values())


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            return

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            try:
                self._get()
            except (ConnectionResetError, BrokenPipeError):
                return  # the crawler gave up (timeout, size limit): expected in fault tests

        def _get(self) -> None:
            site.hits[self.path] += 1
            page = site.pages.get(self.path)
            if page is None:
                self._send(404, b"not found", "text/plain", None)
                return
            if page.delay:
                time.sleep(min(page.delay, 10))
            etag = '"' + hashlib.sha256(page.body).hexdigest()[:16] + '"' if page.etag else None
            if etag and self.headers.get("If-None-Match") == etag:
                self._send(304, b"", page.content_type, etag)
                return
            self._send(page.status, page.body, page.content_type, etag)

        def _send(self, status: int, body: bytes, content_type: str, etag: str | None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

    return Handler


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    """Serve `site` on 127.0.0.1 (port 0) in a thread for the duration of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
