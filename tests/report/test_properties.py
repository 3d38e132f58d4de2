"""Properties over generated reports (both templates, any year) read back through the text format."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.report import read_report
from crawler.report.parse.tokens import NULL_MARKERS, read_number
from portalfarm.generate import BREAKS, generate
from portalfarm.report_styles import STYLES

FIELDS = ("title", "org", "year", "template", "published_on", "art20", "applications", "review_litigation")
ARITHMETIC = {"A01", "A02", "A03", "A04", "A05"}
ORGS = st.sampled_from(
    (
        "双鸭山市人民政府",
        "某某县人民政府办公室",
        "示例市教育局",
        "某某区某某街道办事处",
        "某某镇人民政府",
        "示例市自然资源和规划局",
    )
)
TEMPLATE_YEARS = st.one_of(
    st.tuples(st.just("2021"), st.integers(2021, 2026)), st.tuples(st.just("2019"), st.integers(2019, 2023))
)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _read(generated) -> dict:  # type: ignore[no-untyped-def]
    return read_report(generated.document.text.encode("utf-8"), name="generated.txt").to_json()


@settings(max_examples=60, deadline=None)
@given(
    org=ORGS,
    template_year=TEMPLATE_YEARS,
    seed=st.integers(0, 10_000),
    style=st.sampled_from(STYLES),
    noisy=st.booleans(),
)
def test_consistent_reports_read_back_to_their_truth_without_arithmetic_findings(
    org: str, template_year: tuple[str, int], seed: int, style: str, noisy: bool
) -> None:
    template, year = template_year
    generated = generate(org=org, year=year, template=template, seed=seed, style=style, noisy=noisy)
    got = _read(generated)
    assert {k: got[k] for k in FIELDS} == {k: generated.truth[k] for k in FIELDS}
    rules = {f["rule"] for f in got["findings"]}
    assert not rules & ARITHMETIC
    assert rules == set(generated.truth["expected_findings"])


@settings(max_examples=60, deadline=None)
@given(
    template_year=TEMPLATE_YEARS,
    seed=st.integers(0, 10_000),
    broken=st.sampled_from(sorted(BREAKS)),
    style=st.sampled_from(STYLES),
    noisy=st.booleans(),
)
def test_a_report_broken_on_purpose_gives_exactly_the_rules_it_breaks(
    template_year: tuple[str, int], seed: int, broken: str, style: str, noisy: bool
) -> None:
    template, year = template_year
    generated = generate(year=year, template=template, seed=seed, breaks=(broken,), style=style, noisy=noisy)
    got = _read(generated)
    assert {f["rule"] for f in got["findings"]} == set(generated.truth["expected_findings"])
    assert broken in generated.truth["expected_findings"]
    assert {k: got[k] for k in ("art20", "applications", "review_litigation")} == {
        k: generated.truth[k] for k in ("art20", "applications", "review_litigation")
    }


@settings(max_examples=200, deadline=None)
@given(number=st.integers(0, 10**9), full_width=st.booleans(), gaps=st.lists(st.integers(1, 8), max_size=3))
def test_numbers_read_with_full_width_digits_and_spaces_inside(number: int, full_width: bool, gaps: list[int]) -> None:
    text = str(number)
    for gap in gaps:
        text = text[:gap] + " " + text[gap:] if gap < len(text) else text
    if full_width:
        text = text.translate(FULL_WIDTH)
    assert read_number(f" {text}\u3000") == number


@settings(max_examples=50, deadline=None)
@given(whole=st.integers(0, 10**6), tenths=st.integers(1, 9))
def test_decimals_keep_their_value(whole: int, tenths: int) -> None:
    assert read_number(f"{whole}.{tenths}") == float(f"{whole}.{tenths}")


def test_blank_and_placeholder_cells_are_null_never_zero() -> None:
    assert all(read_number(marker) is None for marker in NULL_MARKERS)
    assert read_number("0") == 0
