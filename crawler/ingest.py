"""Downloaded documents to stored report versions: parse, validate, attribute and record, a batch per transaction.

Runs in the parse worker processes (or a thread for small crawls and tests), so the crawler's own process
only downloads: parsing and the database writes never hold its GIL.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session

from crawler.attribution import OrgDirectory
from crawler.items import ReportItem
from crawler.report import PARSER_VERSION, read_report
from crawler.report.model import Report as ParsedReport
from crawler.state import load_directory
from db.engine import make_engine, session_scope
from db.fetches import record_fetch
from db.models import utcnow
from db.reports import Sighting, document_row, record_documents, record_reports
from db.store import DocumentStore
from nianbao.errors import DocumentError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Ingested:
    """What became of one document, for the crawl's counts and its list of unregistered bodies."""

    org_id: str | None = None
    claimed_org: str | None = None
    new: bool = False
    failure: str | None = None  # why no report was recorded
    saved: bool = True  # False: the database refused the document (it is still in the document store)


@dataclass(frozen=True, slots=True)
class _Parsed:
    item: ReportItem
    sha256: str
    report: ParsedReport | None
    failure: str | None


def parse(data: bytes, name: str | None, media_type: str | None) -> tuple[ParsedReport | None, str | None]:
    """(report, None), or (None, the Chinese reason) when the document is not a readable report."""
    try:
        return read_report(data, name=name, media_type=media_type), None
    except DocumentError as exc:
        return None, str(exc)
    except Exception as exc:  # a parser bug on odd input must cost this document, not the crawl
        log.exception("parser failed on %s", name)
        return None, f"解析程序出错（{type(exc).__name__}: {exc}）"


def file_name(url: str) -> str | None:
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return name or None


class Ingestor:
    """One per worker process: its own engine, document store and registry directory."""

    def __init__(self, engine: Engine, store: DocumentStore, run_id: int | None) -> None:
        self.engine = engine
        self.store = store
        self.run_id = run_id
        self.directory: OrgDirectory = load_directory(engine)

    def ingest(self, items: list[ReportItem]) -> list[Ingested]:
        """Every item's outcome, in order; a batch that cannot be written is retried item by item."""
        parsed = [self._parse(item) for item in items]
        try:
            return self._record(parsed)
        except Exception:
            if len(parsed) == 1:
                raise
            log.exception("writing a batch of %d reports failed; writing them one by one", len(parsed))
        return [self._record_alone(one) for one in parsed]

    def _parse(self, item: ReportItem) -> _Parsed:
        # Bytes first, outside the transaction: the fsync must not hold the database's write lock.
        sha256 = self.store.put(item.body)
        report, failure = parse(item.body, file_name(item.url), item.media_type)
        return _Parsed(item, sha256, report, failure or (None if report is not None else "无法读取"))

    def _record_alone(self, one: _Parsed) -> Ingested:
        try:
            return self._record([one])[0]
        except Exception as exc:
            log.exception("writing the report of %s failed", one.item.url)
            return Ingested(failure=f"无法保存（{type(exc).__name__}: {exc}）"[:1000], saved=False)

    def _record(self, parsed: list[_Parsed]) -> list[Ingested]:
        seen_at = utcnow()
        outcomes: list[Ingested | None] = []
        sightings: list[Sighting] = []
        with session_scope(self.engine) as session:
            record_documents(session=session, rows=[
                document_row(sha256=p.sha256, data=p.item.body, media_type=p.item.media_type,
                             source_url=p.item.url, seen_at=seen_at) for p in parsed])
            for one in parsed:
                if one.report is None:
                    self._failed(session, one)
                    outcomes.append(Ingested(org_id=one.item.portal_org, failure=one.failure))
                else:
                    sightings.append(self._sighting(one, one.report, seen_at))
                    outcomes.append(None)
            recorded = iter(record_reports(session=session, sightings=sightings))
        found = iter(sightings)
        return [outcome or _ingested(next(found), *next(recorded)) for outcome in outcomes]

    def _sighting(self, one: _Parsed, report: ParsedReport, seen_at: datetime) -> Sighting:
        item = one.item
        attribution = self.directory.attribute(title=item.title or report.title or "", text_org=report.org,
                                               text_year=report.year, portal_org=item.default_org)
        return Sighting(org_id=attribution.org_id, document_sha256=one.sha256, report=report,
                        seen_at=seen_at, source_url=item.url, page_url=item.page_url,
                        published_on=item.published_on, published_source="page" if item.published_on else None,
                        year=attribution.year, parser_version=PARSER_VERSION,
                        claimed_org=attribution.claimed_org if attribution.org_id is None else None)

    def _failed(self, session: Session, one: _Parsed) -> None:
        """The document is kept; the failure is a fetch row against it and the portal."""
        item = one.item
        record_fetch(session=session, run_id=self.run_id, org_id=item.portal_org, url=item.url,
                     status=200, error=f"无法解析：{one.failure}"[:1000], content_type=item.media_type,
                     size=len(item.body), sha256=one.sha256)


def _ingested(sighting: Sighting, report_id: int, new: bool) -> Ingested:
    return Ingested(org_id=sighting.org_id, claimed_org=sighting.claimed_org or sighting.report.org, new=new)


# -- worker processes ---------------------------------------------------------------------------------------

_WORKER: Ingestor | None = None


def start_worker(db_url: str, documents: str, run_id: int | None) -> None:
    """ProcessPoolExecutor initializer: this process's Ingestor."""
    global _WORKER
    _WORKER = Ingestor(make_engine(db_url), DocumentStore(Path(documents)), run_id)


def ingest_in_worker(items: list[ReportItem]) -> list[Ingested]:
    assert _WORKER is not None, "start_worker was not run in this process"
    return _WORKER.ingest(items)
