from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from db.engine import session_scope
from db.models import Document, FindingRow, Org
from db.models import Report as ReportRow
from db.reports import (Sighting, document_row, findings_for, latest_reports, record_document, record_documents, record_report,
                        record_reports, report_versions, status_inputs)
from db.store import DocumentStore
from tests.db.conftest import ERR, T0, WARN, make_report


def _org(session, org_id: str = "230500-gov") -> None:  # type: ignore[no-untyped-def]
    session.add(Org(id=org_id, name="双鸭山市人民政府", kind="government", homepage="https://www.shuangyashan.gov.cn/"))
    session.flush()


def _record(session, store: DocumentStore, data: bytes, *, granted: int = 10, seen=T0, findings=(ERR,)):  # type: ignore[no-untyped-def]
    doc = record_document(session=session, store=store, data=data, media_type="text/html",
                          source_url="https://example.gov.cn/a.html", seen_at=seen)
    return record_report(session=session, org_id="230500-gov", document=doc, report=make_report(granted=granted, findings=findings),
                         source_url="https://example.gov.cn/a.html", page_url="https://example.gov.cn/list.html",
                         published_on=date(2025, 1, 20), published_source="page", seen_at=seen)


def test_same_bytes_again_only_moves_last_seen(engine, store: DocumentStore) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        _org(session)
        first = _record(session, store, b"<html>v1</html>")
    later = T0 + timedelta(days=3)
    with session_scope(engine) as session:
        again = _record(session, store, b"<html>v1</html>", seen=later)
        assert again.id == first.id and again.version == 1
    with session_scope(engine) as session:
        doc = session.get_one(Document, first.document_sha256)
        assert (doc.first_seen, doc.last_seen) == (T0, later)
        row = session.get_one(ReportRow, first.id)
        assert (row.first_seen_at, row.last_seen_at) == (T0, later)
        assert session.scalar(select(func.count()).select_from(ReportRow)) == 1
        assert session.scalar(select(func.count()).select_from(FindingRow)) == 1


def test_changed_report_is_version_2_and_version_1_intact(engine, store: DocumentStore) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        _org(session)
        v1 = _record(session, store, b"v1", granted=10, findings=(ERR,))
    with session_scope(engine) as session:
        v2 = _record(session, store, b"v2", granted=11, findings=(WARN,), seen=T0 + timedelta(days=30))
        assert v2.version == 2
    with session_scope(engine) as session:
        versions = report_versions(session=session, org_id="230500-gov", year=2024)
        assert [(v.version, v.is_latest) for v in versions] == [(1, False), (2, True)]
        assert versions[0].data["applications"]["granted"]["total"] == 10
        assert store.get(versions[0].document_sha256) == b"v1"
        found = findings_for(session=session, report_ids=[v1.id, v2.id])
        assert [f.rule for f in found[v1.id]] == ["A01"] and [f.rule for f in found[v2.id]] == ["T02"]
        assert [r.id for r in latest_reports(session=session, year=2024)] == [v2.id]
        assert (versions[0].error_count, versions[1].error_count, versions[1].warning_count) == (1, 0, 1)


def test_same_content_in_new_bytes_is_not_a_new_version(engine, store: DocumentStore) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        _org(session)
        first = _record(session, store, b"<html>visits: 1</html>")
        again = _record(session, store, b"<html>visits: 2</html>", seen=T0 + timedelta(hours=1))
        assert again.id == first.id
        assert again.last_seen_at == T0 + timedelta(hours=1)


def test_status_inputs_one_row_per_org(engine, store: DocumentStore) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        _org(session)
        _org(session, "230521-gov")
        _record(session, store, b"v1")
        _record(session, store, b"v2", granted=12, findings=(ERR, ERR, WARN))
    with session_scope(engine) as session:
        rows = {r.org_id: r for r in status_inputs(session=session, year=2024)}
        assert set(rows) == {"230500-gov", "230521-gov"}
        assert (rows["230500-gov"].version, rows["230500-gov"].error_count, rows["230500-gov"].warning_count) == (2, 2, 1)
        assert rows["230521-gov"].report_id is None
        assert status_inputs(session=session, year=2023)[0].report_id is None


def test_first_seen_date_is_a_china_date(engine, store: DocumentStore) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        _org(session)
        doc = record_document(session=session, store=store, data=b"x", media_type="text/html", source_url=None,
                              seen_at=T0.replace(hour=20))  # 04:00 next day in Beijing
        row = record_report(session=session, org_id="230500-gov", document=doc, report=make_report(),
                            source_url=None, page_url=None, published_on=None, published_source=None,
                            seen_at=T0.replace(hour=20))
        assert (row.published_on, row.published_source) == (date(2025, 2, 2), "first_seen")


def test_same_document_twice_is_one_row_and_one_blob(engine, store: DocumentStore) -> None:  # type: ignore[no-untyped-def]
    later, earlier = T0 + timedelta(days=1), T0 - timedelta(days=1)
    with session_scope(engine) as session:
        for seen in (T0, later, T0):
            doc = record_document(session=session, store=store, data=b"%PDF-1.7 same", media_type="application/pdf",
                                  source_url="https://a.gov.cn/x.pdf", seen_at=seen)
        assert (doc.first_seen, doc.last_seen) == (T0, later)
        # an older capture replayed (e.g. from an archive) moves first_seen back, never last_seen
        doc = record_document(session=session, store=store, data=b"%PDF-1.7 same", media_type="application/pdf",
                              source_url=None, seen_at=earlier)
        assert (doc.first_seen, doc.last_seen) == (earlier, later)
        assert session.scalar(select(func.count()).select_from(Document)) == 1
    assert sum(1 for p in store.root.rglob("*") if p.is_file()) == 1


def test_older_capture_moves_first_seen_and_its_date_back(engine, store: DocumentStore) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        _org(session)
        doc = record_document(session=session, store=store, data=b"x", media_type="text/html", source_url=None, seen_at=T0)
        kw = dict(session=session, org_id="230500-gov", document=doc, report=make_report(), source_url=None, page_url=None,
                  published_on=None, published_source=None)
        record_report(**kw, seen_at=T0)
        row = record_report(**kw, seen_at=T0 - timedelta(days=40))
        assert (row.version, row.first_seen_at, row.last_seen_at) == (1, T0 - timedelta(days=40), T0)
        assert row.published_on == date(2024, 12, 23)


def test_unregistered_bodies_each_document_is_its_own_report(engine, store: DocumentStore) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        rows = []
        for data, org in [(b"a", "某县甲局"), (b"b", "某县乙局"), (b"a", "某县甲局")]:
            doc = record_document(session=session, store=store, data=data, media_type="text/html", source_url=None, seen_at=T0)
            rows.append(record_report(session=session, org_id=None, document=doc, report=make_report(org=org),
                                      source_url=None, page_url=None, published_on=None, published_source=None, seen_at=T0))
        assert [(r.version, r.is_latest, r.claimed_org) for r in rows] == [(1, True, "某县甲局"), (1, True, "某县乙局"), (1, True, "某县甲局")]
        assert rows[0].id == rows[2].id != rows[1].id


def _sighting(store: DocumentStore, data: bytes, *, org_id: str | None = "230500-gov", granted: int = 10,
              seen=T0, org: str = "双鸭山市") -> Sighting:  # type: ignore[no-untyped-def]
    return Sighting(org_id=org_id, document_sha256=store.put(data), report=make_report(granted=granted, org=org, findings=(ERR,)),
                    seen_at=seen, source_url=f"https://example.gov.cn/{data.decode()}.html")


def _record_batch(session, batch: list[Sighting]) -> list[tuple[int, bool]]:  # type: ignore[no-untyped-def]
    record_documents(session=session, rows=[document_row(sha256=s.document_sha256, data=b"x", media_type="text/html",
                                                         source_url=s.source_url, seen_at=s.seen_at) for s in batch])
    return record_reports(session=session, sightings=batch)


def test_one_batch_decides_as_the_same_reports_one_by_one(engine, store: DocumentStore) -> None:  # type: ignore[no-untyped-def]
    """Within a batch: a repeat of a version made earlier in it is that version; a change supersedes it."""
    batch = [_sighting(store, b"v1"), _sighting(store, b"v1-copy"), _sighting(store, b"v2", granted=11),
             _sighting(store, b"u1", org_id=None, org="某县甲局"), _sighting(store, b"u2", org_id=None, org="某县乙局")]
    with session_scope(engine) as session:
        _org(session)
        outcomes = _record_batch(session, batch)
    assert [new for _, new in outcomes] == [True, False, True, True, True]
    assert outcomes[0][0] == outcomes[1][0] and len({i for i, _ in outcomes}) == 4
    with session_scope(engine) as session:
        versions = report_versions(session=session, org_id="230500-gov", year=2024)
        assert [(v.version, v.is_latest, v.error_count) for v in versions] == [(1, False, 1), (2, True, 1)]
        unregistered = session.scalars(select(ReportRow).where(ReportRow.org_id.is_(None)).order_by(ReportRow.id)).all()  # type: ignore[union-attr]
        assert [(r.version, r.is_latest, r.claimed_org) for r in unregistered] == [(1, True, "某县甲局"), (1, True, "某县乙局")]
        assert session.scalar(select(func.count()).select_from(FindingRow)) == 4
    later = [_sighting(store, b"v1", seen=T0 + timedelta(days=2)), _sighting(store, b"v3", granted=12, seen=T0 + timedelta(days=2))]
    with session_scope(engine) as session:
        again = _record_batch(session, later)
    assert again[0] == (outcomes[0][0], False) and again[1][1] is True
    with session_scope(engine) as session:
        versions = report_versions(session=session, org_id="230500-gov", year=2024)
        assert [(v.version, v.is_latest) for v in versions] == [(1, False), (2, False), (3, True)]
        assert versions[0].last_seen_at == T0 + timedelta(days=2)
