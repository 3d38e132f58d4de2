"""One farm for the whole session (12 portals: every style, every fault kind), and fetch helpers."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Any

import pytest

from portalfarm import Farm, FarmSpec
from portalfarm.spec import Fault, Portal

SEED = 7
N_PORTALS = 12


@dataclass
class Fetched:
    status: int
    headers: Message
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str, *, headers: dict[str, str] | None = None, timeout: float = 5.0,
          follow: bool = True, method: str = "GET") -> Fetched:
    """GET `url` over the real loopback socket; HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return Fetched(response.status, response.headers, response.read())
    except urllib.error.HTTPError as err:
        body = err.read()
        err.close()
        return Fetched(err.code, err.headers, body)


@pytest.fixture(scope="session")
def spec() -> FarmSpec:
    return FarmSpec.generate(SEED, N_PORTALS)


@pytest.fixture(scope="session")
def farm(spec: FarmSpec) -> Iterator[Farm]:
    with Farm(spec).running() as running:
        yield running


@pytest.fixture(scope="session")
def truth(farm: Farm) -> dict[str, Any]:
    """The session farm's manifest (built once: the session farm is never changed)."""
    return farm.truth()


def with_fault(spec: FarmSpec, kind: str) -> tuple[Portal, Fault]:
    for portal in spec.portals:
        for fault in portal.faults:
            if fault.kind == kind:
                return portal, fault
    raise LookupError(kind)


def raw_get(host: str, port: int, path: str, timeout: float) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    conn.request("GET", path)
    return conn.getresponse()
