"""Which registered body a report belongs to, by the name in its title or text, and which year."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.titles import claimed_org, normalize, title_year


@dataclass(frozen=True, slots=True)
class OrgEntry:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    parent_id: str | None = None


@dataclass(frozen=True, slots=True)
class Attribution:
    org_id: str | None  # None: a body that is not in the registry
    claimed_org: str | None  # the name as the report gives it
    year: int | None


def canonical(name: str) -> str:
    """A name with 人民政府→政府 and 办公室→办, so the variants portals print compare equal."""
    key = normalize(name)
    key = key.replace("人民政府", "政府").replace("办公室", "办")
    return re.sub(r"[（(].*?[）)]", "", key)


def _variants(entry: OrgEntry) -> set[str]:
    names = {entry.name, *entry.aliases}
    keys = {canonical(n) for n in names if n}
    for key in list(keys):
        if key.endswith("政府") and len(key) > 3:
            keys.add(key[: -len("政府")])  # 双鸭山市政府 -> 双鸭山市
    return {k for k in keys if k}


class OrgDirectory:
    """Registry names and aliases, looked up tolerant of 人民政府/政府/办公室 variants."""

    def __init__(self, entries: list[OrgEntry]) -> None:
        self._by_key: dict[str, str] = {}
        self._children: dict[str, list[OrgEntry]] = {}
        self._entries = {e.id: e for e in entries}
        for entry in entries:
            for key in _variants(entry):
                self._by_key.setdefault(key, entry.id)
            if entry.parent_id:
                self._children.setdefault(entry.parent_id, []).append(entry)

    def lookup(self, name: str, *, portal_org: str | None = None) -> str | None:
        """The org id for a printed name; short names (市财政局) are resolved among the portal org's children."""
        key = canonical(name)
        if key in self._by_key:
            return self._by_key[key]
        if portal_org and re.match(r"^(本?[省市县区旗镇乡])", key):
            short = re.sub(r"^本?[省市县区旗镇乡]", "", key)
            matches = [c.id for c in self._children.get(portal_org, []) if short and any(
                v.endswith(short) for v in _variants(c))]
            if len(matches) == 1:
                return matches[0]
        return None

    def name_of(self, org_id: str) -> str | None:
        entry = self._entries.get(org_id)
        return entry.name if entry else None

    def attribute(self, *, title: str, text_org: str | None, text_year: int | None,
                  portal_org: str | None) -> Attribution:
        """Title first (it names the body and year), then the body named in the text, then the portal's own."""
        year = title_year(title) or text_year
        claims = [c for c in (claimed_org(title), text_org) if c]
        for claimed in claims:
            org_id = self.lookup(claimed, portal_org=portal_org)
            if org_id is not None:
                return Attribution(org_id, self.name_of(org_id) or claimed, year)
        if claims:
            return Attribution(None, claims[0], year)
        if portal_org is None:
            return Attribution(None, None, year)
        return Attribution(portal_org, self.name_of(portal_org), year)
