"""Who sees what: a supervisor sees the orgs under their SupervisorScope roots; an admin sees all.

The visibility rule lives here only. It is a recursive CTE, so list and overview queries filter
inside the database instead of shipping tens of thousands of ids per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, select, true
from sqlmodel import Session

from db.models import Org, Supervisor, SupervisorScope


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in supervisor, as the pages need them."""

    id: int
    email: str
    name: str | None
    is_admin: bool

    @classmethod
    def of(cls, supervisor: Supervisor) -> Viewer:
        assert supervisor.id is not None
        return cls(supervisor.id, supervisor.email, supervisor.name, supervisor.is_admin)

    @property
    def display_name(self) -> str:
        return self.name or self.email


def visible_ids(supervisor_id: int) -> Select[tuple[str]]:
    """SELECT of the org ids a supervisor may see: their scope roots and every descendant."""
    roots = select(SupervisorScope.org_id.label("id")).where(SupervisorScope.supervisor_id == supervisor_id)
    tree = roots.cte("visible_org", recursive=True)
    tree = tree.union(select(Org.id).where(Org.parent_id == tree.c.id))
    return select(tree.c.id)


def org_clause(viewer: Viewer, column: ColumnElement[str] | object) -> ColumnElement[bool]:
    """A WHERE clause restricting `column` (an org id) to what `viewer` may see."""
    if viewer.is_admin:
        return true()
    return column.in_(visible_ids(viewer.id))  # type: ignore[attr-defined,no-any-return]


def can_see(*, session: Session, viewer: Viewer, org_id: str | None) -> bool:
    """True when `viewer` may see organisation `org_id` (reports without an org: admins only).

    Walks up from the organisation (a few rows) instead of expanding the viewer's whole subtree.
    """
    if viewer.is_admin:
        return True
    if org_id is None:
        return False
    start = select(Org.id.label("id"), Org.parent_id.label("parent")).where(Org.id == org_id)
    chain = start.cte("ancestors", recursive=True)
    chain = chain.union(select(Org.id, Org.parent_id).where(Org.id == chain.c.parent))
    covered = exists().where(SupervisorScope.supervisor_id == viewer.id, SupervisorScope.org_id == chain.c.id)
    return bool(session.scalar(select(covered)))
