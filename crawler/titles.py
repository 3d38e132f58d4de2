"""Recognising 政府信息公开工作年度报告 by their titles: the year, the claimed body, and noise rejection."""

from __future__ import annotations

import re
import unicodedata

# Strong evidence: the phrase that names this kind of report.
_STRONG = re.compile(r"(政务|政府)?信息公开(工作)?(年度)?(报告|年报)|信息公开年报|政务公开.{0,6}年度报告")
# Weak evidence, enough inside an annual-report column: 年度报告 / 年报.
_WEAK = re.compile(r"年度报告|年报|年度工作报告")
# Other yearly documents that portals publish next to the reports.
_NOISE = re.compile(
    r"工作总结|总结|预算|决算|统计公报|公报|政府工作报告|法治政府|审计工作|述职|要点|工作计划|规划纲要|通知|征求意见"
    r"|国民经济|执行情况|履职|社会责任|环境状况|质量报告|年鉴|整改"
)
# About a report rather than the report: anywhere in the title, even before the body's name.
_ABOUT = re.compile(r"解读|图解|一图|读懂|问答|新闻发布|报表|的说明$")
_CN_DIGITS = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9", "Ｏ": "0", "０": "0"}
_CN_YEAR = re.compile(r"[〇○零一二三四五六七八九Ｏ０]{4}(?=\s*年)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_REPORT_PHRASE = re.compile(
    r"(关于)?(（|\()?\s*(19|20)\d{2}\s*年?度?\s*(）|\))?|(政务|政府)?信息公开.*$|政务公开.*$|年度报告.*$|年报.*$"
)
_ORG_END = re.compile(r".*(政府|委员会|办公室|局|委|办|厅|院|署|中心|所|馆|站|队|会|处|街道|镇|乡|管委会|公司|部|区|县|市|省|旗)")


def normalize(text: str) -> str:
    """NFKC, no whitespace: titles on portals mix full-width digits, spaces and line breaks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _latin_years(text: str) -> str:
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(0)), text)


def title_year(text: str) -> int | None:
    """The report year named in a title (the first 19xx/20xx, Chinese numerals included)."""
    found = _YEAR.search(_latin_years(normalize(text)))
    return int(found.group(1)) if found else None


def is_annual_report_title(text: str, *, in_report_column: bool = False) -> bool:
    """True for a report title; inside a known annual-report column 年度报告/年报 + year is enough."""
    title = normalize(text)
    if title_year(title) is None or _ABOUT.search(title):
        return False
    strong = bool(_STRONG.search(title))
    if strong and ("报告" in title or "年报" in title):
        return not _noise_outside_phrase(title)
    return in_report_column and bool(_WEAK.search(title)) and not _NOISE.search(_without_org(title))


def _noise_outside_phrase(title: str) -> bool:
    """Noise words count only outside the body's name and the report phrase (自然资源和规划局…年度报告)."""
    return bool(_NOISE.search(_STRONG.sub("", _without_org(title))))


def _without_org(title: str) -> str:
    name = claimed_org(title)
    return title.replace(name, "", 1) if name else title


def claimed_org(text: str) -> str | None:
    """The body a title names ('双鸭山市财政局2023年…' -> '双鸭山市财政局'), or None when it names none."""
    title = _latin_years(normalize(text))
    title = re.sub(r"^(关于|附件[:：]?\d*[:：]?)", "", title)
    head = _YEAR.split(title, maxsplit=1)
    candidates = [head[0]] if head else []
    if len(head) > 1:
        # '2023年双鸭山市财政局政府信息公开工作年度报告': the name follows the year.
        after = re.sub(r"^\s*年?度?\s*[）)]?", "", head[-1])
        candidates.append(after)
    for chunk in candidates:
        name = _org_name(chunk)
        if name:
            return name
    return None


def _org_name(chunk: str) -> str | None:
    chunk = re.sub(r"[（(【\[]?$", "", chunk)
    chunk = re.split(r"(?<!人民)(?:政务|政府)?信息公开|政务公开|年度报告|年报|工作年度", chunk, maxsplit=1)[0]
    chunk = chunk.strip("《》“”\"'：:—-_ （）()【】")
    match = _ORG_END.match(chunk)
    if not match or len(match.group(0)) < 2:
        return None
    name = match.group(0)
    # A body's name has a place (省/市/县/…) or an office ending; '法治政府' in a title is neither.
    if not re.search(r"[省市县区镇乡旗州盟]|街道|(局|委|办|厅|院|署|中心|委员会)$", name):
        return None
    return name
