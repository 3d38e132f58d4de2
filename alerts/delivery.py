"""Send what the outbox holds over SMTP (none, STARTTLS or implicit TLS, with AUTH), marking rows as the server answers."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from alerts.compose import sender
from alerts.outbox import claim, due, mark_failed, mark_sent
from alerts.period import utcnow
from nianbao.settings import Settings, SmtpTarget

log = logging.getLogger(__name__)
TIMEOUT = 30.0


@dataclass(slots=True)
class DeliveryResult:
    """What one delivery pass did; `errors` has one Chinese line per failed message or connection."""

    sent: int = 0
    retrying: int = 0  # failed this time, will be tried again after the backoff
    failed: int = 0  # given up: permanent refusal or too many attempts
    configured: bool = True  # False: NIANBAO_SMTP_URL is not set, nothing was tried
    errors: list[str] = field(default_factory=list)


class ConnectionFailed(Exception):
    """The server could not be reached or refused the session (not one message): stop this pass."""


def open_smtp(target: SmtpTarget, *, tls_context: ssl.SSLContext | None = None,
              timeout: float = TIMEOUT) -> smtplib.SMTP:
    """A connected, (STARTTLS-)encrypted and logged-in client, per target.security."""
    context = tls_context or ssl.create_default_context()
    client: smtplib.SMTP
    try:
        if target.security == "tls":
            client = smtplib.SMTP_SSL(target.host, target.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(target.host, target.port, timeout=timeout)
    except OSError as exc:  # refused, unreachable, TLS handshake, timeout (SMTPException is an OSError too)
        raise ConnectionFailed(f"无法连接 SMTP 服务器 {target.host}:{target.port}：{exc}") from exc
    try:
        client.ehlo_or_helo_if_needed()
        if target.security == "starttls":
            client.starttls(context=context)  # smtplib greets again over TLS before the next command
        if target.username:
            client.login(target.username, target.password or "")
    except smtplib.SMTPAuthenticationError as exc:
        client.close()
        raise ConnectionFailed(f"SMTP 登录失败（{exc.smtp_code}）：{_text(exc.smtp_error)}") from exc
    except OSError as exc:
        client.close()
        raise ConnectionFailed(f"SMTP 会话建立失败：{exc}") from exc
    return client


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _refusal(exc: smtplib.SMTPException) -> tuple[str, bool]:
    """(Chinese description, permanent?) of a per-message refusal; 5xx is permanent, 4xx transient."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (450, b""))
        return f"收件人被拒收（{code}）：{_text(text)}", code >= 500
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"服务器拒收（{exc.smtp_code}）：{_text(exc.smtp_error)}", exc.smtp_code >= 500
    return f"发送失败：{exc}", False


def _record(result: DeliveryResult, session: Session, row_id: int, attempts: int, now: datetime, error: str,
            permanent: bool, to_addr: str) -> None:
    status = mark_failed(session=session, message_id=row_id, attempts=attempts, now=now, error=error, permanent=permanent)
    if status == "failed":
        result.failed += 1
    else:
        result.retrying += 1
    result.errors.append(f"{to_addr}：{error}")
    log.warning("outbox %s to %s: %s (%s)", row_id, to_addr, error, status)


def _defer_all(result: DeliveryResult, session: Session, batch: list[tuple[int, int]],
               clock: Callable[[], datetime], error: str) -> None:
    """The server is down: every due message counts one failed attempt and backs off."""
    for row_id, attempts in batch:
        row = claim(session=session, message_id=row_id, attempts=attempts, now=clock())
        if row is not None:
            _record(result, session, row_id, row.attempts, clock(), error, False, row.to_addr)


def deliver_pending(*, engine: Engine, settings: Settings, now: datetime | None = None, limit: int = 200,
                    max_batches: int = 50, tls_context: ssl.SSLContext | None = None,
                    timeout: float = TIMEOUT) -> DeliveryResult:
    """Send every due outbox message, `limit` per connection; each is marked sent only after the server accepted it.

    `now` freezes the clock (tests); otherwise every claim, lease and backoff reads the real clock,
    so a long pass never hands out leases that have already run out.
    """
    result = DeliveryResult()
    target = settings.smtp
    if target is None:
        result.configured = False
        return result

    def clock() -> datetime:
        return now if now is not None else utcnow()

    envelope_from = sender(settings)[1]
    with Session(engine, expire_on_commit=False) as session:
        for _ in range(max_batches):  # every row tried leaves the due set (sent, backed off or leased)
            batch = due(session=session, now=clock(), limit=limit)
            session.commit()
            if not batch:
                break
            try:
                client = open_smtp(target, tls_context=tls_context, timeout=timeout)
            except ConnectionFailed as exc:
                _defer_all(result, session, batch, clock, str(exc))
                break
            try:
                completed = _send_batch(result, session, client, batch, clock, envelope_from)
            finally:
                _close(client)
            if not completed:
                break
    return result


def _send_batch(result: DeliveryResult, session: Session, client: smtplib.SMTP, batch: list[tuple[int, int]],
                clock: Callable[[], datetime], envelope_from: str) -> bool:
    """False when the connection broke off (the rest of the batch waits for the next pass)."""
    for row_id, attempts in batch:
        row = claim(session=session, message_id=row_id, attempts=attempts, now=clock())
        if row is None:
            continue  # another worker has it
        try:
            client.sendmail(envelope_from, [row.to_addr], row.message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            error, permanent = _refusal(exc)
            _record(result, session, row_id, row.attempts, clock(), error, permanent, row.to_addr)
        except OSError as exc:  # disconnected or timed out mid-batch: the rest waits for the next pass
            _record(result, session, row_id, row.attempts, clock(), f"连接中断：{exc}", False, row.to_addr)
            return False
        else:
            mark_sent(session=session, message_id=row_id, now=clock())
            result.sent += 1
    return True


def _close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except OSError:  # the server already went away; the socket is closed either way
        client.close()
