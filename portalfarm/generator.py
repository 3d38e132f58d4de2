"""`FarmSpec.generate`: portals, bodies, reports and noise from a seed, deterministically.

Portal styles cycle through `PROFILES` so any farm of six or more portals has every style;
the first five portals are the ones the seeded real reports belong to.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from portalfarm import documents, faults, places
from portalfarm.paths import PathMaker, extra_paths
from portalfarm.places import City, County
from portalfarm.spec import Column, FarmSpec, Noise, Org, Portal, Report

# pager, charset, attachments, nav_only, date_style
PROFILES: tuple[tuple[str, str, bool, bool, str], ...] = (
    ("static", "utf-8", False, False, "fbrq"),
    ("query", "gbk-meta", True, False, "fbsj"),
    ("js_json", "utf-8", False, True, "meta"),
    ("static", "gbk-none", True, False, "both"),
    ("js_xml", "utf-8", True, True, "fbrq"),
    ("query", "utf-8", False, True, "fbsj"),
)

# Templates of these CMSs cut list titles; the full title is only in the link's title attribute.
TITLE_LIMITS = {"query": 24, "js_xml": 30}

# (org id, year) -> content source, for the real reports in ../shared.
SEEDED: dict[tuple[str, int], str] = {
    ("230500-gov", 2023): "seed:000_a15f4547cccf094c",
    ("640200-sthjj-jy", 2023): "seed:001_f25b27e041e62a7d",
    ("640200-bgs", 2023): "seed:002_552a8d10fa63c5da",
    ("231081100-twp", 2023): "seed:003_b8ab7f4a548cfaef",
    ("230422-gov", 2022): "seed:004_9e832b1717b2646d",
    ("320800-gov", 2024): "real:huaian-2024",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: str  # city | county | dept
    city: City
    county: County | None = None
    dept: tuple[str, str] | None = None


def _city_departments(seed: int, city: City) -> list[tuple[str, str]]:
    """The city's departments in a seed-stable order; the first two get portals of their own."""
    depts = list(places.DEPARTMENTS[1:])
    random.Random(f"{seed}:{city.code}").shuffle(depts)
    return depts


def candidates(seed: int) -> list[Candidate]:
    """Every portal the places allow, seeded portals first, then round-robin over cities."""
    by_name = {c.name: c for c in places.CITIES}
    first = [
        Candidate("city", by_name["双鸭山市"]),
        Candidate("city", by_name["石嘴山市"]),
        Candidate("county", by_name["牡丹江市"], by_name["牡丹江市"].counties[0]),
        Candidate("county", by_name["鹤岗市"], by_name["鹤岗市"].counties[0]),
        Candidate("city", by_name["淮安市"]),
    ]
    queues: list[list[Candidate]] = []
    for city in places.CITIES:
        depts = _city_departments(seed, city)[:2]
        queue = [Candidate("city", city)]
        for idx in range(max(len(city.counties), 2)):
            if idx < len(city.counties):
                queue.append(Candidate("county", city, city.counties[idx]))
            if idx < len(depts):
                queue.append(Candidate("dept", city, dept=depts[idx]))
        queues.append([c for c in queue if c not in first])
    ordered = list(first)
    for rnd in range(max(len(q) for q in queues)):
        ordered.extend(q[rnd] for q in queues if rnd < len(q))
    return ordered


def _columns(rng: random.Random, kind: str, nav_only: bool, pager: str) -> list[Column]:
    specs = [("ndbg", "政府信息公开年报", 2)]
    if kind in ("city", "county"):
        specs.append(("bmnb", "部门年报", 6))
    if kind == "county":
        specs.append(("xzjdnb", "乡镇（街道）年报", 6))
    specs += [("czzj", "财政资金", 6), ("ghjh", "规划计划", 6)]
    cols = []
    for cid, title, size in specs:
        colid = rng.randint(1000, 99999)
        base = f"/col/col{colid}/" if nav_only else f"/zwgk/{cid}/"
        path = base if pager == "query" else base + "index.html"
        cols.append(Column(cid, title, path, colid, size))
    return cols


def _city_orgs(seed: int, city: City, pid: str, rng: random.Random) -> list[Org]:
    gov = Org(f"{city.code}-gov", f"{city.name}人民政府", "government", "city", city.code, None, pid, "ndbg",
              aliases=(city.name, city.name[:-1] + "市政府"), supervisor_emails=(f"zwgk@{city.pinyin}.gov.cn",))
    depts = _city_departments(seed, city)[2:2 + rng.randint(4, 6)]
    if city.name == "石嘴山市":
        depts = [places.DEPARTMENTS[0], *depts[:4]]
    orgs = [gov] + [
        Org(f"{city.code}-{abbr}", f"{city.name}{name}", "department", "city", city.code, gov.id, pid, "bmnb",
            aliases=(f"市{name}",))
        for name, abbr in depts
    ]
    if city.name == "石嘴山市":
        orgs.append(Org("640200-sthjj-jy", "石嘴山市生态环境局姜营分局", "department", "city", city.code, gov.id,
                        pid, "bmnb", aliases=("姜营",)))
    return orgs


# Provinces that set their townships' deadline later than the default (a registry `deadline` override).
TOWNSHIP_DEADLINES = {"宁夏回族自治区": "03-31"}


def _towns(rng: random.Random, county: County) -> list[tuple[str, str]]:
    """(town name, body suffix), e.g. (新华镇, 人民政府); 绥芬河市 keeps its real 绥芬河镇 first."""
    words = rng.sample(places.TOWN_WORDS, rng.randint(3, 5))
    towns = []
    for word in words:
        suffix, body = rng.choice(places.TOWN_SUFFIXES)
        towns.append((word + suffix, body))
    if county.name == "绥芬河市":
        towns[0] = ("绥芬河镇", "人民政府")
    return towns


def _county_orgs(city: City, county: County, pid: str, rng: random.Random) -> list[Org]:
    gov = Org(f"{county.code}-gov", f"{county.name}人民政府", "government", "county", county.code,
              f"{city.code}-gov", pid, "ndbg", aliases=(county.name, county.name[:-1] + county.name[-1] + "政府"),
              supervisor_emails=(f"zwgk@{county.pinyin}.gov.cn",))
    orgs = [gov]
    for idx, (town, body) in enumerate(_towns(rng, county)):
        code = f"{county.code}{100 + idx:03d}"
        orgs.append(Org(f"{code}-twp", f"{county.name}{town}{body}", "township", "township", county.code, gov.id,
                        pid, "xzjdnb", aliases=(f"{town}{body}", town), deadline=TOWNSHIP_DEADLINES.get(city.province)))
    for name, abbr in rng.sample(places.DEPARTMENTS, rng.randint(2, 3)):
        orgs.append(Org(f"{county.code}-{abbr}", f"{county.name}{name}", "department", "county", county.code,
                        gov.id, pid, "bmnb", aliases=(f"县{name}",)))
    return orgs


def _portal_orgs(seed: int, cand: Candidate, pid: str, rng: random.Random) -> tuple[str, str, list[Org]]:
    """(host, site name, orgs) for one candidate portal."""
    city = cand.city
    if cand.kind == "city":
        return f"www.{city.pinyin}.gov.cn", f"{city.name}人民政府", _city_orgs(seed, city, pid, rng)
    if cand.kind == "county" and cand.county is not None:
        county = cand.county
        return f"www.{county.pinyin}.gov.cn", f"{county.name}人民政府", _county_orgs(city, county, pid, rng)
    assert cand.dept is not None
    name, abbr = cand.dept
    org = Org(f"{city.code}-{abbr}", f"{city.name}{name}", "department", "city", city.code, f"{city.code}-gov",
              pid, "ndbg", aliases=(f"市{name}",))
    return f"{abbr}.{city.pinyin}.gov.cn", org.name, [org]


def deadline(org: Org, year: int) -> date:
    """rules.md: governments Y+1-03-31, departments and townships Y+1-01-31, unless the registry overrides."""
    if org.deadline:
        month, day = (int(x) for x in org.deadline.split("-"))
        return date(year + 1, month, day)
    return date(year + 1, 3, 31) if org.kind == "government" else date(year + 1, 1, 31)


def _publication(rng: random.Random, org: Org, year: int) -> tuple[date, bool]:
    due = deadline(org, year)
    if rng.random() < 0.1:
        return due + timedelta(days=rng.randint(5, 120)), True
    start = date(year + 1, 1, 5)
    return start + timedelta(days=rng.randint(0, (due - start).days)), False


REPORT_TITLES = (
    "{org}{year}年政府信息公开工作年度报告",
    "{org}{year}年度政府信息公开工作年度报告",
    "{year}年{org}政府信息公开工作年度报告",
    "{org}{year}年政府信息公开年度报告",
)


def build_portal(seed: int, index: int, cand: Candidate, years: tuple[int, ...], spec: FarmSpec) -> Portal:
    rng = random.Random(f"{seed}:portal:{index}")
    pager, charset, attachments, nav_only, date_style = PROFILES[index % len(PROFILES)]
    pid = f"p{index:02d}"
    host, site_name, orgs = _portal_orgs(seed, cand, pid, rng)
    portal = Portal(pid, host, f"127.77.{index // 250}.{index % 250 + 1}", site_name, [o.id for o in orgs],
                    _columns(rng, cand.kind, nav_only, pager), pager, charset, date_style, attachments, nav_only,
                    title_limit=TITLE_LIMITS.get(pager), province=cand.city.province)
    for org in orgs:
        org.list_known = not nav_only
        spec.orgs[org.id] = org
    paths = PathMaker(portal, rng)
    formats = documents.attachment_formats()
    for org in orgs:
        for year in years:
            _add_report(rng, spec, portal, paths, formats, org, year)
        _add_noise(rng, portal, paths, org, years)
    portal.reports.sort(key=lambda r: (r.published_on, r.key), reverse=True)
    return portal


BREAKABLE = ("A01", "A02", "A03", "A04", "S04", "T01", "T02")


# Of the reports once all re-issued seeds (a quarter), the share still re-issued; the rest are generated
# with the same rates of inconsistency (A01+A02, as a perturbed seed) and template. Re-issued seeds are
# the same text for every body and year, so they copy across bodies and years as real copies do.
REISSUED_KEPT = 0.2
# Rates of the cross-year/cross-body findings generated reports make on purpose (Report.cross).
CROSS_RATES = {"Y03": 0.05, "Y04": 0.04, "C04": 0.05, "T04": 0.1}


def _content_plan(rng: random.Random, source: str, keep: random.Random) -> tuple[str, bool, str, tuple[str, ...]]:
    """(source, consistent, template, breaks) of a report without a seed of its own."""
    if source != "generated":
        return source, True, "2021", ()
    consistent = rng.random() > 0.3
    if not documents.has_generator():
        return "reissued", consistent, "2021", ()
    if rng.random() < 0.25:
        if keep.random() < REISSUED_KEPT:
            return "reissued", consistent, "2021", ()
        return "generated", consistent, "2021", (() if consistent else ("A01", "A02"))
    template = "2019" if rng.random() < 0.1 else "2021"
    breaks = () if consistent else tuple(sorted(rng.sample(BREAKABLE, rng.randint(1, 2))))
    return "generated", consistent, template, breaks


def _add_report(rng: random.Random, spec: FarmSpec, portal: Portal, paths: PathMaker,
                formats: tuple[str, ...], org: Org, year: int) -> None:
    source = SEEDED.get((org.id, year), "generated")
    if source == "generated" and rng.random() < 0.07:
        spec.missing.append((org.id, year))
        return
    published, late = _publication(rng, org, year)
    fmt = "html"
    if source.startswith("real:"):
        fmt = "pdf"
    elif portal.attachments and formats:
        fmt = formats[len(portal.reports) % len(formats)]
    title = rng.choice(REPORT_TITLES).format(org=org.name, year=year)
    if source.startswith(("seed:", "real:")):
        title = documents.seed_truth(source)["title"]
    own = random.Random(f"{spec.seed}:cross:{org.id}:{year}")  # apart from `rng`, so the rest stays as it was
    source, consistent, template, breaks = _content_plan(rng, source, own)
    cross, copy_of = _cross_plan(own, spec, portal, org, year) if source == "generated" else ((), None)
    column = portal.column(org.column)
    attachment = paths.attachment(column, published, fmt) if fmt != "html" else None
    portal.reports.append(Report(f"r-{org.id}-{year}", org.id, year, title, org.column, source, fmt, published,
                                 paths.detail(column, published), attachment, consistent=consistent,
                                 variant=rng.randint(0, 9999), template=template, breaks=breaks, late=late,
                                 cross=cross, copy_of=copy_of))


def _cross_plan(rng: random.Random, spec: FarmSpec, portal: Portal, org: Org,
                year: int) -> tuple[tuple[str, ...], str | None]:
    """The cross findings a generated report makes on purpose, and whose prose it copies (Y04)."""
    cross: list[str] = []
    if org.kind == "government" and rng.random() < CROSS_RATES["T04"]:
        cross.append("T04")
    if (org.kind == "township" or org.level == "county") and rng.random() < CROSS_RATES["C04"]:
        cross.append("C04")
    draw = rng.random()
    if draw < CROSS_RATES["Y03"]:
        if any(r.org_id == org.id and r.year == year - 1 and r.source == "generated" for r in portal.reports):
            cross.append("Y03")
    elif draw < CROSS_RATES["Y03"] + CROSS_RATES["Y04"]:
        sources = sorted({r.org_id for r in portal.reports if r.year == year and r.source == "generated"
                          and r.org_id != org.id and spec.orgs[r.org_id].kind == org.kind})
        if sources:
            return (*cross, "Y04"), rng.choice(sources)
    return tuple(cross), None


NOISE_TITLES: tuple[tuple[str, str, str], ...] = (
    ("work_summary", "ghjh", "{org}{year}年工作总结和{next}年工作计划"),
    ("work_summary", "ghjh", "{org}{year}年度工作总结"),
    ("budget", "czzj", "{org}{next}年部门预算"),
    ("budget", "czzj", "{org}{next}年度部门预算公开"),
    ("final_accounts", "czzj", "{org}{year}年度部门决算"),
    ("final_accounts", "czzj", "{org}{year}年部门决算公开说明"),
    ("other_report", "ghjh", "{org}{year}年法治政府建设年度报告"),
    ("other_report", "ghjh", "{org}关于{year}年度国有资产管理情况的报告"),
    ("website_report", "ghjh", "{org}政府网站工作年度报表（{year}年度）"),
    ("interpretation", "ndbg", "图解：{org}{year}年政府信息公开工作年度报告"),
    ("other_report", "ndbg", "{org}{year}年度政务公开工作要点落实情况"),
)


def _add_noise(rng: random.Random, portal: Portal, paths: PathMaker, org: Org, years: tuple[int, ...]) -> None:
    """One to three look-alikes per body; those filed in the report column land in the body's column."""
    for _ in range(rng.randint(1, 3)):
        kind, col, template = rng.choice(NOISE_TITLES)
        year = rng.choice(years)
        column = org.column if col == "ndbg" else col
        published = date(year + 1, 1, 1) + timedelta(days=rng.randint(0, 200))
        key = f"n-{org.id}-{len(portal.noise)}"
        title = template.format(org=org.name, year=year, next=year + 1)
        portal.noise.append(Noise(key, org.id, title, kind, column, published,
                                  paths.detail(portal.column(column), published)))
    portal.noise.sort(key=lambda n: (n.published_on, n.key), reverse=True)


def _fault_kinds(index: int, portal_id: str, plan: bool | dict[str, list[str]]) -> list[str]:
    """Which faults a portal gets: the default cycle (plan True), none (False), or as the plan names."""
    if isinstance(plan, dict):
        return list(plan.get(portal_id, []))
    return [faults.kind_for(index)] if plan and index > 0 else []


def generate_spec(seed: int, n_portals: int, years: tuple[int, ...], *,
                  faults_on: bool | dict[str, list[str]] = True) -> FarmSpec:
    pool = candidates(seed)
    if not 1 <= n_portals <= len(pool):
        raise ValueError(f"n_portals must be between 1 and {len(pool)}")
    spec = FarmSpec(seed, years, [], {})
    for index, cand in enumerate(pool[:n_portals]):
        portal = build_portal(seed, index, cand, years, spec)
        for number, kind in enumerate(_fault_kinds(index, portal.id, faults_on)):
            rng = random.Random(f"{seed}:fault:{index}:{number}" if number else f"{seed}:fault:{index}")
            faults.inject(portal, kind, rng, paths_for(portal))
        spec.portals.append(portal)
    return spec


def paths_for(portal: Portal) -> PathMaker:
    return extra_paths(portal, f"fault{len(portal.faults)}")
