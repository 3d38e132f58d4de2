"""The organisation tree: subtrees and what a supervisor may see (recursive CTEs, SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlmodel import Session

from db.models import Org, Supervisor, SupervisorScope


def subtree_ids(*, session: Session, roots: Iterable[str]) -> set[str]:
    """`roots` and every organisation below them (unknown roots contribute nothing)."""
    roots = list(roots)
    if not roots:
        return set()
    tree = select(Org.id).where(Org.id.in_(roots)).cte("tree", recursive=True)  # type: ignore[attr-defined]
    tree = tree.union(select(Org.id).join(tree, Org.parent_id == tree.c.id))
    return set(session.execute(select(tree.c.id)).scalars())


def visible_org_ids(*, session: Session, supervisor: Supervisor) -> set[str] | None:
    """The organisations `supervisor` sees; None for an admin, who sees all."""
    if supervisor.is_admin:
        return None
    roots = session.execute(
        select(SupervisorScope.org_id).where(SupervisorScope.supervisor_id == supervisor.id)
    ).scalars()
    return subtree_ids(session=session, roots=roots)


def children_ids(*, session: Session, org_id: str) -> list[str]:
    """Direct children of `org_id`, by id."""
    return list(session.execute(select(Org.id).where(Org.parent_id == org_id).order_by(Org.id)).scalars())
