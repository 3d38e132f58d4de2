"""HTML of the imitated portals: page chrome, home, 政府信息公开 page, list pages and detail pages.

Everything here is a pure function of the spec, so the same seed gives the same bytes.
"""

from __future__ import annotations

import zlib
from datetime import date
from html import escape
from typing import NamedTuple

from portalfarm.places import ICP_PREFIX
from portalfarm.spec import Column, Noise, Portal, Report

REPORT_COLUMNS = ("ndbg", "bmnb", "xzjdnb")
TECH_SUPPORT = "喆堃信息技术有限公司"  # 喆 and 堃 are in GBK but not in GB2312


class Item(NamedTuple):
    title: str
    href: str
    on: date


def charset_meta(portal: Portal) -> str:
    if portal.charset == "utf-8":
        return '<meta charset="utf-8">'
    if portal.charset == "gbk-meta":
        # Declared gb2312, as most such portals do, while the bytes are GBK (see the footer): browsers and
        # w3lib read gb2312 as GBK/GB18030; a strict gb2312 decoder fails.
        return '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    return ""


def clock(key: str) -> str:
    """A stable publication time of day for an entry (portals print minutes)."""
    minutes = 8 * 60 + zlib.crc32(key.encode()) % 540
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def layout(portal: Portal, title: str, body: str, metas: dict[str, str] | None = None) -> str:
    meta_tags = "".join(f'<meta name="{escape(k)}" content="{escape(v)}">\n' for k, v in (metas or {}).items())
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{charset_meta(portal)}
<meta name="SiteName" content="{escape(portal.name)}">
<meta name="SiteDomain" content="{escape(portal.host)}">
{meta_tags}<title>{escape(title)}</title>
<link rel="stylesheet" href="/common/css/style.css">
</head>
<body>
<div class="header"><div class="logo">{escape(portal.name)}</div>
<ul class="nav"><li><a href="/index.html">首页</a></li><li><a href="/zwgk/index.html">政府信息公开</a></li>
<li><a href="javascript:;">政务服务</a></li><li><a href="javascript:;">互动交流</a></li></ul></div>
<div class="main">
{body}
</div>
<div class="footer"><p>主办单位：{escape(portal.name)}　　网站标识码：{zlib.crc32(portal.host.encode()) % 10**10:010d}</p>
<p>ICP备案号：{ICP_PREFIX.get(portal.province, "黑")}ICP备{zlib.crc32(portal.name.encode()) % 10**8:08d}号　　技术支持：{TECH_SUPPORT}</p></div>
</body>
</html>
"""


def report_columns(portal: Portal) -> list[Column]:
    return [c for c in portal.columns if c.id in REPORT_COLUMNS]


def column_label(portal: Portal, column: Column) -> str:
    if column.id == "ndbg" and portal.nav_only:
        return "年度报告"
    return column.title


def home(portal: Portal, headlines: list[str]) -> str:
    news = "".join(f'<li><a href="javascript:;">{escape(h)}</a></li>' for h in headlines)
    quick = ""
    if not portal.nav_only:
        links = "".join(f'<li><a href="{c.path}">{escape(c.title)}</a></li>' for c in report_columns(portal))
        quick = f'<div class="zt"><h3>专题专栏</h3><ul>{links}</ul></div>'
    body = (f'<div class="news"><h3>政务要闻</h3><ul>{news}</ul></div>\n'
            f'<div class="gk"><a href="/zwgk/index.html">政府信息公开</a></div>\n{quick}')
    return layout(portal, portal.name, body)


def zwgk(portal: Portal) -> str:
    items = ['<li><a href="javascript:;">政府信息公开指南</a></li>', '<li><a href="javascript:;">政府信息公开制度</a></li>',
             '<li><a href="javascript:;">法定主动公开内容</a></li>']
    items += [f'<li><a href="{c.path}">{escape(column_label(portal, c))}</a></li>' for c in portal.columns]
    position = '<div class="position">当前位置：<a href="/index.html">首页</a> &gt; 政府信息公开</div>'
    body = f'{position}\n<ul class="gkml">{"".join(items)}</ul>'
    return layout(portal, f"政府信息公开_{portal.name}", body)


def _position(portal: Portal, column: Column) -> str:
    return (f'<div class="position">当前位置：<a href="/index.html">首页</a> &gt; <a href="/zwgk/index.html">政府信息公开</a>'
            f' &gt; <a href="{column.path}">{escape(column_label(portal, column))}</a></div>')


def _side(portal: Portal, column: Column) -> str:
    if column.id not in REPORT_COLUMNS:
        return ""
    links = "".join(f'<li><a href="{c.path}">{escape(column_label(portal, c))}</a></li>'
                    for c in report_columns(portal))
    return f'<ul class="side">{links}</ul>'


def shown(title: str, limit: int | None) -> str:
    """The list text: CMS templates cut long titles (the full one stays in the title attribute)."""
    return title if limit is None or len(title) <= limit else title[: limit - 1] + "…"


def list_items(items: list[Item], limit: int | None = None) -> str:
    return "\n".join(f'<li><a href="{escape(i.href)}" target="_blank" title="{escape(i.title)}">'
                     f'{escape(shown(i.title, limit))}</a><span class="date">{i.on.isoformat()}</span></li>'
                     for i in items)


def static_pager(count: int, current: int) -> str:
    """TRS WCM: the pager exists only as a script call; page N>0 is index_N.html."""
    return ('<div class="page"><script type="text/javascript">\n'
            f"var currentPage = {current};//所在页从0开始\nvar prevPage = currentPage-1//上一页\n"
            f"var nextPage = currentPage+1//下一页\nvar countPage = {count}//共多少页\n"
            'createPageHTML(countPage, currentPage, "index", "html");\n</script></div>')


def query_pager(count: int, current: int) -> str:
    """Platforms paging with ?page=N (1-based) and plain links."""
    parts = [f'<a href="?page=1">首页</a>']
    if current > 1:
        parts.append(f'<a href="?page={current - 1}">上一页</a>')
    parts.append(f"<span>{current}/{count}</span>")
    if current < count:
        parts.append(f'<a href="?page={current + 1}">下一页</a>')
    parts.append(f'<a href="?page={count}">尾页</a><span>共{count}页</span>')
    return '<div class="page">' + " ".join(parts) + "</div>"


def list_page(portal: Portal, column: Column, items: list[Item], pager: str) -> str:
    script = '<script src="/common/js/page.js"></script>\n' if portal.pager == "static" else ""
    content = f"<ul>\n{list_items(items, portal.title_limit)}\n</ul>\n{pager}"
    return _list_layout(portal, column, script, content)


def _list_layout(portal: Portal, column: Column, before: str, content: str) -> str:
    label = escape(column_label(portal, column))
    body = (f'{before}{_position(portal, column)}\n{_side(portal, column)}\n'
            f'<div class="list"><h2>{label}</h2>\n{content}</div>')
    return layout(portal, f"{column_label(portal, column)}_{portal.name}", body, {"ColumnName": column.title})


def js_shell(portal: Portal, column: Column) -> str:
    """A list only a browser sees: the items come from a JSON or jcms XML endpoint."""
    if portal.pager == "js_json":
        holder = '<ul class="list" id="infoList"></ul><div class="page" id="pager"></div>'
        script = (f'<script src="/common/js/list.js"></script>\n'
                  f"<script>loadList({column.colid}, 1, {column.page_size});</script>")
    else:
        holder = f'<div id="div{column.colid}"></div>'
        config = f"{{columnid: {column.colid}, unitid: {column.colid + 7}, perpage: {column.page_size}}}"
        script = f'<script>var jpage = {config};</script>\n<script src="/common/js/jpage.js"></script>'
    return _list_layout(portal, column, "", f"{holder}\n{script}")


def _date_line(portal: Portal, on: date, key: str, source: str) -> tuple[str, dict[str, str]]:
    metas: dict[str, str] = {}
    if portal.date_style in ("meta", "both"):
        metas["PubDate"] = f"{on.isoformat()} {clock(key)}"
    shown = ""
    if portal.date_style in ("fbrq", "both"):
        shown = f"<span>发布日期：{on.isoformat()}</span>"
    elif portal.date_style == "fbsj":
        shown = f"<span>发布时间：{on.year}年{on.month:02d}月{on.day:02d}日 {clock(key)}</span>"
    return f'<div class="info">{shown}<span>来源：{escape(source)}</span></div>', metas


def attachment_link(href: str, name: str) -> str:
    return f'<div class="attach"><p>附件：</p><p><a href="{escape(href)}" target="_blank">{escape(name)}</a></p></div>'


def detail(portal: Portal, column: Column, entry: Report | Noise, org_name: str, inner: str) -> str:
    info, metas = _date_line(portal, entry.published_on, entry.key, org_name)
    metas = {"ColumnName": column.title, "ArticleTitle": entry.title, **metas, "ContentSource": org_name}
    body = (f'{_position(portal, column)}\n<div class="article"><h1 class="title">{escape(entry.title)}</h1>\n{info}\n'
            f'<div class="TRS_Editor">\n{inner}\n</div></div>')
    return layout(portal, f"{entry.title}_{portal.name}", body, metas)


def noise_text(noise: Noise, org_name: str) -> str:
    lead = {
        "budget": "根据《中华人民共和国预算法》和财政部门的统一部署，现将部门预算公开如下。",
        "final_accounts": "根据预决算公开有关规定，现将部门决算公开如下，包括收入支出决算总表、财政拨款收入支出决算表等。",
        "work_summary": "一年来，在上级党委、政府的坚强领导下，我单位紧紧围绕中心工作，凝心聚力，各项工作取得明显成效。",
        "website_report": "根据《政府网站与政务新媒体检查指标》要求，现将本年度政府网站工作年度报表公开如下。",
        "interpretation": "一图读懂本年度政府信息公开工作年度报告，主要数据如下：主动公开信息、依申请公开办理情况。",
    }.get(noise.kind, "现将有关情况报告如下。")
    on = noise.published_on
    closing = f"{org_name}将继续认真贯彻落实党中央、国务院决策部署，推动各项工作再上新台阶。"
    return (f'<p style="text-indent:2em;">{escape(lead)}</p>\n<p style="text-indent:2em;">{escape(closing)}</p>\n'
            f'<p style="text-align:right;">{escape(org_name)}</p>\n'
            f'<p style="text-align:right;">{on.year}年{on.month}月{on.day}日</p>')


def not_found(portal: Portal) -> str:
    message = '<div class="error"><h2>抱歉，您访问的页面不存在或已被删除！</h2><p><a href="/index.html">返回首页</a></p></div>'
    return layout(portal, "页面不存在", message)
