"""Request handling: faults first, then the portal's resource, with conditional GET (304)."""

from __future__ import annotations

import socket
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from portalfarm import pages
from portalfarm.server import IDLE_SECONDS
from portalfarm.site import BuildError, Resource, resource
from portalfarm.spec import Fault

if TYPE_CHECKING:
    from portalfarm.farm import FarmApp


CHUNK = 64 * 1024
SERVER_NAME = "nginx"  # what most portals announce


class PortalHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS
    server_version = SERVER_NAME
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without NODELAY, Nagle and delayed ACKs cost 40 ms each.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.app.group.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.app.group.track(self.connection, False)

    @property
    def app(self) -> FarmApp:
        return self.server.app  # type: ignore[attr-defined, no-any-return]

    @property
    def portal_id(self) -> str:
        return self.server.portal_id  # type: ignore[attr-defined, no-any-return]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet: requests are counted in FarmApp, not logged."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self._serve(head=True)

    def _target(self) -> str:
        if self.path.startswith(("http://", "https://")):
            parts = urlsplit(self.path)
            return parts.path + ("?" + parts.query if parts.query else "")
        return self.path

    def _serve(self, *, head: bool) -> None:
        target = self._target()
        fault = self.app.fault_for(self.portal_id, target)
        if fault is not None and self._apply_fault(fault, target, head):
            return
        try:
            found = self.app.build(self.portal_id, target)
        except BuildError:
            self._status_page(500, "500 Internal Server Error", target, head)
            return
        if found is None:
            self._send(404, resource(pages.not_found(self.app.portal(self.portal_id)).encode("utf-8"),
                                     "text/html; charset=utf-8", _epoch()), head, target)
            return
        if fault is not None and fault.kind == "wrong_type" and fault.content_type:
            found = Resource(found.body, fault.content_type, found.last_modified, found.etag, found.headers)
        if fault is not None and fault.kind == "truncated":
            self._send_truncated(found, head, target)
            return
        if self._not_modified(found):
            self._send_304(found, target)
            return
        self._send(200, found, head, target)

    # -- conditional requests ------------------------------------------------------------
    def _not_modified(self, found: Resource) -> bool:
        tags = self.headers.get("If-None-Match")
        if tags is not None:
            return found.etag in [t.strip() for t in tags.split(",")] or tags.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        return when is not None and when.tzinfo is not None and found.last_modified.replace(microsecond=0) <= when

    def _send_304(self, found: Resource, target: str) -> None:
        self.app.record(self.portal_id, self.command, target, 304)
        self.send_response(304)
        self.send_header("ETag", found.etag)
        self.send_header("Last-Modified", _http_date(found))
        self.end_headers()

    # -- plain responses -------------------------------------------------------------------
    def _headers(self, status: int, found: Resource, length: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", found.content_type)
        self.send_header("Content-Length", str(length))
        self.send_header("ETag", found.etag)
        self.send_header("Last-Modified", _http_date(found))
        for name, value in found.headers:
            self.send_header(name, value)
        self.end_headers()

    def _send(self, status: int, found: Resource, head: bool, target: str) -> None:
        self.app.record(self.portal_id, self.command, target, status)
        self._headers(status, found, len(found.body))
        if not head:
            self._write(found.body)

    def _write(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            return True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return False

    def _send_truncated(self, found: Resource, head: bool, target: str) -> None:
        self.app.record(self.portal_id, self.command, target, 200)
        self._headers(200, found, len(found.body))
        if not head:
            self._write(found.body[: len(found.body) // 2])
            self.wfile.flush()
        self._drop()

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the client already went away

    def _status_page(self, status: int, text: str, target: str, head: bool, location: str | None = None) -> None:
        body = f"<html><head><title>{status}</title></head><body><h1>{text}</h1></body></html>".encode()
        self.app.record(self.portal_id, self.command, target, status)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if not head:
            self._write(body)

    # -- faults ----------------------------------------------------------------------------
    def _apply_fault(self, fault: Fault, target: str, head: bool) -> bool:
        """Serve the fault's response; False when the normal response should follow (slow, wrong type…)."""
        kind = fault.kind
        if kind == "not_found":
            self._status_page(404, "404 Not Found", target, head)
        elif kind == "server_error":
            if not self.app.should_fail(self.portal_id, fault):
                return False
            self._status_page(500, "500 Internal Server Error", target, head)
        elif kind in ("redirect", "redirect_loop"):
            self._status_page(301 if kind == "redirect" else 302, "Moved", target, head, fault.target)
        elif kind == "slow":
            self.app.wait(fault.seconds)
            return False
        elif kind == "hang":
            self.app.record(self.portal_id, self.command, target, 0)
            self.app.wait(fault.seconds)
            self._drop()
        elif kind == "oversized":
            self._send_oversized(fault, target, head)
        else:
            return False
        return True

    def _send_oversized(self, fault: Fault, target: str, head: bool) -> None:
        self.app.record(self.portal_id, self.command, target, 200)
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(fault.size))
        self.end_headers()
        if head:
            return
        chunk = b"%PDF-1.4\n" + b"0" * (CHUNK - 9)
        sent = 0
        while sent < fault.size and not self.app.stopping():
            piece = chunk[: min(CHUNK, fault.size - sent)]
            if not self._write(piece):
                return
            sent += len(piece)
            chunk = b"0" * CHUNK


def _http_date(found: Resource) -> str:
    return format_datetime(found.last_modified.astimezone(timezone.utc), usegmt=True)


def _epoch() -> datetime:
    return datetime(2020, 1, 1, tzinfo=timezone.utc)
