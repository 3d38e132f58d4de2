"""The outbox: every message is stored (with its Digest, in one transaction) before any attempt to send it.

A row moves pending -> sent only after the SMTP server accepted it; transient failures push
`next_attempt_at` back exponentially, so retries survive restarts. Claiming a row bumps `attempts`
with a compare-and-set on the old value, so two workers never send the same row at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, update
from sqlmodel import Session, col, select

from db.models import Digest, OutboxMessage

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
MAX_ATTEMPTS = 20  # about three and a half days of retrying before a message is given up
LEASE = timedelta(minutes=10)  # a claimed row is not picked again before this, even if its worker died


@dataclass(frozen=True, slots=True)
class Planned:
    """A composed digest or alert, not yet stored. `message` None: recorded as decided, nothing to mail."""

    supervisor_id: int
    to_addr: str
    period: str
    subject: str
    counts: dict[str, Any]
    message: EmailMessage | None
    composed_at: datetime


def enqueue(*, session: Session, planned: Planned) -> Digest:
    """Add the Digest row and its outbox message; the unique (supervisor, period) key refuses a second one."""
    digest = Digest(supervisor_id=planned.supervisor_id, period=planned.period, subject=planned.subject,
                    counts=planned.counts, composed_at=planned.composed_at)
    session.add(digest)
    session.flush()
    if planned.message is not None:
        session.add(OutboxMessage(
            digest_id=digest.id, to_addr=planned.to_addr, subject=planned.subject,
            message=planned.message.as_bytes(policy=policy.SMTP),
            next_attempt_at=planned.composed_at, created_at=planned.composed_at,
        ))
        session.flush()
    return digest


def enqueue_many(*, session: Session, planned: list[Planned]) -> None:
    """`enqueue` for many digests at once (two INSERT … RETURNING statements instead of an ORM flush each)."""
    if not planned:
        return
    digest_ids = session.execute(
        insert(Digest).returning(col(Digest.id), sort_by_parameter_order=True),
        [{"supervisor_id": p.supervisor_id, "period": p.period, "subject": p.subject, "counts": p.counts,
          "composed_at": p.composed_at} for p in planned],
    ).scalars().all()
    messages = [{"digest_id": digest_id, "to_addr": p.to_addr, "subject": p.subject, "status": "pending",
                 "attempts": 0, "message": p.message.as_bytes(policy=policy.SMTP),
                 "next_attempt_at": p.composed_at, "created_at": p.composed_at}
                for digest_id, p in zip(digest_ids, planned, strict=True) if p.message is not None]
    if messages:
        session.execute(insert(OutboxMessage), messages)


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed ones: 1, 2, 4 … minutes, at most six hours."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def due(*, session: Session, now: datetime, limit: int = 500) -> list[tuple[int, int]]:
    """(id, attempts) of pending messages whose time has come, oldest first."""
    rows = session.exec(
        select(OutboxMessage.id, OutboxMessage.attempts)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id)).limit(limit)
    ).all()
    return [(int(mid), int(attempts)) for mid, attempts in rows if mid is not None]


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    attempts: int  # including the attempt now being made
    to_addr: str
    message: bytes


def claim(*, session: Session, message_id: int, attempts: int, now: datetime) -> Claimed | None:
    """Take the row for one attempt (None if another worker took it first).

    Commits before returning, so no transaction (on SQLite: no write lock) is held while the SMTP
    conversation runs.
    """
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id, col(OutboxMessage.attempts) == attempts,
               col(OutboxMessage.status) == "pending")
        .values(attempts=attempts + 1, next_attempt_at=now + LEASE)
    )
    row = None
    if result.rowcount == 1:  # type: ignore[attr-defined]
        to_addr, message = session.execute(select(OutboxMessage.to_addr, OutboxMessage.message)
                                           .where(col(OutboxMessage.id) == message_id)).one()
        row = Claimed(message_id, attempts + 1, to_addr, bytes(message))
    session.commit()
    return row


def mark_sent(*, session: Session, message_id: int, now: datetime) -> None:
    session.execute(update(OutboxMessage).where(col(OutboxMessage.id) == message_id)
                    .values(status="sent", sent_at=now, last_error=None))
    session.commit()


def mark_failed(*, session: Session, message_id: int, attempts: int, now: datetime, error: str,
                permanent: bool) -> str:
    """Record a failed attempt: retry later with backoff, or give up. Returns the new status."""
    status = "failed" if permanent or attempts >= MAX_ATTEMPTS else "pending"
    session.execute(update(OutboxMessage).where(col(OutboxMessage.id) == message_id)
                    .values(status=status, last_error=error[:1000], next_attempt_at=now + backoff(attempts)))
    session.commit()
    return status


@dataclass(frozen=True, slots=True)
class OutboxSummary:
    """For health pages: how many messages are waiting, sent and given up, and the latest failures."""

    pending: int
    sent: int
    failed: int
    oldest_pending_at: datetime | None
    problems: list[tuple[str, str, int, str | None]]  # (to_addr, subject, attempts, last_error), newest first


def summary(*, session: Session, problems: int = 20) -> OutboxSummary:
    counts = dict(session.exec(select(OutboxMessage.status, func.count()).group_by(col(OutboxMessage.status))).all())
    oldest = session.exec(select(func.min(OutboxMessage.created_at)).where(OutboxMessage.status == "pending")).one()
    rows = session.exec(
        select(OutboxMessage.to_addr, OutboxMessage.subject, OutboxMessage.attempts, OutboxMessage.last_error)
        .where(col(OutboxMessage.last_error).is_not(None), OutboxMessage.status != "sent")
        .order_by(col(OutboxMessage.next_attempt_at).desc()).limit(problems)
    ).all()
    return OutboxSummary(int(counts.get("pending", 0)), int(counts.get("sent", 0)), int(counts.get("failed", 0)),
                         oldest, [(to, subject, int(attempts), error) for to, subject, attempts, error in rows])


def messages_for_period(*, session: Session, period: str) -> list[tuple[Digest, OutboxMessage]]:
    rows = session.exec(select(Digest, OutboxMessage).join(OutboxMessage, col(OutboxMessage.digest_id) == col(Digest.id))
                        .where(Digest.period == period).order_by(col(Digest.supervisor_id))).all()
    return [(digest, message) for digest, message in rows]


def write_eml(*, session: Session, period: str, directory: Path) -> list[Path]:
    """Write the period's outbox messages, byte for byte, as `<period>-<supervisor id>.eml` files."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for digest, message in messages_for_period(session=session, period=period):
        path = directory / f"{digest.period}-{digest.supervisor_id}.eml"
        path.write_bytes(message.message)
        paths.append(path)
    return paths
