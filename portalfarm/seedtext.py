"""Reports with known truth made from the seeds in ../shared/seeds, for any body and year.

A seed is re-issued under another body's name and year by substitution (years inside 〔〕
document numbers are kept); an inconsistent variant adds to the first 自然人 cell of
一、本年新收, which breaks A01 (column) and A02 (row) and nothing else. This is the fallback
until `portalfarm.generate` provides generated documents.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[2] / "shared"
NEW_RECEIVED = "本年新收政府信息公开申请数量"

# Which seed fits which kind of body; the first of each list is arithmetically consistent.
SEEDS_BY_KIND: dict[str, tuple[str, ...]] = {
    "government": ("000_a15f4547cccf094c", "004_9e832b1717b2646d"),
    "department": ("002_552a8d10fa63c5da", "001_f25b27e041e62a7d"),
    "township": ("003_b8ab7f4a548cfaef",),
}
# Names printed in each seed, longest first, mapped to a role of the target body.
SEED_NAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "000_a15f4547cccf094c": (("双鸭山市", "short"),),
    "001_f25b27e041e62a7d": (("姜营", "name"),),
    "002_552a8d10fa63c5da": (("石嘴山市人民政府办公室", "name"), ("石嘴山市", "place")),
    "003_b8ab7f4a548cfaef": (("绥芬河市绥芬河镇人民政府", "name"), ("绥芬河镇", "short"), ("绥芬河市", "place")),
    "004_9e832b1717b2646d": (("绥滨县人民政府", "name"), ("https://www.suibin.gov.cn/", "home"), ("绥滨县", "short")),
}
ARITHMETIC = ("A01", "A02", "A03", "A04", "A05")


@dataclass(frozen=True, slots=True)
class Target:
    """The body a report is issued for: full name, short printed name, its city/county, home page."""

    name: str
    short: str
    place: str
    home: str
    year: int


@lru_cache(maxsize=16)
def _seed_file(name: str) -> str:
    return (SHARED / name).read_text(encoding="utf-8")


def seed_text(stem: str) -> str:
    return _seed_file(f"seeds/{stem}.txt")


def source_truth(source: str) -> dict[str, Any]:
    """The truth file of `seed:<stem>` or `real:<stem>` (a fresh copy)."""
    kind, stem = source.split(":", 1)
    folder = "seeds" if kind == "seed" else "real"
    return json.loads(_seed_file(f"{folder}/{stem}.truth.json"))


def real_bytes(stem: str) -> bytes:
    return (SHARED / "real" / f"{stem}.pdf").read_bytes()


def pick_seed(kind: str, consistent: bool, variant: int) -> tuple[str, bool]:
    """(seed stem, perturb?) for a generated report of a body of `kind`."""
    stems = SEEDS_BY_KIND[kind]
    if consistent:
        return stems[0], False
    options = [(stems[0], True)] + [(s, False) for s in stems[1:] if s == "004_9e832b1717b2646d"]
    return options[variant % len(options)]


def _year_map(seed_year: int, year: int) -> dict[str, str]:
    return {str(seed_year + d): str(year + d) for d in (-1, 0, 1)}


def rewrite(text: str, stem: str, seed_year: int, target: Target) -> str:
    """The seed text issued for `target` instead of the seed's own body and year."""
    names = {printed: getattr(target, role) for printed, role in SEED_NAMES[stem]}
    if names:
        pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        text = re.sub(pattern, lambda m: names[m.group(0)], text)
    years = _year_map(seed_year, target.year)
    # Only years printed as years (2023年, 2023 年): counts in the tables stay as they are.
    return re.sub(r"(?<![〔\[\d])(20\d\d)(?=\s?年)", lambda m: years.get(m.group(1), m.group(1)), text)


def perturb(text: str, delta: int) -> str:
    """Add `delta` to the first number after 本年新收… (the 自然人 cell), wherever the table put it."""
    at = text.find(NEW_RECEIVED)
    if at < 0:
        raise ValueError("seed has no 本年新收 row")
    match = re.compile(r"\d+").search(text, at + len(NEW_RECEIVED))
    if match is None:
        raise ValueError("seed has no number after 本年新收")
    return text[: match.start()] + str(int(match.group(0)) + delta) + text[match.end():]


def rewrite_truth(truth: dict[str, Any], stem: str, target: Target, delta: int) -> dict[str, Any]:
    out = copy.deepcopy(truth)
    seed_year = int(out["year"])
    for key in ("title", "org"):
        if out.get(key):
            out[key] = rewrite(out[key], stem, seed_year, target)
    out["year"] = target.year
    if out.get("published_on"):
        printed = str(out["published_on"])
        out["published_on"] = f"{int(printed[:4]) + target.year - seed_year}{printed[4:]}"
    if delta:
        cell = out["applications"]["new_received"]
        cell["natural_person"] = int(cell["natural_person"]) + delta
        out["expected_findings"] = sorted(set(out.get("expected_findings", [])) | {"A01", "A02"})
    return out


def issue(stem: str, target: Target, delta: int) -> tuple[str, dict[str, Any]]:
    """(text, truth) of seed `stem` issued for `target`, `delta` added to break the arithmetic."""
    truth = source_truth(f"seed:{stem}")
    seed_year = int(truth["year"])
    text = rewrite(seed_text(stem), stem, seed_year, target)
    if delta:
        text = perturb(text, delta)
    return text, rewrite_truth(truth, stem, target, delta)


def is_consistent(truth: dict[str, Any]) -> bool:
    return not any(rule in ARITHMETIC for rule in truth.get("expected_findings", []))
