"""One database engine, document store and fetch recorder per crawler, shared by its components."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import Crawler
from sqlalchemy.engine import Engine

from crawler.pagestore import PageStore
from crawler.recorder import FetchRecorder
from db.engine import make_engine
from db.store import DocumentStore

_ATTR = "_nianbao_context"


@dataclass
class CrawlContext:
    engine: Engine
    store: DocumentStore
    pages: PageStore
    run_id: int | None
    recorder: FetchRecorder
    allow_private: bool
    org_of_host: dict[str, str] = field(default_factory=dict)  # robots.txt requests carry no meta

    def close(self) -> None:
        self.recorder.flush()
        self.engine.dispose()


def context_for(crawler: Crawler) -> CrawlContext:
    """The crawler's context, built from its settings on first use (NIANBAO_DB_URL, NIANBAO_DATA_DIR, …)."""
    existing = getattr(crawler, _ATTR, None)
    if existing is not None:
        return existing
    settings = crawler.settings
    engine = make_engine(settings.get("NIANBAO_DB_URL"))
    run_id = settings.getint("NIANBAO_RUN_ID") or None
    context = CrawlContext(
        engine=engine,
        store=DocumentStore(Path(settings.get("NIANBAO_DATA_DIR")) / "documents"),
        pages=PageStore(Path(settings.get("NIANBAO_DATA_DIR")) / "pages"),
        run_id=run_id,
        recorder=FetchRecorder(engine, run_id=run_id, batch=settings.getint("NIANBAO_FETCH_BATCH", 200)),
        allow_private=settings.getbool("NIANBAO_ALLOW_PRIVATE_HOSTS"),
    )
    setattr(crawler, _ATTR, context)
    return context
