from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from db.engine import make_engine, session_scope
from db.reparse import parse_history, reparse_report
from db.reports import record_document, record_report
from db.store import DocumentStore
from nianbao.cli import main
from tests.db.conftest import ERR, T0, WARN, make_report
from tests.db.test_registry import GOOD, HEADER


@pytest.fixture
def env(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NIANBAO_DB_URL", db_url)
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    return db_url


def test_registry_import_prints_chinese_summary(env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_file = tmp_path / "orgs.csv"
    csv_file.write_bytes((HEADER + GOOD + "bad,坏,,nope,,,,https://a.gov.cn/,,,\n").encode("gbk"))
    assert main(["registry", "import", str(csv_file)]) == 0
    out, err = capsys.readouterr()
    assert "新增 3 个机构" in out and "错误行 1 行" in out
    assert "第 5 行（bad）" in err
    assert main(["registry", "import", str(csv_file)]) == 0
    assert "未变 3 个" in capsys.readouterr().out


def test_registry_import_unreadable_file_exits_non_zero(env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["registry", "import", str(tmp_path / "missing.csv")]) != 0
    assert "不存在" in capsys.readouterr().err
    (tmp_path / "noheader.csv").write_bytes(b"\xff\xfe\x00garbage")
    assert main(["registry", "import", str(tmp_path / "noheader.csv")]) != 0


def _seed(db_url: str, tmp_path: Path) -> None:
    from db.engine import init_db
    from db.models import Org

    engine = make_engine(db_url)
    init_db(engine)
    store = DocumentStore(tmp_path / "data" / "documents")
    with session_scope(engine) as session:
        session.add(Org(id="230500-gov", name="双鸭山市人民政府", kind="government", homepage="https://a.gov.cn/"))
        session.flush()
        for data, granted, findings in [(b"v1", 1, (ERR,)), (b"v2", 2, (ERR, WARN))]:
            doc = record_document(session=session, store=store, data=data, media_type="text/plain", source_url=None, seen_at=T0)
            record_report(session=session, org_id="230500-gov", document=doc, report=make_report(granted=granted, findings=findings),
                          source_url="https://a.gov.cn/2024.html", page_url=None, published_on=date(2025, 1, 3),
                          published_source="page", seen_at=T0)
    engine.dispose()


def test_reports_json_newest_version_only(env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed(env, tmp_path)
    assert main(["reports", "--year", "2024", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["org_id"], r["year"], r["version"], r["findings"]) for r in rows] == [("230500-gov", 2024, 2, ["A01", "T02"])]
    assert rows[0]["url"] == "https://a.gov.cn/2024.html" and rows[0]["published_on"] == "2025-01-03"
    assert main(["reports", "--year", "2023", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["reports"]) == 0
    text = capsys.readouterr().out
    assert "230500-gov" in text and "A01、T02" in text and "共 1 份" in text


def test_db_upgrade_and_current(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "current"]) == 0
    assert "（最新）" in capsys.readouterr().out


def test_reparse_keeps_old_parse_as_history(sqlite_engine, store: DocumentStore) -> None:  # type: ignore[no-untyped-def]
    from db.models import Org

    with session_scope(sqlite_engine) as session:
        session.add(Org(id="230500-gov", name="双鸭山市人民政府", kind="government", homepage="https://a.gov.cn/"))
        doc = record_document(session=session, store=store, data=b"raw", media_type="text/plain", source_url=None, seen_at=T0)
        row = record_report(session=session, org_id="230500-gov", document=doc, report=make_report(findings=(ERR,)),
                            source_url=None, page_url=None, published_on=None, published_source=None, seen_at=T0,
                            parser_version="1")
    seen: list[bytes] = []

    def better_parser(data: bytes, *, name: str | None = None, media_type: str | None = None):  # type: ignore[no-untyped-def]
        seen.append(data)
        return make_report(findings=(WARN,))

    with session_scope(sqlite_engine) as session:
        assert reparse_report(session=session, store=store, report_id=row.id, read=better_parser, parser_version="2")
        assert not reparse_report(session=session, store=store, report_id=row.id, read=better_parser, parser_version="2")
    assert seen == [b"raw", b"raw"]
    with session_scope(sqlite_engine) as session:
        from db.reports import findings_for, latest_reports

        (latest,) = latest_reports(session=session, year=2024)
        assert (latest.id, latest.parser_version, latest.error_count, latest.warning_count) == (row.id, "2", 0, 1)
        assert [f.rule for f in findings_for(session=session, report_ids=[row.id])[row.id]] == ["T02"]
        (old,) = parse_history(session=session, report_id=row.id)
        assert (old.parser_version, old.error_count, [f["rule"] for f in old.data["findings"]]) == ("1", 1, ["A01"])


def test_reparse_command_recovers_a_document_that_failed_before(env: str, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """End to end with the real parser: a text report stored as a parse failure becomes a report."""
    from db.engine import init_db
    from db.fetches import record_fetch
    from db.models import Org
    from tests.conftest import SEEDS

    engine = make_engine(env)
    init_db(engine)
    store = DocumentStore(tmp_path / "data" / "documents")
    data = SEEDS[0].read_bytes()
    with session_scope(engine) as session:
        session.add(Org(id="230500-gov", name="双鸭山市人民政府", kind="government", homepage="https://a.gov.cn/"))
        session.flush()
        doc = record_document(session=session, store=store, data=data, media_type="text/plain", source_url=None, seen_at=T0)
        record_fetch(session=session, run_id=None, org_id="230500-gov", url="https://a.gov.cn/nb.txt", status=200,
                     error="无法解析：旧解析器不认识", sha256=doc.sha256)
    engine.dispose()
    assert main(["reparse"]) == 0
    assert "新识别 1 份" in capsys.readouterr().out
    assert main(["reports", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["org_id"], r["url"]) for r in rows] == [("230500-gov", "https://a.gov.cn/nb.txt")]
    assert main(["reparse"]) == 0  # nothing left to recover, nothing changed
    assert "结果变化 0 份" in capsys.readouterr().out
