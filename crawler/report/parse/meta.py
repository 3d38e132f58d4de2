"""Title, organisation (as printed), statistics year and printed date of a report."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from crawler.report.document import Document, Paragraph
from crawler.report.parse.tokens import squash

TITLE_SEARCH = 20  # paragraphs at the top where the title may be (after a page's breadcrumbs and metadata)
TITLE_LINES = 3  # a title may be broken over this many lines
TITLE_LINE_MAX = 48
SIGNATURE_SEARCH = 6  # paragraphs at the end where the signature date may be
_ORG_FIRST = re.compile(r"^(?P<org>[^\d]*?)(?P<year>(?:19|20)\d{2})年度?(?P<rest>.*(?:信息公开|政务公开).*报告)$")
_YEAR_FIRST = re.compile(r"^(?P<year>(?:19|20)\d{2})年度?(?P<org>.+?)(?P<rest>(?:政府信息公开|政务公开).*报告)$")
_NOT_TITLE = re.compile(r"[。；;：:>＞|]")
_INSTITUTION = re.compile(
    r"(?:政府|办公室|办公厅|委员会|管委会|局|厅|委|办|院|署|中心|处|所|站|馆|社|会|队|部|市|县|区|镇|乡|街道|旗|州|盟|省|场)$"
)
_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})年度?(?:政府信息公开|政务公开)")
_PERIOD = re.compile(r"统计期限(?:为|是)?(?:自|从)?((?:19|20)\d{2})年")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "О": 0}
_DATE_TEXT = r"[\d〇○零一二三四五六七八九]{4}年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日"
_DATE = re.compile(
    r"([\d〇○零一二三四五六七八九]{4})年([\d一二三四五六七八九十]{1,3})月([\d一二三四五六七八九十]{1,3})日"
)
_CN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})年")
_SIGNED = re.compile(r"(?P<org>[^\d，。；:：]{2,40}?)?(?P<date>" + _DATE_TEXT + ")")
_SITE_SUFFIX = re.compile(r"\s*[_|｜]\s*|\s+[-—]\s+")


@dataclass(frozen=True, slots=True)
class Meta:
    title: str | None
    org: str | None
    year: int | None
    published_on: date | None


def _paragraphs(document: Document) -> list[str]:
    return [b.text.strip() for b in document.blocks if isinstance(b, Paragraph) and b.text.strip()]


def _arabic_years(text: str) -> str:
    """二〇二三年 -> 2023年, so a title printed with Chinese numerals gives its year."""
    return _CN_YEAR.sub(lambda m: str(_cn_number(m.group(1))) + "年", text)


def _match_title(text: str) -> re.Match[str] | None:
    flat = _arabic_years(squash(text))
    found = _ORG_FIRST.match(flat)
    if found and not found.group("org"):
        return _YEAR_FIRST.match(flat) or found  # 2023年度某某局政府信息公开…: the body follows the year
    return found


def find_title(lines: list[str]) -> tuple[str, str | None, int] | None:
    """(title, org, year) from the first lines; a title may be broken over up to three short lines."""
    top = lines[:TITLE_SEARCH]
    for start in range(len(top)):
        for count in range(1, TITLE_LINES + 1):
            window = top[start : start + count]
            if len(window) < count or any(len(w) > TITLE_LINE_MAX or _NOT_TITLE.search(w) for w in window):
                break
            joined = "".join(window)
            found = _match_title(joined)
            if found:
                return _title_parts(joined, found)
    return None


def _title_parts(joined: str, found: re.Match[str]) -> tuple[str, str | None, int]:
    org = found.group("org").strip() or None
    # A recognised body's title is normalised (spaces around figures are typesetting);
    # anything else is kept exactly as printed so a reader sees what was there.
    recognised = org is not None and _INSTITUTION.search(org) is not None
    title = squash(joined) if recognised else " ".join(joined.split())
    return title, org, int(found.group("year"))


def _cn_number(text: str) -> int:
    """'二〇二四' -> 2024, '十二' -> 12, '十' -> 10, '二十一' -> 21; ASCII digits pass through."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def read_date(text: str) -> date | None:
    """A paragraph that is only a date (2024年1月12日, 二〇二四年一月十二日), else None."""
    flat = unicodedata.normalize("NFKC", squash(text))
    found = _DATE.fullmatch(flat)
    if not found:
        return None
    try:
        return date(*(_cn_number(g) for g in found.groups()))
    except (ValueError, KeyError):
        return None


def _signature(lines: list[str]) -> tuple[date, str | None] | None:
    """The date under the signature, and the body signing when printed beside or above it."""
    tail = lines[-SIGNATURE_SEARCH:]
    for index in range(len(tail) - 1, -1, -1):
        flat = unicodedata.normalize("NFKC", squash(tail[index]))
        found = _SIGNED.fullmatch(flat)
        # "某某镇人民政府 2024年1月12日" signs; "统计期限至2023年12月31日" does not.
        if not found or (found.group("org") and not _INSTITUTION.search(found.group("org"))):
            continue
        signed = read_date(found.group("date"))
        if signed is None:
            continue
        above = squash(tail[index - 1]) if index > 0 else ""
        signer = found.group("org") or (above if len(above) <= TITLE_LINE_MAX and _INSTITUTION.search(above) else None)
        return signed, signer
    return None


def find_published_on(lines: list[str]) -> date | None:
    """The signature date at the end wins over a date printed under the title."""
    signature = _signature(lines)
    if signature:
        return signature[0]
    for text in lines[:TITLE_SEARCH]:
        found = read_date(text)
        if found:
            return found
    return None


def _fallback_year(lines: list[str]) -> int | None:
    for text in lines[: TITLE_SEARCH * 2]:
        flat = squash(text)
        found = _YEAR_IN_TEXT.search(flat) or _PERIOD.search(flat)
        if found:
            return int(found.group(1))
    return None


def _container_title(document: Document) -> tuple[str, str | None, int] | None:
    """The title the container offers (HTML <title>, PDF Title), without a site name after _ or |."""
    offered = document.meta.get("title", "")
    head = _SITE_SUFFIX.split(offered, maxsplit=1)[0].strip()
    found = _match_title(head) if head else None
    return _title_parts(head, found) if found else None


def read_meta(document: Document) -> Meta:
    """Best-effort metadata from the printed text (the container's title only when none is printed)."""
    lines = _paragraphs(document)
    found = find_title(lines) or _container_title(document)
    title, org, year = found if found else (None, None, _fallback_year(lines))
    if org is None:
        signature = _signature(lines)
        org = signature[1] if signature else None
    return Meta(title=title, org=org, year=year, published_on=find_published_on(lines))
