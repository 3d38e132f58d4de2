"""What the crawler reads from the database before a crawl and writes back after it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session

from crawler.attribution import OrgDirectory, OrgEntry
from db.engine import session_scope
from db.fetches import crawl_target
from db.models import CrawlTarget, Document, Org, Report


@dataclass(frozen=True, slots=True)
class Portal:
    """One web site; several registered bodies may publish on it (a county and its departments)."""

    org_id: str  # the site's own body: fetches and faults are recorded against it
    homepage: str
    org_ids: tuple[str, ...]
    list_urls: tuple[str, ...]  # registry report_list_url values, then columns found last time
    list_orgs: dict[str, str]  # list URL -> the one body whose registry row names it
    discover: bool  # some body has no known column: start from the home page
    needs_browser: bool
    complete_before: bool  # the previous crawl of this portal finished without errors


@dataclass
class Known:
    """URLs that need no fetch: stored documents; report pages (skipped only on portals crawled completely)."""

    documents: set[str]
    pages: set[str]


def _complete(target: CrawlTarget | None) -> bool:
    if target is None or target.last_success_at is None:
        return False
    return target.last_crawled_at is None or target.last_success_at >= target.last_crawled_at


def _owner(orgs: list[Org]) -> Org:
    ids = {o.id for o in orgs}
    roots = [o for o in orgs if o.parent_id not in ids] or orgs
    return sorted(roots, key=lambda o: (o.kind != "government", len(o.name), o.id))[0]


def _portal(orgs: list[Org], targets: dict[str, CrawlTarget]) -> Portal:
    owner = _owner(orgs)
    target = targets.get(owner.id)
    registered = [o.report_list_url for o in orgs if o.report_list_url]
    found = (target.list_url or "").split() if target else []
    list_urls = tuple(dict.fromkeys([*registered, *found]))
    by_list: dict[str, list[str]] = {}
    for org in orgs:
        if org.report_list_url:
            by_list.setdefault(org.report_list_url, []).append(org.id)
    return Portal(owner.id, owner.homepage, tuple(o.id for o in orgs), list_urls,
                  {url: ids[0] for url, ids in by_list.items() if len(ids) == 1},
                  discover=not found and any(not o.report_list_url for o in orgs),
                  needs_browser=bool(target and target.needs_browser), complete_before=_complete(target))


def load_portals(engine: Engine, org_ids: Iterable[str] | None = None) -> list[Portal]:
    """Registered portals (all, or those of the named orgs) with their crawl state, one per home page."""
    wanted = set(org_ids or ())
    with Session(engine) as session:
        orgs = list(session.execute(select(Org).order_by(Org.id)).scalars())
        targets = {t.org_id: t for t in session.execute(select(CrawlTarget)).scalars()}
    sites: dict[str, list[Org]] = {}
    for org in orgs:
        if org.homepage:
            sites.setdefault(_site_key(org.homepage), []).append(org)
    portals = [_portal(group, targets) for group in sites.values()]
    if wanted:
        portals = [p for p in portals if wanted & set(p.org_ids)]
    return portals


def _site_key(homepage: str) -> str:
    parts = urlsplit(homepage)
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/') or '/'}"


def load_directory(engine: Engine) -> OrgDirectory:
    with Session(engine) as session:
        orgs = session.execute(select(Org)).scalars().all()
    return OrgDirectory([OrgEntry(o.id, o.name, tuple(o.aliases or ()), o.parent_id) for o in orgs])


def load_known(engine: Engine) -> Known:
    with Session(engine) as session:
        documents = {u for (u,) in session.execute(select(Document.source_url)) if u}
        reports = session.execute(select(Report.source_url, Report.page_url)).all()
    documents |= {source for source, _ in reports if source}
    return Known(documents, {page for _, page in reports if page})


def mark_started(engine: Engine, org_ids: Iterable[str], at: datetime) -> None:
    """Every crawled portal is 'in progress' until mark_finished: a killed crawl leaves them incomplete."""
    rows = [{"org_id": org_id, "last_crawled_at": at, "needs_browser": False, "consecutive_failures": 0}
            for org_id in org_ids]
    if not rows:
        return
    with session_scope(engine) as session:
        # An upsert: several crawler processes start at once against one PostgreSQL.
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        stmt = insert(CrawlTarget).values(rows)
        session.execute(stmt.on_conflict_do_update(index_elements=["org_id"],
                                                   set_={"last_crawled_at": stmt.excluded.last_crawled_at}))


def mark_finished(engine: Engine, *, errors: dict[str, str], incomplete: set[str], org_ids: Iterable[str],
                  at: datetime) -> None:
    """The first error per portal (consecutive failures count portals that keep failing); portals whose
    lists were all read are complete, so the next crawl may stop at known reports."""
    with session_scope(engine) as session:
        for org_id in org_ids:
            target = crawl_target(session=session, org_id=org_id)
            error = errors.get(org_id)
            if org_id not in incomplete:
                target.last_success_at = at
            if error is None:
                target.consecutive_failures, target.last_error = 0, None
            else:
                target.consecutive_failures += 1
                target.last_error = error[:1000]
            session.add(target)
