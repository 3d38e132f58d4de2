"""The HTTP side: one listening socket per portal address, one accept loop, a thread per connection.

Each portal listens on its own loopback address (127.77.x.y), so crawlers and browsers apply their
per-host politeness per portal; the portal is known from the socket a request arrived on.
"""

from __future__ import annotations

import selectors
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ACCEPT_POLL_SECONDS = 0.2
IDLE_SECONDS = 15.0  # a keep-alive connection idle this long is closed


class PortalServer(ThreadingHTTPServer):
    """A listener bound to one portal's address; `app` answers its requests."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], app: Any, portal_id: str):
        self.app = app
        self.portal_id = portal_id
        super().__init__(address, handler)
        self.timeout = 0  # handle_request() is only called when the selector says a connection waits


class ServerGroup:
    """Listeners for many portals served by one accept thread; `stop()` closes everything it opened."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], app: Any) -> None:
        self.handler = handler
        self.app = app
        self.servers: dict[str, PortalServer] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()

    def bind(self, portal_id: str, ip: str, port: int) -> int:
        """Listen for `portal_id` on ip:port (port 0: any free port); returns the port."""
        server = PortalServer((ip, port), self.handler, self.app, portal_id)
        self.servers[portal_id] = server
        return int(server.server_address[1])

    def start(self) -> None:
        self._thread = threading.Thread(target=self._accept_loop, name="portalfarm-accept", daemon=True)
        self._thread.start()

    def _accept_loop(self) -> None:
        with selectors.DefaultSelector() as selector:
            for server in self.servers.values():
                selector.register(server.socket, selectors.EVENT_READ, server)
            while not self._stop.is_set():
                for key, _ in selector.select(ACCEPT_POLL_SECONDS):
                    server: PortalServer = key.data
                    server.handle_request()

    def track(self, conn: socket.socket, opened: bool) -> None:
        with self._conn_lock:
            (self._connections.add if opened else self._connections.discard)(conn)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for server in self.servers.values():
            server.server_close()
        with self._conn_lock:
            open_now = list(self._connections)
        for conn in open_now:
            _shutdown(conn)
        self.servers.clear()

    @property
    def stopping(self) -> threading.Event:
        return self._stop


def _shutdown(conn: socket.socket) -> None:
    try:
        conn.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by the peer


def bind_all(group: ServerGroup, addresses: dict[str, str], port: int,
             on_bound: Callable[[str, int], None]) -> None:
    """Bind every portal: all on `port` when given, else each on a free port of its own address."""
    for portal_id, ip in addresses.items():
        on_bound(portal_id, group.bind(portal_id, ip, port))
