"""Timers that run out: answering closes when the time is up, once, however many processes
check (app/live/timers.py runs the check in every worker)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.events import Publisher, Topic
from app.models import PromptPhase, Workshop, WorkshopPrompt, WorkshopStatus, utcnow
from app.services.sequence import commit_change


def close_due_timers(*, session: Session, publisher: Publisher) -> list[int]:
    """Close answering wherever the timer ran out; the ids of the workshops closed now.

    Safe to run in several processes at once: each workshop is claimed by one conditional
    UPDATE, so only one of them closes it and publishes."""
    now = utcnow()
    due = session.exec(
        select(Workshop.id).where(
            col(Workshop.timer_ends_at).is_not(None), col(Workshop.timer_ends_at) <= now
        )
    ).all()
    session.rollback()  # end the read before the writes below
    return [
        workshop_id
        for workshop_id in due
        if workshop_id is not None
        and _close_when_due(session=session, publisher=publisher, workshop_id=workshop_id, now=now)
    ]


def _close_when_due(
    *, session: Session, publisher: Publisher, workshop_id: int, now: datetime
) -> bool:
    # On PostgreSQL a second process's UPDATE waits for the first to commit, then finds the
    # timer cleared and matches nothing: one close, one event.
    claimed = (
        session.connection()
        .execute(
            update(Workshop)
            .where(
                col(Workshop.id) == workshop_id,
                col(Workshop.timer_ends_at).is_not(None),
                col(Workshop.timer_ends_at) <= now,
            )
            .values(timer_ends_at=None)
            .returning(col(Workshop.current_position), col(Workshop.status))
        )
        .first()
    )
    if claimed is None:
        session.rollback()
        return False
    position, status = claimed
    if position is not None and status is not WorkshopStatus.ended:
        session.connection().execute(
            update(WorkshopPrompt)
            .where(
                col(WorkshopPrompt.workshop_id) == workshop_id,
                col(WorkshopPrompt.position) == position,
                col(WorkshopPrompt.phase) == PromptPhase.open,
            )
            .values(phase=PromptPhase.closed)
        )
    commit_change(session=session, publisher=publisher, workshop_id=workshop_id, topics=Topic)
    session.expire_all()
    return True
