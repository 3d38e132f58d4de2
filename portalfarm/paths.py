"""URL paths as the imitated CMSs make them (TRS WCM, 大汉 jcms, and two generic platforms)."""

from __future__ import annotations

import random
from datetime import date

from portalfarm.spec import Column, Portal


def column_dir(column: Column) -> str:
    """The directory of a column: /zwgk/ndbg/index.html -> /zwgk/ndbg/."""
    return column.path.rsplit("/", 1)[0] + "/"


class PathMaker:
    """Detail and attachment paths for one portal; numbers are drawn from `rng`, never repeated."""

    def __init__(self, portal: Portal, rng: random.Random) -> None:
        self.portal = portal
        self.rng = rng
        self.used: set[int] = set()

    def _number(self) -> int:
        for _ in range(1000):
            num = self.rng.randint(1_000_000, 9_999_999)
            if num not in self.used:
                self.used.add(num)
                return num
        raise RuntimeError("path numbers exhausted")

    def detail(self, column: Column, on: date) -> str:
        num = self._number()
        base = column_dir(column)
        if self.portal.pager == "static":
            return f"{base}{on:%Y%m}/t{on:%Y%m%d}_{num}.html"
        if self.portal.pager == "query":
            return f"{base}{on:%Y%m}/{num}.shtml"
        if self.portal.pager == "js_xml":
            return f"/art/{on.year}/{on.month}/{on.day}/art_{column.colid}_{num}.html"
        return f"{base}detail_{num}.html"

    def attachment(self, column: Column, on: date, ext: str) -> str:
        num = self._number()
        if self.portal.pager == "static":
            return f"{column_dir(column)}{on:%Y%m}/P0{on:%Y%m%d}{num % 1_000_000:06d}.{ext}"
        if self.portal.pager == "query":
            return f"/uploadfiles/{on:%Y%m}/{num}.{ext}"
        if self.portal.pager == "js_xml":
            return f"/module/download/downfile.jsp?classid=0&filename={num:x}{on:%Y%m%d}.{ext}"
        return f"/files/{on:%Y}/{on:%m}/{num:x}.{ext}"


def used_numbers(portal: Portal) -> set[int]:
    """The 7-digit numbers already in the portal's paths, so added entries never reuse an address."""
    found: set[int] = set()
    paths = [p for e in [*portal.reports, *portal.noise] for p in (e.detail_path, e.attachment_path) if p]
    for path in paths:
        digits = "".join(ch if ch.isdigit() else " " for ch in path).split()
        found.update(int(d) for d in digits if len(d) == 7)
    return found


def extra_paths(portal: Portal, purpose: str) -> PathMaker:
    """A PathMaker for entries added after generation (faults' carriers, posted reports)."""
    maker = PathMaker(portal, random.Random(f"{portal.id}:{purpose}:{len(portal.reports)}:{len(portal.noise)}"))
    maker.used.update(used_numbers(portal))
    return maker
