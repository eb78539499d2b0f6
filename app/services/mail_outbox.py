"""The outbox: claim a due row atomically, send it outside any transaction, mark it sent.

A claim is a conditional UPDATE (... WHERE claimed_at IS NULL OR claimed_at < stale) that
only one worker can win, on SQLite and on PostgreSQL alike: PostgreSQL re-checks the WHERE
after waiting for a competing update, so the loser sees the claim and updates no row.
A worker that dies after claiming leaves a claim that goes stale and is taken up again, so
a crash never loses a message (it may, rarely, send one twice: after the send, before the
mark). Failures are retried with growing pauses, then given up and shown on the console.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, or_, update
from sqlmodel import Session, col, select

from app.config import Settings
from app.db import Database
from app.mail_models import MailOutbox
from app.mail_transport import SendFailed, SmtpTransport
from app.models import utcnow
from app.services.agenda_sheet import LOCAL_TZ
from app.services.mail_messages import compose
from app.services.mail_planner import plan

log = logging.getLogger(__name__)
BATCH = 50


@dataclass
class RunResult:
    planned: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed try, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _open(stale_before: datetime) -> list[ColumnElement[bool]]:
    return [
        col(MailOutbox.sent_at).is_(None),
        col(MailOutbox.failed_at).is_(None),
        col(MailOutbox.skipped_at).is_(None),
        or_(col(MailOutbox.claimed_at).is_(None), col(MailOutbox.claimed_at) < stale_before),
    ]


def due_ids(*, session: Session, now: datetime, stale_before: datetime) -> list[int]:
    """Rows that look claimable; another worker may take any of them first."""
    ids = session.exec(
        select(MailOutbox.id)
        .where(*_open(stale_before), col(MailOutbox.send_after) <= now)
        .order_by(col(MailOutbox.id))
        .limit(BATCH)
    ).all()
    return [i for i in ids if i is not None]


def take(
    *, session: Session, row_id: int, now: datetime, stale_before: datetime
) -> MailOutbox | None:
    """The atomic claim of one row (committed): the row if this worker won it, else None."""
    token = secrets.token_hex(8)
    result = session.execute(
        update(MailOutbox)
        .where(col(MailOutbox.id) == row_id, *_open(stale_before))
        .values(claimed_at=now, claim_token=token, attempts=col(MailOutbox.attempts) + 1)
    )
    session.commit()
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    row = session.get(MailOutbox, row_id)
    assert row is not None
    session.refresh(row)
    return row


def claim(*, session: Session, now: datetime, stale_before: datetime) -> MailOutbox | None:
    """Claim one due row for this worker (committed), or None when nothing is due."""
    for row_id in due_ids(session=session, now=now, stale_before=stale_before):
        row = take(session=session, row_id=row_id, now=now, stale_before=stale_before)
        if row is not None:
            return row
    return None


def _finish(session: Session, row: MailOutbox, **values: object) -> bool:
    """Record the outcome only if the claim is still ours (a slow worker may have lost it)."""
    result = session.execute(
        update(MailOutbox)
        .where(col(MailOutbox.id) == row.id, col(MailOutbox.claim_token) == row.claim_token)
        .values(**values)
    )
    session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _fail(session: Session, row: MailOutbox, error: str, now: datetime, tries: int) -> str:
    if row.attempts >= tries:
        _finish(session, row, failed_at=now, last_error=error[:500])
        return "failed"
    _finish(
        session,
        row,
        claimed_at=None,
        claim_token=None,
        send_after=now + backoff(row.attempts),
        last_error=error[:500],
    )
    return "retried"


def deliver_one(
    *, db: Database, settings: Settings, transport: SmtpTransport, now: datetime, today: date
) -> str | None:
    """Claim, compose, send and mark one message; returns what happened, None if none was due."""
    stale_before = now - timedelta(seconds=settings.mail_claim_stale_seconds)
    with db.writing() as session:
        row = claim(session=session, now=now, stale_before=stale_before)
        if row is None:
            return None
        if row.attempts > settings.mail_max_tries:
            # Claimed and never finished too often: a message that crashes its worker.
            _finish(session, row, failed_at=now, last_error="gave up after repeated crashes")
            return "failed"
        try:
            message = compose(session=session, settings=settings, row=row, today=today, now=now)
            session.commit()
        except Exception as exc:  # a bug in one message must not stop the others
            log.exception("mail %s could not be composed", row.key)
            session.rollback()
            return _fail(session, row, f"compose: {exc}", now, settings.mail_max_tries)
        if message is None:
            _finish(session, row, skipped_at=now)
            return "skipped"
    # No transaction is held while the mail server is talked to.
    try:
        transport.send(message)
    except SendFailed as exc:
        log.warning("mail %s not sent: %s", row.key, exc)
        with db.writing() as session:
            return _fail(session, row, str(exc), now, settings.mail_max_tries)
    with db.writing() as session:
        if not _finish(session, row, sent_at=now, last_error=None):
            log.warning("mail %s was sent after its claim went stale", row.key)
    return "sent"


def run_once(
    *,
    db: Database,
    settings: Settings,
    transport: SmtpTransport,
    now: datetime | None = None,
    today: date | None = None,
) -> RunResult:
    """One pass: plan what is due, then send until nothing due is left."""
    now = now or utcnow()
    today = today or now.astimezone(LOCAL_TZ).date()
    result = RunResult()
    with db.writing() as session:
        result.planned = plan(session=session, today=today, now=now)
    while (
        outcome := deliver_one(db=db, settings=settings, transport=transport, now=now, today=today)
    ) is not None:
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result
