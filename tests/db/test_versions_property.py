"""Any sequence of captures of one report: versions are exactly the distinct contents, in order of first sight."""

from __future__ import annotations

import itertools
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.engine import session_scope
from db.models import Org
from db.reports import record_document, record_report, report_versions
from db.store import DocumentStore
from tests.db.conftest import T0, make_report

# A capture: (which bytes variant, which content) — bytes variants of one content model a page
# whose counter changes; two contents never share bytes.
captures = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3)), min_size=1, max_size=8)
_ids = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seq=captures)
def test_versions_are_distinct_contents_in_first_seen_order(sqlite_engine, store: DocumentStore,  # type: ignore[no-untyped-def]
                                                             seq: list[tuple[int, int]]) -> None:
    org_id = f"org-{next(_ids)}"
    with session_scope(sqlite_engine) as session:
        session.add(Org(id=org_id, name=org_id, kind="department", homepage="https://a.gov.cn/"))
        session.flush()
        for i, (variant, content) in enumerate(seq):
            seen = T0 + timedelta(hours=i)
            doc = record_document(session=session, store=store, data=f"{org_id}/{content}/{variant}".encode(),
                                  media_type="text/html", source_url=None, seen_at=seen)
            record_report(session=session, org_id=org_id, document=doc, report=make_report(granted=content),
                          source_url=None, page_url=None, published_on=None, published_source=None, seen_at=seen)
        versions = report_versions(session=session, org_id=org_id, year=2024)
    contents = list(dict.fromkeys(content for _, content in seq))
    assert [v.version for v in versions] == list(range(1, len(contents) + 1))
    assert [v.data["applications"]["granted"]["total"] for v in versions] == contents
    assert [v.is_latest for v in versions] == [False] * (len(contents) - 1) + [True]
    for v, content in zip(versions, contents):
        sightings = [i for i, (_, c) in enumerate(seq) if c == content]
        assert (v.first_seen_at, v.last_seen_at) == (T0 + timedelta(hours=sightings[0]), T0 + timedelta(hours=sightings[-1]))
