"""Who sees what: the organisation tree loaded once, subtrees computed in memory.

A digest run needs the subtrees of every supervisor at once, so one query for the whole tree
beats one recursive query per supervisor (db.orgs.subtree_ids serves single look-ups).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from db.models import Org, Supervisor, SupervisorScope


@dataclass(frozen=True, slots=True)
class OrgNode:
    id: str
    name: str
    parent_id: str | None
    kind: str
    deadline: str | None  # "MM-DD" override of the kind's deadline


@dataclass(frozen=True, slots=True)
class Recipient:
    """A supervisor as the digest sees them, with the organisations they may see (None: all)."""

    id: int
    email: str
    name: str | None
    send_all_clear: bool
    immediate_alerts: bool
    visible: frozenset[str] | None


class OrgTree:
    """Every organisation with its children; subtrees are memoised per root."""

    def __init__(self, nodes: Iterable[OrgNode]) -> None:
        self.nodes: dict[str, OrgNode] = {node.id: node for node in nodes}
        self.children: dict[str, list[str]] = defaultdict(list)
        for node in self.nodes.values():
            if node.parent_id is not None:
                self.children[node.parent_id].append(node.id)
        self._subtrees: dict[str, frozenset[str]] = {}

    @classmethod
    def load(cls, session: Session) -> OrgTree:
        rows = session.exec(select(Org.id, Org.name, Org.parent_id, Org.kind, Org.deadline)).all()  # type: ignore[call-overload]
        return cls(OrgNode(*row) for row in rows)

    def name(self, org_id: str) -> str:
        node = self.nodes.get(org_id)
        return node.name if node else org_id

    def subtree(self, root: str) -> frozenset[str]:
        """`root` and everything below it (cycles in bad registry data are cut, not followed)."""
        cached = self._subtrees.get(root)
        if cached is not None:
            return cached
        if root not in self.nodes:
            return frozenset()
        seen = {root}
        stack = [root]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        result = frozenset(seen)
        self._subtrees[root] = result
        return result

    def union(self, roots: Iterable[str]) -> frozenset[str]:
        sets = [self.subtree(root) for root in roots]
        if len(sets) == 1:
            return sets[0]
        return frozenset().union(*sets)


def load_recipients(*, session: Session, tree: OrgTree, ids: Iterable[int] | None = None) -> list[Recipient]:
    """Supervisors (all, or those in `ids`) with their visible organisations; admins see everything."""
    query = select(Supervisor).order_by(col(Supervisor.id))
    wanted = set(ids) if ids is not None else None
    roots: dict[int, list[str]] = defaultdict(list)
    for supervisor_id, org_id in session.exec(select(SupervisorScope.supervisor_id, SupervisorScope.org_id)).all():
        roots[supervisor_id].append(org_id)
    recipients = []
    for sup in session.exec(query).all():
        if wanted is not None and sup.id not in wanted:
            continue
        assert sup.id is not None
        visible = None if sup.is_admin else tree.union(roots.get(sup.id, ()))
        recipients.append(Recipient(sup.id, sup.email, sup.name, sup.send_all_clear, sup.immediate_alerts, visible))
    return recipients
