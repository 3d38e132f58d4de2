from __future__ import annotations

from datetime import datetime, timezone

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from db.engine import make_engine, session_scope
from db.migrate import current_revision, head_revision, upgrade
from db.models import Report
from db.reports import report_versions


def test_empty_database_upgrades_to_head(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        assert {"org", "report", "finding", "document", "reportparse", "outbox"} <= set(inspect(engine).get_table_names())
        upgrade(engine)  # at head: nothing to do
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_models_match_migrations(engine) -> None:  # type: ignore[no-untyped-def]
    """A model change without a migration fails here."""
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == []


FIRST_REVISION_DATA = [
    "INSERT INTO org (id, name, aliases, kind, homepage, created_at, updated_at) VALUES "
    "('230500-gov', '双鸭山市人民政府', '[]', 'government', 'https://www.shuangyashan.gov.cn/', :t, :t)",
    "INSERT INTO document (sha256, media_type, size, first_seen, last_seen) VALUES "
    "(:sha1, 'text/html', 2, :t, :t), (:sha2, 'text/html', 2, :t, :t)",
    # Two versions both flagged latest (allowed before revision 0002): the upgrade must keep only v2.
    "INSERT INTO report (id, org_id, year, version, is_latest, published_source, first_seen_at, document_sha256, "
    "data, error_count, warning_count, created_at) VALUES "
    "(1, '230500-gov', 2024, 1, :true, 'page', :t, :sha1, '{\"year\": 2024}', 1, 0, :t), "
    "(2, '230500-gov', 2024, 2, :true, 'page', :t, :sha2, '{\"year\": 2024}', 0, 0, :t)",
    "INSERT INTO finding (report_id, rule, severity, message, cells) VALUES (1, 'A01', 'error', '勾稽关系不成立', '[]')",
]


def test_first_revision_with_data_upgrades_without_loss(db_url: str) -> None:
    engine = make_engine(db_url)
    t = datetime(2025, 2, 1, 8, 0, tzinfo=timezone.utc)
    stamp = t if engine.dialect.name == "postgresql" else t.replace(tzinfo=None).isoformat(" ")
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            for sql in FIRST_REVISION_DATA:
                conn.execute(text(sql), {"t": stamp, "sha1": "a" * 64, "sha2": "b" * 64, "true": True})
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with session_scope(engine) as session:
            versions = report_versions(session=session, org_id="230500-gov", year=2024)
            assert [(v.version, v.is_latest) for v in versions] == [(1, False), (2, True)]
            assert all(v.last_seen_at == t and v.parsed_at == t for v in versions)
            assert session.get_one(Report, 1).error_count == 1
            count = session.execute(text("SELECT COUNT(*) FROM finding WHERE report_id = 1")).scalar_one()
            assert count == 1
    finally:
        engine.dispose()


def test_unversioned_database_from_create_all_is_adopted(db_url: str) -> None:
    """Databases made before migrations existed (create_all of the first models) upgrade in place."""
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(text(FIRST_REVISION_DATA[0]), {"t": datetime(2025, 1, 1, tzinfo=timezone.utc).isoformat(" ")})
            conn.execute(text("DROP TABLE alembic_version"))
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM org")).scalar_one() == "双鸭山市人民政府"
    finally:
        engine.dispose()
