"""What the crawler reads from the database before a crawl and writes back after it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
import math
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
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


@dataclass(frozen=True, slots=True)
class Recheck:
    """A stored report document due for a conditional re-fetch (its portal may have corrected it in place)."""

    url: str
    org_id: str
    title: str
    page_url: str | None
    published_on: str | None  # ISO date when it was read from the page


def due_for_recheck(engine: Engine, *, now: datetime, after_days: float, limit: float) -> list[Recheck]:
    """Latest report versions last checked (last_seen_at) more than `after_days` ago, oldest first.

    `limit` caps them: up to 1 a fraction of the known report documents (1 = all), above 1 a count.
    Reports of unregistered bodies are left out (no portal to attribute them to).
    """
    if limit <= 0:
        return []
    cutoff = now - timedelta(days=max(after_days, 0.0))
    last = func.max(Report.last_seen_at)
    with Session(engine) as session:
        total = session.execute(select(func.count(func.distinct(Report.source_url)))
                                .where(Report.is_latest, Report.org_id.is_not(None),  # type: ignore[union-attr]
                                       Report.source_url.is_not(None))).scalar_one()  # type: ignore[union-attr]
        cap = math.ceil(limit * total) if limit <= 1 else int(limit)
        if cap <= 0:
            return []
        urls = session.execute(
            select(Report.source_url, last).where(Report.is_latest, Report.org_id.is_not(None),  # type: ignore[union-attr]
                                                  Report.source_url.is_not(None))  # type: ignore[union-attr]
            .group_by(Report.source_url).having(last <= cutoff)
            .order_by(last, Report.source_url).limit(cap)).all()
        wanted = [u for u, _ in urls]
        rows = session.execute(select(Report).where(Report.is_latest, Report.source_url.in_(wanted))  # type: ignore[union-attr]
                               .order_by(Report.id)).scalars().all()
    by_url: dict[str, Report] = {}
    for row in rows:
        by_url.setdefault(row.source_url, row)  # type: ignore[arg-type]
    return [Recheck(url, r.org_id, r.title or "", r.page_url,  # type: ignore[arg-type]
                    r.published_on.isoformat() if r.published_on and r.published_source == "page" else None)
            for url in wanted if (r := by_url.get(url)) is not None]


def mark_checked(engine: Engine, urls: Iterable[str], at: datetime) -> None:
    """Documents a portal answered 304 for: their latest versions were seen unchanged at `at`."""
    wanted = sorted(set(urls))
    with session_scope(engine) as session:
        for start in range(0, len(wanted), 500):
            session.execute(update(Report).where(Report.is_latest, Report.source_url.in_(wanted[start:start + 500]),  # type: ignore[union-attr]
                                                 Report.last_seen_at < at).values(last_seen_at=at))


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
