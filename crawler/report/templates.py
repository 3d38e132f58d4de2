"""The two national templates as data: row and field ids, printed labels, and the identities they obey.

Everything that knows the layout (parser anchors, validator rules, the report page that redraws
the national form) reads it from here. Ids and labels follow ../shared/spec/report.md.
"""

from __future__ import annotations

from dataclasses import dataclass

APPLICANT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social_welfare", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
APPLICANT_PARTS = tuple(cid for cid, _ in APPLICANT_COLUMNS[:-1])

REVIEW_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation_direct", "行政诉讼·未经复议直接起诉"),
    ("litigation_after_review", "行政诉讼·复议后起诉"),
)
REVIEW_FIELDS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    label: str  # as printed on the national form (the parser also knows variants)
    group: str | None = None  # printed group label, e.g. （三）不予公开


@dataclass(frozen=True, slots=True)
class Art20Row:
    id: str
    label: str
    item: str  # 第二十条第（一）项 …
    fields: tuple[tuple[str, str], ...]


_RESULTS_HEAD = (
    Row("new_received", "一、本年新收政府信息公开申请数量"),
    Row("carried_over", "二、上年结转政府信息公开申请数量"),
    Row("granted", "（一）予以公开", "三、本年度办理结果"),
    Row("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "三、本年度办理结果"),
    Row("denied.state_secret", "1.属于国家秘密", "（三）不予公开"),
    Row("denied.prohibited_by_law", "2.其他法律行政法规禁止公开", "（三）不予公开"),
    Row("denied.security_stability", "3.危及“三安全一稳定”", "（三）不予公开"),
    Row("denied.third_party", "4.保护第三方合法权益", "（三）不予公开"),
    Row("denied.internal_affairs", "5.属于三类内部事务信息", "（三）不予公开"),
    Row("denied.process_info", "6.属于四类过程性信息", "（三）不予公开"),
    Row("denied.enforcement_file", "7.属于行政执法案卷", "（三）不予公开"),
    Row("denied.query_matter", "8.属于行政查询事项", "（三）不予公开"),
    Row("unavailable.not_held", "1.本机关不掌握相关政府信息", "（四）无法提供"),
    Row("unavailable.needs_creation", "2.没有现成信息需要另行制作", "（四）无法提供"),
    Row("unavailable.still_unclear", "3.补正后申请内容仍不明确", "（四）无法提供"),
    Row("not_handled.petition", "1.信访举报投诉类申请", "（五）不予处理"),
    Row("not_handled.duplicate", "2.重复申请", "（五）不予处理"),
    Row("not_handled.publication", "3.要求提供公开出版物", "（五）不予处理"),
    Row("not_handled.excessive", "4.无正当理由大量反复申请", "（五）不予处理"),
    Row("not_handled.confirm_existing", "5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"),
)
_OTHER_2021 = (
    Row("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    Row("other.fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    Row("other.other", "3.其他", "（六）其他处理"),
)
_OTHER_2019 = (Row("other", "（六）其他处理", "三、本年度办理结果"),)
_RESULTS_TAIL = (
    Row("results_total", "（七）总计", "三、本年度办理结果"),
    Row("carried_forward", "四、结转下年度继续办理"),
)

_DECISIONS = (("decisions", "本年处理决定数量"),)
_ITEMS_2019 = (("items_last_year", "上一年项目数量"), ("items_change", "本年增/减"), ("decisions", "处理决定数量"))

ART20_2021: tuple[Art20Row, ...] = (
    Art20Row("rules", "规章", "第二十条第（一）项",
             (("made", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))),
    Art20Row("normative_docs", "行政规范性文件", "第二十条第（一）项",
             (("made", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))),
    Art20Row("licensing", "行政许可", "第二十条第（五）项", _DECISIONS),
    Art20Row("punishment", "行政处罚", "第二十条第（六）项", _DECISIONS),
    Art20Row("enforcement", "行政强制", "第二十条第（六）项", _DECISIONS),
    Art20Row("fees", "行政事业性收费", "第二十条第（八）项", (("amount_wan", "本年收费金额（单位：万元）"),)),
)
_FIRST_2019 = (("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total_public", "对外公开总数量"))
ART20_2019: tuple[Art20Row, ...] = (
    Art20Row("rules", "规章", "第二十条第（一）项", _FIRST_2019),
    Art20Row("normative_docs", "规范性文件", "第二十条第（一）项", _FIRST_2019),
    Art20Row("licensing", "行政许可", "第二十条第（五）项", _ITEMS_2019),
    Art20Row("other_services", "其他对外管理服务事项", "第二十条第（五）项", _ITEMS_2019),
    Art20Row("punishment", "行政处罚", "第二十条第（六）项", _ITEMS_2019),
    Art20Row("enforcement", "行政强制", "第二十条第（六）项", _ITEMS_2019),
    Art20Row("fees", "行政事业性收费", "第二十条第（八）项", (("items_last_year", "上一年项目数量"), ("items_change", "本年增/减"))),
    Art20Row("procurement", "政府集中采购", "第二十条第（九）项", (("items", "采购项目数量"), ("amount_wan", "采购总金额"))),
)

# Fields that may legitimately be decimals or negative (A05 skips them).
NON_COUNT_FIELDS = frozenset({"art20.fees.amount_wan", "art20.procurement.amount_wan"})
SIGNED_FIELDS_2019 = frozenset({"items_change"})


@dataclass(frozen=True, slots=True)
class Identity:
    """An identity the form prints, checked per instance (a column, row or group): sum(left) == sum(right).

    Cell ids are patterns with `{}` standing for the instance id, e.g. applications.new_received.{}.
    """

    rule: str  # rules.md id
    instances: tuple[tuple[str, str], ...]  # (instance id, printed label)
    instance_kind: str  # 列 | 行 | "" (how the message names the instance)
    left: tuple[str, ...]
    right: tuple[str, ...]
    left_label: str
    right_label: str

    def cells(self, instance: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The left and right cell ids for one instance."""
        return tuple(c.format(instance) for c in self.left), tuple(c.format(instance) for c in self.right)


_REVIEW_PARTS = tuple(f for f, _ in REVIEW_FIELDS if f != "total")


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    application_rows: tuple[Row, ...]
    art20_rows: tuple[Art20Row, ...]

    @property
    def result_rows(self) -> tuple[Row, ...]:
        """三（一）…（六）: the rows A03 sums to 三（七）总计."""
        ids = [r.id for r in self.application_rows]
        return self.application_rows[ids.index("granted"):ids.index("results_total")]

    @property
    def identities(self) -> tuple[Identity, ...]:
        """A01–A04 of rules.md as data: the sums this template's tables must satisfy."""
        rows = tuple((r.id, r.label) for r in self.application_rows)
        results = tuple(f"applications.{r.id}.{{}}" for r in self.result_rows)
        return (
            Identity("A01", APPLICANT_COLUMNS, "列", ("applications.new_received.{}", "applications.carried_over.{}"),
                     ("applications.results_total.{}", "applications.carried_forward.{}"), "第一项+第二项", "第三项+第四项"),
            Identity("A02", rows, "行", ("applications.{}.total",),
                     tuple(f"applications.{{}}.{c}" for c in APPLICANT_PARTS), "总计", "自然人与法人或其他组织各列之和"),
            Identity("A03", APPLICANT_COLUMNS, "列", ("applications.results_total.{}",), results,
                     "第三项（七）总计", "第三项（一）至（六）之和"),
            Identity("A04", REVIEW_GROUPS, "", ("review_litigation.{}.total",),
                     tuple(f"review_litigation.{{}}.{f}" for f in _REVIEW_PARTS), "总计", "结果维持+结果纠正+其他结果+尚未审结"),
        )

    def cell_ids(self) -> list[str]:
        """Every canonical cell id of this template, in printed order."""
        ids = [f"art20.{r.id}.{f}" for r in self.art20_rows for f, _ in r.fields]
        ids += [f"applications.{r.id}.{c}" for r in self.application_rows for c, _ in APPLICANT_COLUMNS]
        ids += [f"review_litigation.{g}.{f}" for g, _ in REVIEW_GROUPS for f, _ in REVIEW_FIELDS]
        return ids


TEMPLATES: dict[str, Template] = {
    "2021": Template("2021", _RESULTS_HEAD + _OTHER_2021 + _RESULTS_TAIL, ART20_2021),
    "2019": Template("2019", _RESULTS_HEAD + _OTHER_2019 + _RESULTS_TAIL, ART20_2019),
}
