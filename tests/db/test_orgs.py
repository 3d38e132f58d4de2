from __future__ import annotations

from db.engine import session_scope
from db.models import Org, Supervisor, SupervisorScope
from db.orgs import subtree_ids, visible_org_ids


def _tree(session) -> None:  # type: ignore[no-untyped-def]
    for org_id, parent in [("p", None), ("c1", "p"), ("c2", "p"), ("g1", "c1"), ("other", None)]:
        session.add(Org(id=org_id, name=org_id, kind="department", homepage="https://a.gov.cn/", parent_id=parent))
        session.flush()


def test_subtree_ids(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        _tree(session)
        assert subtree_ids(session=session, roots=["p"]) == {"p", "c1", "c2", "g1"}
        assert subtree_ids(session=session, roots=["c1", "other"]) == {"c1", "g1", "other"}
        assert subtree_ids(session=session, roots=[]) == set()
        assert subtree_ids(session=session, roots=["missing"]) == set()


def test_visible_org_ids(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        _tree(session)
        boss = Supervisor(email="admin@example.cn", is_admin=True)
        local = Supervisor(email="c1@example.cn")
        nobody = Supervisor(email="none@example.cn")
        session.add_all([boss, local, nobody])
        session.flush()
        session.add(SupervisorScope(supervisor_id=local.id, org_id="c1"))  # type: ignore[arg-type]
        session.flush()
        assert visible_org_ids(session=session, supervisor=boss) is None
        assert visible_org_ids(session=session, supervisor=local) == {"c1", "g1"}
        assert visible_org_ids(session=session, supervisor=nobody) == set()


def test_subtree_of_a_cycle_terminates(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        _tree(session)
        session.get_one(Org, "p").parent_id = "g1"  # bad data edited by hand: p -> c1 -> g1 -> p
        session.flush()
        assert subtree_ids(session=session, roots=["c1"]) == {"p", "c1", "c2", "g1"}
