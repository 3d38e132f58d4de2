"""Who sees what: the in-memory subtrees agree with db.orgs; admins see everything."""

from __future__ import annotations

from sqlmodel import Session, select

from alerts.digest import plan_digests
from alerts.scope import OrgTree, load_recipients
from db.engine import session_scope
from db.models import Org, Supervisor
from db.orgs import visible_org_ids
from tests.alerts import scenario
from tests.alerts.conftest import make_settings


def test_subtrees_agree_with_the_storage_queries(world) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    with Session(engine) as session:
        tree = OrgTree.load(session)
        for recipient in load_recipients(session=session, tree=tree):
            supervisor = session.get(Supervisor, recipient.id)
            assert supervisor is not None
            assert recipient.visible == visible_org_ids(session=session, supervisor=supervisor)


def test_cycles_in_registry_data_do_not_hang(world) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    with Session(engine) as session:
        tree = OrgTree.load(session)
    tree.children["sys-edu"].append("sys")  # bad data: a child pointing back up
    assert tree.subtree("sys") == {"sys", "sys-edu", "sys-fin", "sys-jd"}
    assert tree.subtree("unknown") == frozenset()


def test_admin_sees_everything(world, strict_env) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    with session_scope(engine) as session:
        admin = Supervisor(email="admin@example.cn", name="管理员", is_admin=True)
        session.add(admin)
        session.flush()
        admin_id = admin.id
        orgs = len(session.exec(select(Org.id)).all())
    with Session(engine) as session:
        plan = plan_digests(session=session, settings=make_settings(str(engine.url)), as_of=scenario.AS_OF,
                            now=scenario.NOW, env=strict_env)
    counts = next(p.counts for p in plan.digests if p.supervisor_id == admin_id)
    assert orgs == len(scenario.ORGS)
    got = {k: counts[k] for k in ("missing", "late", "inconsistent", "errors", "corrected", "unreachable")}
    assert got == {"missing": 1, "late": 1, "inconsistent": 1, "errors": 2, "corrected": 1, "unreachable": 1}


def test_supervisor_without_scope_gets_nothing(world) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    with session_scope(engine) as session:
        session.add(Supervisor(email="new@example.cn", name="新人"))
    with Session(engine) as session:
        plan = plan_digests(session=session, settings=make_settings(str(engine.url)), as_of=scenario.AS_OF,
                            now=scenario.NOW)
    assert "new@example.cn" not in {p.to_addr for p in plan.digests}
    assert len(plan.digests) == 4


def test_composition_queries_do_not_grow_with_supervisors(world) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import event

    from db.models import SupervisorScope

    engine, _ = world
    settings = make_settings(str(engine.url))

    def statements() -> int:
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731  (conn, cursor, statement, …)
        event.listen(engine, "before_cursor_execute", listener)
        try:
            with Session(engine) as session:
                plan_digests(session=session, settings=settings, as_of=scenario.AS_OF, now=scenario.NOW)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    before = statements()
    with session_scope(engine) as session:
        for i in range(25):
            sup = Supervisor(email=f"extra{i}@example.cn")
            session.add(sup)
            session.flush()
            session.add(SupervisorScope(supervisor_id=sup.id, org_id=("sys", "hg", "hg-edu")[i % 3]))
    assert statements() == before


def test_a_bad_address_is_reported_and_does_not_stop_the_others(world, strict_env) -> None:  # type: ignore[no-untyped-def]
    from alerts import run_weekly

    engine, ids = world
    with session_scope(engine) as session:
        bob = session.get(Supervisor, ids["bob"])
        assert bob is not None
        bob.email = "bob at hg"
    run = run_weekly(engine=engine, settings=make_settings(str(engine.url)), as_of=scenario.AS_OF,
                     now=scenario.NOW, env=strict_env)
    assert (run.composed, run.silent) == (2, 1)
    assert run.errors == [f"监督人员 {ids['bob']}：邮箱地址无效：'bob at hg'"]
    with session_scope(engine) as session:  # fixed: the next run composes bob's digest for the same week
        bob = session.get(Supervisor, ids["bob"])
        assert bob is not None
        bob.email = "bob@hg.example.cn"
    again = run_weekly(engine=engine, settings=make_settings(str(engine.url)), as_of=scenario.AS_OF,
                       now=scenario.NOW, env=strict_env)
    assert (again.composed, again.already, again.errors) == (1, 3, [])


def test_internationalised_domains_are_sent_in_idna_form() -> None:
    from alerts.compose import mailbox

    assert mailbox("jiandu@政府.中国", "监督员").addr_spec == "jiandu@xn--mxtq1m.xn--fiqs8s"
