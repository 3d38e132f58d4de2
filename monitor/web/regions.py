"""How finely the overview breaks a viewer's organisations down by 行政区划代码, and the names of those regions."""

from __future__ import annotations

import os

from sqlalchemy import select
from sqlmodel import Session

from db.models import Org, SupervisorScope
from monitor.web.labels import PROVINCES, region_label
from monitor.web.scope import Viewer

GOVERNMENT_SUFFIX = "人民政府"


def _significant(code: str) -> str:
    """'230500' -> '2305', '320000' -> '32': the digits that name the region, in whole levels of two."""
    digits = code.rstrip("0")
    return code[: len(digits) + len(digits) % 2]


def region_depth(*, session: Session, viewer: Viewer) -> int:
    """Prefix length to group by: provinces for admins, one level below the viewer's common region otherwise."""
    if viewer.is_admin:
        return 2
    codes = [c for c in session.scalars(select(Org.region_code).join(SupervisorScope, SupervisorScope.org_id == Org.id)
                                        .where(SupervisorScope.supervisor_id == viewer.id)) if c]
    if not codes:
        return 2
    common = os.path.commonprefix([_significant(c) for c in codes])
    common = common[: len(common) - len(common) % 2]
    return min(6, len(common) + 2)


def region_names(*, session: Session, prefixes: list[str]) -> dict[str, str]:
    """Prefix -> name: provinces from the code table, cities and counties from their government's registry name."""
    names = {p: PROVINCES[p] for p in prefixes if p in PROVINCES}
    wanted = {p.ljust(6, "0"): p for p in prefixes if p and p not in names}
    if wanted:
        rows = session.execute(select(Org.region_code, Org.name).where(
            Org.region_code.in_(list(wanted)), Org.kind == "government").order_by(Org.id))
        for code, name in rows:
            names.setdefault(wanted[code], name.removesuffix(GOVERNMENT_SUFFIX) or name)
    return {p: names.get(p) or region_label(p) for p in prefixes}
