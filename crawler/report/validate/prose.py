"""T01–T03: what the prose says against the tables, the 信息处理费 statement in 六, and a real section 五."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from crawler.report.model import Finding, Report
from crawler.report.parse.tokens import squash
from crawler.report.validate.cells import View
from crawler.report.validate.rule import WARNING, Rule, fmt

# Sections whose prose states the year's figures (六 lists documents published, not cases).
PROSE_SECTIONS = ("overview", "proactive", "applications", "review_litigation")
_CLAUSES = re.compile(r"[，。；;,！!？?\n]")
_DIGIT = re.compile(r"\d")
_COUNT = r"(\d{1,3}(?:,\d{3})+|\d+)(?:件|起|宗|个|条)"


@dataclass(frozen=True, slots=True)
class ProseFigure:
    """A figure the prose states (group 1 of `pattern`) that must equal one of `accepted` sums of cells."""

    name: str
    pattern: re.Pattern[str]
    accepted: tuple[tuple[str, ...], ...]  # each a tuple of cells summed; the first is quoted


@dataclass(frozen=True, slots=True)
class ProseNone:
    """A clause saying something did not happen, while the cells say it did."""

    name: str
    pattern: re.Pattern[str]
    cells: tuple[str, ...]


NEW = "applications.new_received.total"
CARRIED = "applications.carried_over.total"
LITIGATION = ("review_litigation.litigation_direct.total", "review_litigation.litigation_after_review.total")
FIGURES: tuple[ProseFigure, ...] = (
    # 共受理…N件 sometimes includes last year's carried-over applications: both readings are accepted.
    ProseFigure(
        "收到政府信息公开申请",
        re.compile(
            r"(?:收到|受理|接收|新收)(?:并办理|和办理|并处理)?(?:各类)?(?:政府信息公开|信息公开|依申请公开)?申请(?:共|总计|合计|共计)?"
            + _COUNT
        ),
        ((NEW,), (NEW, CARRIED)),
    ),
    # 共办理…N件 may count this year's, this year's and last year's, or the applications concluded.
    ProseFigure(
        "办理政府信息公开申请",
        re.compile(
            r"共(?:办理|处理)了?(?:政府信息)?(?:公开)?(?:依申请公开|申请)(?:政府信息)?(?:公开)?(?:申请)?(?:共)?"
            + _COUNT
        ),
        ((NEW,), (NEW, CARRIED), ("applications.results_total.total",)),
    ),
    ProseFigure(
        "上年结转申请", re.compile(r"上年度?结转(?:的)?(?:政府信息公开)?(?:申请)?(?:共)?" + _COUNT), ((CARRIED,),)
    ),
    ProseFigure(
        "结转下年度办理",
        re.compile(r"结转(?:至|到)?下(?:一)?年度?(?:继续办理)?(?:的)?(?:申请)?" + _COUNT),
        (("applications.carried_forward.total",),),
    ),
    ProseFigure(
        "行政复议",
        re.compile(r"行政复议(?:案件|申请)?(?:共|总计|共计)?" + _COUNT),
        (("review_litigation.review.total",),),
    ),
    ProseFigure("行政诉讼", re.compile(r"行政诉讼(?:案件)?(?:共|总计|共计)?" + _COUNT), (LITIGATION,)),
    ProseFigure(
        "行政许可",
        re.compile(r"行政许可(?:处理决定|决定|数据|信息)?(?:共|共计)?" + _COUNT),
        (("art20.licensing.decisions",),),
    ),
    ProseFigure(
        "行政处罚",
        re.compile(r"行政处罚(?:处理决定|决定|数据|信息)?(?:共|共计)?" + _COUNT),
        (("art20.punishment.decisions",),),
    ),
)
_DID_NOT = r"(?:未|没有)(?:发生|出现|产生|收到|接到|受理|有)"
NONE_CLAIMS: tuple[ProseNone, ...] = (
    ProseNone(
        "未收到政府信息公开申请",
        re.compile(r"(?:未|没有|无)(?:收到|受理|接到|接收)[^申]{0,12}申请|无依申请公开"),
        (NEW,),
    ),
    ProseNone(
        "未发生行政复议",
        re.compile(_DID_NOT + r"[^，]{0,20}?行政复议|无(?:因政府信息公开[^，]{0,12})?行政复议"),
        ("review_litigation.review.total",),
    ),
    ProseNone(
        "未发生行政诉讼",
        re.compile(_DID_NOT + r"[^，]{0,24}?行政诉讼|无(?:因政府信息公开[^，]{0,12})?行政诉讼"),
        LITIGATION,
    ),
)
# A figure for a part ("其中，市直部门收到申请117件") is not the year's total.
_PART = re.compile(r"其中|分别|包括|含")
# Section 五 must name a problem and an improvement: fewer characters than this cannot.
MIN_PROBLEMS_CHARS = 20
_NOT_WORDS = re.compile(r"[\W_\d]+")
_NOTHING = re.compile(r"(?:无|暂无|没有|无问题)+")
FEE_STATEMENT = re.compile(r"处理费|信息费|(?<!性)(?:收取|收|缴纳|缴)[^，。；,;]{0,16}?费")


def _prose(report: Report) -> str:
    texts = [report.section_texts.get(sid) for sid in PROSE_SECTIONS]
    if all(t is None for t in texts):
        texts = list(report.section_texts.values())
    return "\n".join(squash(line) for text in texts if text for line in text.splitlines())


def _sum(view: View, cells: tuple[str, ...]) -> int | float | None:
    """The sum of cells; None when any is blank (a partial sum is not what the prose counts)."""
    values = [view.value(c) for c in cells]
    if any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def _figure_finding(rule: Rule, view: View, figure: ProseFigure, stated: list[int]) -> Finding | None:
    """A finding when no statement of this figure agrees with the table."""
    cells = figure.accepted[0]
    if all(view.value(c) is None for c in cells):
        if any(n > 0 for n in stated):
            return rule.finding(f"正文称{figure.name}{stated[0]}件，表格中相应单元格为空", cells)
        return None
    sums = [_sum(view, accepted) for accepted in figure.accepted]
    if any(s is None for s in sums[:1]) or any(n in sums for n in stated):
        return None
    return rule.finding(f"正文称{figure.name}{stated[0]}件，表格为{fmt(sums[0])}件，二者不一致", cells)


def _stated(figure: ProseFigure, prose: str) -> list[int]:
    """The figures the prose states for the whole year (parts introduced by 其中… are left out)."""
    stated = []
    for match in figure.pattern.finditer(prose):
        clause_start = max(prose.rfind(c, 0, match.start()) for c in "，。；;,（(\n") + 1
        if not _PART.search(prose, clause_start, match.start()):
            stated.append(int(match.group(1).replace(",", "")))
    return stated


def check_prose(rule: Rule, view: View) -> Iterator[Finding]:
    prose = _prose(view.report)
    for figure in FIGURES:
        stated = _stated(figure, prose)
        found = _figure_finding(rule, view, figure, stated) if stated else None
        if found:
            yield found
    clauses = [c for c in _CLAUSES.split(prose) if c and not _DIGIT.search(c)]
    for claim in NONE_CLAIMS:
        total = _sum(view, claim.cells)
        if total and any(claim.pattern.search(c) for c in clauses):
            yield rule.finding(f"正文称{claim.name}，但表格为{fmt(total)}件", claim.cells)


def check_fee_statement(rule: Rule, view: View) -> Iterator[Finding]:
    text = view.report.section_texts.get("other")
    if text is not None and not FEE_STATEMENT.search(squash(text)):
        yield rule.finding("第六部分“其他需要报告的事项”未说明是否收取信息处理费（国办函〔2020〕109号）")


def check_problems(rule: Rule, view: View) -> Iterator[Finding]:
    text = view.report.section_texts.get("problems")
    if text is None:
        return  # S01
    words = _NOT_WORDS.sub("", squash(text))
    if len(words) < MIN_PROBLEMS_CHARS or _NOTHING.fullmatch(words):
        yield rule.finding(f"第五部分“存在的主要问题及改进情况”内容过少（{len(words)}字），未说明存在的问题和改进措施")


RULES: tuple[Rule, ...] = (
    Rule("T01", WARNING, "正文所述数字与表格不一致", check_prose),
    Rule("T02", WARNING, "第六部分未说明是否收取信息处理费", check_fee_statement),
    Rule("T03", WARNING, "第五部分为空、为“无”或过短", check_problems),
)
