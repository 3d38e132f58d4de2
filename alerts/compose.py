"""Render digests and alerts with Jinja2 and build the RFC 5322 message (HTML + plain-text twin)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, Undefined, select_autoescape

from alerts.content import DigestContent, ReportItem
from alerts.period import as_utc
from nianbao.errors import ConfigError, NianbaoError
from nianbao.settings import Settings

SUBJECT_PREFIX = "【年报监测】"
LIST_LIMIT = 100  # items listed per section; the counts and the status pages have the rest
COUNT_CELLS = (  # (counts key, label, colour when non-zero)
    ("missing", "新增未发布", "#c0392b"),
    ("late", "逾期发布", "#d35400"),
    ("inconsistent", "新认定有误", "#c0392b"),
    ("errors", "报告有误", "#c0392b"),
    ("corrected", "已更正", "#2e7d32"),
    ("upcoming", "两周内到期", "#b7791f"),
    ("unreachable", "门户无法抓取", "#7f8c8d"),
)


SUBJECT_PARTS = (("missing", "未发布"), ("late", "逾期"), ("wrong", "有误"), ("corrected", "已更正"),
                 ("upcoming", "即将到期"), ("unreachable", "无法抓取"))


def make_environment(*, timezone: str = "Asia/Shanghai", strict: bool = False) -> Environment:
    """The e-mail template environment: autoescape for .html, plain for .txt; StrictUndefined in tests."""
    tz = ZoneInfo(timezone)
    env = Environment(
        loader=PackageLoader("alerts", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined if strict else Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["localtime"] = lambda moment: as_utc(moment).astimezone(tz).strftime("%Y-%m-%d %H:%M")
    env.filters["localdate"] = lambda moment: as_utc(moment).astimezone(tz).date().isoformat()
    return env


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


def one_line(text: str) -> str:
    """Header-safe: registry names may carry line breaks or runs of spaces."""
    return " ".join(text.split())


def greeting(name: str | None) -> str:
    return f"{name}，您好：" if name else "您好："


def digest_subject(content: DigestContent) -> str:
    """Short enough for a mail list view: 未发布1，逾期1，有误2，… (only what is non-zero)."""
    if content.empty:
        return f"{SUBJECT_PREFIX}{content.label}摘要：一切正常"
    counts = content.counts()
    counts["wrong"] = counts["errors"] + counts["inconsistent"]
    parts = [f"{label}{counts[key]}" for key, label in SUBJECT_PARTS if counts[key]]
    return f"{SUBJECT_PREFIX}{content.label}摘要：" + "，".join(parts)


def render_digest(env: Environment, content: DigestContent, *, home_url: str) -> Rendered:
    counts = content.counts()
    subject = digest_subject(content)
    context = {
        "c": content,
        "subject": subject,
        "greeting": greeting(content.recipient_name),
        "count_cells": [(label, counts[key], colour) for key, label, colour in COUNT_CELLS],
        "home_url": home_url,
        "limit": LIST_LIMIT,
    }
    return Rendered(subject, env.get_template("digest.txt").render(context), env.get_template("digest.html").render(context))


def alert_subject(report: ReportItem) -> str:
    year = f"{report.year}年度报告" if report.year else "年度报告"
    return f"{SUBJECT_PREFIX}即时提醒：{report.org_name}{year}发现{report.error_count}处错误"


def render_alert(env: Environment, report: ReportItem, *, recipient_name: str | None, home_url: str) -> Rendered:
    subject = alert_subject(report)
    context = {"report": report, "subject": subject, "greeting": greeting(recipient_name), "home_url": home_url}
    return Rendered(subject, env.get_template("alert.txt").render(context), env.get_template("alert.html").render(context))


def sender(settings: Settings) -> tuple[str, str]:
    """(display name, address) of settings.mail_from."""
    name, addr = parseaddr(settings.mail_from)
    return name, addr or "nianbao@localhost"


def message_id_for(*, settings: Settings, supervisor_id: int, period: str) -> str:
    """Stable per digest: the same supervisor and period always give the same Message-ID."""
    domain = sender(settings)[1].rpartition("@")[2] or "localhost"
    return f"<nianbao.{period}.{supervisor_id}@{domain}>"


class BadAddress(NianbaoError):
    """An e-mail address that cannot be used in a message; the message names it."""


def mailbox(addr: str, name: str | None = None) -> Address:
    """`addr` as a header Address (domain in IDNA form), or BadAddress."""
    local, at, domain = addr.strip().rpartition("@")
    try:
        if not (at and local and domain and local.isascii()):
            raise ValueError(addr)
        return Address(display_name=one_line(name or ""), addr_spec=f"{local}@{domain.encode('idna').decode()}")
    except (ValueError, IndexError, HeaderParseError) as exc:  # UnicodeError and header defects are ValueErrors
        raise BadAddress(f"邮箱地址无效：{addr!r}") from exc


def from_address(settings: Settings) -> Address:
    display, addr = sender(settings)
    try:
        return mailbox(addr, display)
    except BadAddress:
        raise ConfigError(f"配置项 NIANBAO_MAIL_FROM 无效：{settings.mail_from}") from None


def build_message(*, settings: Settings, rendered: Rendered, to: Address, message_id: str, date: datetime,
                  period: str) -> EmailMessage:
    """multipart/alternative (text/plain first, then text/html), headers encoded per RFC 2047."""
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = one_line(rendered.subject)
    message["From"] = from_address(settings)
    message["To"] = to
    message["Date"] = format_datetime(as_utc(date))
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message["X-Nianbao-Period"] = period
    message.set_content(rendered.text, subtype="plain", charset="utf-8")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8")
    return message

