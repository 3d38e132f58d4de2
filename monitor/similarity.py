"""Y04: reports whose prose is nearly identical to another body's report for the same year.

Scales by sketching, not pairwise diffs: prose is cut into clauses (after removing the body's own names,
digits and punctuation), clauses are hashed, clauses common to a large share of all reports (the national
boilerplate) are dropped, and each report gets a one-permutation MinHash sketch. Locality-sensitive
banding puts near-identical sketches in the same bucket; only bucket mates are compared.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

PROSE_SECTIONS = ("overview", "problems", "other")
BINS = 64
BANDS = 16
ROWS = BINS // BANDS
THRESHOLD = 0.8
MIN_CLAUSES = 12
MAX_MATES = 8  # bucket mates compared per report, so a big cluster of copies stays linear
_CLAUSE_END = re.compile(r"[，。；！？、：,.;!?:\n\r]+")
_NOISE = re.compile(r"[\s\d０-９\W_]+", re.UNICODE)
_EMPTY = -1


@dataclass(frozen=True, slots=True)
class Prose:
    key: int  # the report id
    org_id: str
    text: str
    names: tuple[str, ...]  # the body's own names, removed before comparison


@dataclass(frozen=True, slots=True)
class ClauseSet:
    """A report's clause hashes: all Y04 keeps of a report, so contents can be read in batches."""

    key: int
    org_id: str
    hashes: array


@dataclass(frozen=True, slots=True)
class Match:
    key: int
    other_key: int
    other_org_id: str
    similarity: float


def clause_hashes(prose: Prose) -> array:
    """Distinct hashes of the clauses of `prose`, names and numbers removed."""
    text = prose.text
    for name in sorted(prose.names, key=len, reverse=True):
        if name:
            text = text.replace(name, "")
    clauses = {_NOISE.sub("", c) for c in _CLAUSE_END.split(text)}
    return array("q", sorted(hash(c) for c in clauses if len(c) >= 4))


def _sketch(hashes: Iterable[int]) -> tuple[int, ...]:
    """One-permutation MinHash: the hash space split into BINS bins, the minimum kept per bin."""
    mins = [_EMPTY] * BINS
    for h in hashes:
        h &= 0xFFFFFFFFFFFFFFFF
        b, v = h % BINS, h // BINS
        if mins[b] == _EMPTY or v < mins[b]:
            mins[b] = v
    return tuple(mins)


def estimate(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two sketches (bins empty in both are not evidence)."""
    used = agree = 0
    for x, y in zip(a, b, strict=True):
        if x == _EMPTY and y == _EMPTY:
            continue
        used += 1
        agree += x == y
    return agree / used if used else 0.0


def _common(all_hashes: list[array], n: int) -> set[int]:
    """Clause hashes found in so many reports that they are boilerplate, not copying."""
    limit = max(50, n // 20)
    counts: Counter[int] = Counter()
    for hashes in all_hashes:
        counts.update(hashes)
    return {h for h, c in counts.items() if c > limit}


def _candidates(sketches: dict[int, tuple[int, ...]]) -> dict[int, list[int]]:
    """Report key -> keys sharing at least one band bucket with it (at most MAX_MATES per bucket)."""
    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
    for key, sketch in sketches.items():
        for band in range(BANDS):
            part = sketch[band * ROWS : (band + 1) * ROWS]
            if all(v == _EMPTY for v in part):
                continue
            buckets[(band, part)].append(key)
    mates: dict[int, list[int]] = defaultdict(list)
    for members in buckets.values():
        if len(members) < 2:
            continue
        for key in members:
            mates[key].extend(m for m in members[: MAX_MATES + 1] if m != key)
    return mates


def near_copies(proses: Iterable[Prose], *, threshold: float = THRESHOLD) -> dict[int, Match]:
    """Report key -> its most similar report of another body, when the estimate reaches `threshold`."""
    return near_copies_of([ClauseSet(p.key, p.org_id, clause_hashes(p)) for p in proses], threshold=threshold)


def near_copies_of(items: list[ClauseSet], *, threshold: float = THRESHOLD) -> dict[int, Match]:
    """near_copies over clause hashes computed beforehand."""
    common = _common([c.hashes for c in items], len(items))
    org_of = {c.key: c.org_id for c in items}
    sketches = {}
    for item in items:
        kept = [h for h in item.hashes if h not in common]
        if len(kept) >= MIN_CLAUSES:
            sketches[item.key] = _sketch(kept)
    best: dict[int, Match] = {}
    for key, mates in _candidates(sketches).items():
        for other in set(mates):
            if org_of[other] == org_of[key]:
                continue
            sim = estimate(sketches[key], sketches[other])
            if sim >= threshold and (key not in best or sim > best[key].similarity):
                best[key] = Match(key, other, org_of[other], round(sim, 3))
    return best
