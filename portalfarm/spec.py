"""What a farm serves, as plain data: portals, the bodies they publish for, reports, noise and faults.

A `FarmSpec` is built once (usually by `FarmSpec.generate`) and fully determines every byte the
farm serves, except what a test changes later through `Farm.post_report` / `Farm.replace_report`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

PAGERS = ("static", "query", "js_json", "js_xml")
CHARSETS = ("utf-8", "gbk-meta", "gbk-none")
DATE_STYLES = ("fbrq", "fbsj", "meta", "both")
FAULT_KINDS = (
    "not_found",
    "server_error",
    "slow",
    "hang",
    "redirect",
    "redirect_loop",
    "wrong_type",
    "truncated",
    "oversized",
    "robots",
)
KINDS = ("government", "department", "township")


@dataclass(slots=True)
class Org:
    """One registry entry: a body that must publish an annual report."""

    id: str
    name: str
    kind: str  # government | department | township
    level: str  # city | county | township
    region_code: str
    parent_id: str | None
    portal_id: str
    column: str  # id of the portal column listing its reports
    aliases: tuple[str, ...] = ()
    supervisor_emails: tuple[str, ...] = ()
    list_known: bool = True  # False: the registry leaves report_list_url blank
    deadline: str | None = None  # MM-DD override of the kind's deadline (provinces set townships')


@dataclass(slots=True)
class Column:
    """A list column of a portal, e.g. 政府信息公开年报 or the consolidated 部门年报."""

    id: str  # ndbg | bmnb | xzjdnb | czzj | ghjh
    title: str
    path: str  # first list page, e.g. /zwgk/ndbg/index.html
    colid: int  # the CMS's numeric column id (used in JS endpoints and jcms paths)
    page_size: int = 4


@dataclass(slots=True)
class Report:
    """An annual report as published: which body, which year, where, and what it contains."""

    key: str  # stable unique id inside the farm, e.g. r-230500-gov-2023
    org_id: str
    year: int
    title: str
    column: str
    source: str  # seed:<stem> (verbatim) | real:<stem> | generated (portalfarm.generate) | reissued (a seed re-issued)
    fmt: str  # html (inline on the detail page) | txt | pdf | docx | doc | xlsx
    published_on: date
    detail_path: str
    attachment_path: str | None = None
    listed_path: str | None = None  # what the list links to when it differs (a redirect)
    consistent: bool = True
    variant: int = 0  # picks the seed / perturbation for generated content
    template: str = "2021"  # for generated reports
    breaks: tuple[str, ...] = ()  # rules a generated report breaks on purpose (portalfarm.generate.BREAKS)
    version: int = 1
    modified_on: date | None = None  # set when replaced after publication
    late: bool = False
    # Generated reports: cross-year/cross-body findings made on purpose (Y03 repeats last year's 五,
    # Y04 copies `copy_of`'s prose of the same year, C04 规章 by a body without the power, T04 no 考核…).
    cross: tuple[str, ...] = ()
    copy_of: str | None = None  # org id whose same-year report this one copies (Y04)


@dataclass(slots=True)
class Noise:
    """A page that is not an annual disclosure report but looks related (预算, 决算, 工作总结…)."""

    key: str
    org_id: str
    title: str
    # work_summary | budget | final_accounts | other_report | interpretation | website_report,
    # or a fault carrier: dead_link | hang | loop | oversized
    kind: str
    column: str
    published_on: date
    detail_path: str
    attachment_path: str | None = None


@dataclass(slots=True)
class Fault:
    """An injected misbehaviour on one path of one portal."""

    kind: str  # one of FAULT_KINDS
    path: str
    target: str | None = None  # redirect target / loop partner / robots prefix
    times: int | None = None  # server_error: fail the first N requests; None = always
    seconds: float = 0.0  # slow: delay; hang: how long to hold the connection (bounded)
    size: int = 0  # oversized: bytes served
    content_type: str | None = None  # wrong_type: what is claimed
    note: str = ""


@dataclass(slots=True)
class Portal:
    id: str  # p00, p01…
    host: str  # www.shuangyashan.gov.cn
    ip: str  # 127.77.0.1
    name: str  # site name shown in the header, e.g. 双鸭山市人民政府
    org_ids: list[str]
    columns: list[Column]
    pager: str = "static"
    charset: str = "utf-8"
    date_style: str = "fbrq"
    attachments: bool = False
    nav_only: bool = False
    title_limit: int | None = None  # list pages cut titles to this many characters (full title in title=)
    province: str = "黑龙江省"
    reports: list[Report] = field(default_factory=list)
    noise: list[Noise] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)

    def column(self, column_id: str) -> Column:
        for col in self.columns:
            if col.id == column_id:
                return col
        raise KeyError(f"portal {self.id} has no column {column_id}")

    @property
    def styles(self) -> dict[str, object]:
        return {
            "pager": self.pager,
            "charset": self.charset,
            "date_style": self.date_style,
            "attachments": self.attachments,
            "nav_only": self.nav_only,
            "title_limit": self.title_limit,
            "consolidated": any(c.id in ("bmnb", "xzjdnb") for c in self.columns),
        }


@dataclass(slots=True)
class FarmSpec:
    seed: int
    years: tuple[int, ...]
    portals: list[Portal]
    orgs: dict[str, Org]
    # (org id, year) pairs deliberately left unpublished (for C01 tests).
    missing: list[tuple[str, int]] = field(default_factory=list)

    @classmethod
    def generate(
        cls, seed: int, n_portals: int, years: tuple[int, ...] = (2022, 2023, 2024), *,
        faults: bool | dict[str, list[str]] = True,
    ) -> FarmSpec:
        """A deterministic farm: same arguments, same portals, same bytes.

        `faults`: True cycles FAULT_KINDS over portals p01, p02…; False injects none; a dict
        {portal id: [kind, …]} injects exactly those."""
        from portalfarm.generator import generate_spec

        return generate_spec(seed, n_portals, tuple(years), faults_on=faults)

    def portal(self, portal_id: str) -> Portal:
        for portal in self.portals:
            if portal.id == portal_id:
                return portal
        raise KeyError(f"no portal {portal_id}")

    def portal_of(self, org_id: str) -> Portal:
        return self.portal(self.orgs[org_id].portal_id)

    def add_fault(self, portal_id: str, kind: str, **overrides: object) -> Fault:
        """Inject one more fault of `kind` (before the farm starts), e.g. add_fault("p02", "server_error", times=None)."""
        import random
        from dataclasses import replace

        from portalfarm import faults
        from portalfarm.generator import paths_for

        portal = self.portal(portal_id)
        fault = faults.inject(portal, kind, random.Random(f"{portal_id}:{kind}:{len(portal.faults)}"), paths_for(portal))
        if overrides:
            index = portal.faults.index(fault)
            portal.faults[index] = fault = replace(fault, **overrides)  # type: ignore[arg-type]
        return fault

    def with_style(self, **styles: object) -> Portal:
        """The first portal whose styles include all of `styles` (for tests)."""
        for portal in self.portals:
            if all(portal.styles.get(k) == v for k, v in styles.items()):
                return portal
        raise KeyError(f"no portal with {styles}")
