"""Chinese descriptions of failed fetches, for the Fetch table and the portal-health pages."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet import error as tx_error
from twisted.web._newclient import ResponseNeverReceived

_KINDS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((DownloadTimeoutError, tx_error.TimeoutError, tx_error.TCPTimedOutError), "连接超时"),
    ((CannotResolveHostError, tx_error.DNSLookupError), "域名解析失败"),
    ((DownloadConnectionRefusedError, tx_error.ConnectionRefusedError), "连接被拒绝"),
    ((DownloadCancelledError,), "响应超过大小上限，已中止下载"),
    ((ResponseDataLossError, ResponseNeverReceived, tx_error.ConnectionLost, tx_error.ConnectionDone),
     "连接中断，响应不完整"),
    ((DownloadFailedError,), "下载失败"),
)

HTTP_STATUS = {400: "请求无效", 401: "需要登录", 403: "禁止访问", 404: "页面不存在", 410: "页面已删除",
               429: "请求过多", 500: "服务器内部错误", 502: "网关错误", 503: "服务不可用", 504: "网关超时"}


def describe_exception(exc: BaseException) -> str:
    """'连接超时：…' for a download exception."""
    detail = str(exc).strip()
    for types, label in _KINDS:
        if isinstance(exc, types):
            if isinstance(exc, DownloadCancelledError) and "max size" not in detail:
                return f"下载被取消：{detail}"[:500]
            return f"{label}：{detail}"[:500] if detail else label
    if isinstance(exc, IgnoreRequest):
        if "robots.txt" in detail:
            return "robots.txt 禁止抓取"
        return detail[:500] if detail.startswith(("拒绝访问", "超出门户域名")) else f"请求被忽略：{detail}"[:500]
    return f"下载失败（{type(exc).__name__}）：{detail}"[:500]


def describe_status(status: int) -> str | None:
    """None for a success or a redirect; 'HTTP 404 页面不存在' for an error status."""
    if status < 400:
        return None
    return f"HTTP {status} {HTTP_STATUS.get(status, '错误')}"
