from __future__ import annotations

import pytest
from sqlalchemy import select

from db.engine import session_scope
from db.models import Org, Supervisor, SupervisorScope
from db.registry import import_registry
from nianbao.errors import RegistryError

HEADER = "id,name,aliases,kind,region_code,level,parent_id,homepage,report_list_url,deadline,supervisor_emails\n"
GOOD = (
    # the child comes before its parent: parent_id may reference a later row
    "230521-gov,集贤县人民政府,集贤县,government,230521,county,230500-gov,https://www.jixian.gov.cn/,,,\n"
    "230500-gov,双鸭山市人民政府,双鸭山市政府;双鸭山市,government,230500,city,,https://www.shuangyashan.gov.cn/,"
    "https://www.shuangyashan.gov.cn/nb/,,zhang@example.cn;li@example.cn\n"
    "230500-zfb,双鸭山市人民政府办公室,,department,230500,city,230500-gov,https://www.shuangyashan.gov.cn/zfb/,,02-15,\n"
)
BAD = (
    "x1,某机构,,agency,,,,https://a.gov.cn/,,,\n"  # line 5: unknown kind
    "x2,某机构,,department,,,,,,,\n"  # line 6: no homepage
    "x3,某机构,,department,,,,https://a.gov.cn/,,13-01,\n"  # line 7: bad deadline
    "x4,某机构,,department,,,,https://a.gov.cn/,,,not-an-email\n"  # line 8: bad email
    "x5,某机构,,department,,,nowhere,https://a.gov.cn/,,,\n"  # line 9: unknown parent
)


def _import(engine, data: bytes):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return import_registry(session=session, data=data)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_import_encodings(sqlite_engine, encoding: str) -> None:  # type: ignore[no-untyped-def]
    result = _import(sqlite_engine, (HEADER + GOOD).encode(encoding))
    assert sorted(result.added) == ["230500-gov", "230500-zfb", "230521-gov"] and not result.errors
    with session_scope(sqlite_engine) as session:
        city = session.get_one(Org, "230500-gov")
        assert city.name == "双鸭山市人民政府" and city.aliases == ["双鸭山市政府", "双鸭山市"]
        assert session.get_one(Org, "230521-gov").parent_id == "230500-gov"
        assert session.get_one(Org, "230500-zfb").deadline == "02-15"


def test_bad_rows_reported_by_line_good_rows_imported(engine) -> None:  # type: ignore[no-untyped-def]
    result = _import(engine, (HEADER + GOOD + BAD).encode())
    assert len(result.added) == 3
    assert [(e.line, e.org_id) for e in result.errors] == [(5, "x1"), (6, "x2"), (7, "x3"), (8, "x4"), (9, "x5")]
    messages = [e.message for e in result.errors]
    assert "机构类型" in messages[0] and "homepage" in messages[1] and "MM-DD" in messages[2]
    assert "邮箱" in messages[3] and "上级机构" in messages[4]
    assert str(result.errors[0]).startswith("第 5 行")
    with session_scope(engine) as session:
        assert session.get(Org, "x1") is None


def test_import_is_idempotent_and_counts_updates(engine) -> None:  # type: ignore[no-untyped-def]
    data = (HEADER + GOOD).encode()
    _import(engine, data)
    again = _import(engine, data)
    assert (again.added, again.updated, len(again.unchanged), again.supervisors_added) == ([], [], 3, [])
    changed = _import(engine, data.replace("集贤县人民政府".encode(), "集贤县政府".encode()))
    assert changed.updated == ["230521-gov"] and len(changed.unchanged) == 2
    with session_scope(engine) as session:
        assert len(session.execute(select(Org)).all()) == 3
        assert len(session.execute(select(Supervisor)).all()) == 2


def test_supervisors_get_scopes(engine) -> None:  # type: ignore[no-untyped-def]
    result = _import(engine, (HEADER + GOOD).encode())
    assert sorted(result.supervisors_added) == ["li@example.cn", "zhang@example.cn"]
    with session_scope(engine) as session:
        scopes = session.execute(select(SupervisorScope.org_id)).scalars().all()
        assert scopes == ["230500-gov", "230500-gov"]


def test_quoted_multiline_field_keeps_line_numbers(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    data = HEADER + '"y1","名称\n第二行",,department,,,,https://a.gov.cn/,,,\n' + "y2,某机构,,bogus,,,,https://a.gov.cn/,,,\n"
    result = _import(sqlite_engine, data.encode())
    assert result.added == ["y1"] and [e.line for e in result.errors] == [4]


def test_cycle_and_duplicate_rows_are_errors(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    data = HEADER + ("a,甲,,department,,,b,https://a.gov.cn/,,,\n" "b,乙,,department,,,a,https://b.gov.cn/,,,\n"
                     "c,丙,,department,,,,https://c.gov.cn/,,,\n" "c,丙二,,department,,,,https://c.gov.cn/,,,\n")
    result = _import(sqlite_engine, data.encode())
    assert result.added == ["c"]
    assert [e.line for e in result.errors] == [2, 3, 5]
    assert "重复" in result.errors[2].message


def test_unreadable_file_raises(sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RegistryError):
        _import(sqlite_engine, b"")
    with pytest.raises(RegistryError, match="缺少必填列"):
        _import(sqlite_engine, "名称,地址\n".encode())
