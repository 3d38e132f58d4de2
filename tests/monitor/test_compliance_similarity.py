"""Y04 sketching: near copies among thousands of reports are found without pairwise diffs."""

from __future__ import annotations

import time

from monitor.similarity import Prose, near_copies
from tests.monitor.factory import prose

BOILERPLATE = "本报告根据《中华人民共和国政府信息公开条例》要求编制，现予公布。"


def _corpus(n: int) -> list[Prose]:
    return [Prose(i, f"o{i}", BOILERPLATE + prose(i, 50), (f"o{i}",)) for i in range(n)]


def test_finds_the_copied_pair_among_thousands_quickly() -> None:
    items = _corpus(3000)
    original = prose(42, 50)
    edited = original.replace("，", "，加强", 3)  # a few clauses edited: still a near copy
    items.append(Prose(3000, "copier", "双鸭山市" + BOILERPLATE + edited, ("双鸭山市",)))
    started = time.perf_counter()
    matches = near_copies(items)
    elapsed = time.perf_counter() - started
    assert set(matches) == {42, 3000}
    assert matches[3000].other_org_id == "o42" and matches[3000].similarity >= 0.8
    assert elapsed < 15.0, elapsed  # linear sketching; pairwise comparison would take minutes


def test_half_copied_prose_is_not_nearly_identical() -> None:
    a = prose(1, 60)
    clauses = a.split("，")
    b = "，".join(clauses[:30]) + "，" + prose(2, 30)
    assert near_copies([Prose(1, "a", a, ()), Prose(2, "b", b, ())]) == {}


def test_same_body_other_version_is_not_a_copy() -> None:
    text = prose(5, 50)
    assert near_copies([Prose(1, "a", text, ()), Prose(2, "a", text, ())]) == {}


def test_short_prose_is_not_compared() -> None:
    assert near_copies([Prose(1, "a", "无。", ()), Prose(2, "b", "无。", ())]) == {}
