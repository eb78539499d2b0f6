"""Which mail is due today: one outbox row per (kind, item or person, date), inserted once.

The unique key makes planning idempotent: every pass may plan everything again, and a key
already in the outbox is skipped by the database (INSERT ... ON CONFLICT DO NOTHING).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from app.agenda_models import Agenda, AgendaItem, ItemHistory
from app.mail_models import MailContact, MailKind, MailOutbox
from app.models import User, Workshop, WorkshopFacilitator
from app.services.agenda import list_items, unfinished
from app.services.mail_contacts import (
    contact_key,
    facilitator_contact,
    mail_settings,
    reminder_days,
)
from app.services.privacy import school_year_end

# Facilitators hear about a check-in or terugblik this many days ahead.
SUMMARY_LEAD_DAYS = 7
# Mail stops this long after the school year ends.
AFTER_YEAR_DAYS = 31
# Changes through owner links carry this note (app/services/owners.py).
BY_OWNER = "door de trekker"


def _insert(session: Session, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    bind = session.get_bind()
    dialect = postgresql if bind.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(MailOutbox)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(MailOutbox.id))
    )
    # Counted from RETURNING: psycopg reports no rowcount for this statement.
    return len(session.execute(statement).all())


def _row(
    key: str, agenda_id: int, contact_id: int, kind: MailKind, now: datetime, **extra: Any
) -> dict[str, Any]:
    return {
        "key": key,
        "agenda_id": agenda_id,
        "contact_id": contact_id,
        "kind": kind,
        "send_after": now,
        "created_at": now,
        "attempts": 0,
        "item_id": extra.get("item_id"),
        "about": extra.get("about"),
    }


def _owner_rows(
    session: Session, agenda: Agenda, items: list[AgendaItem], today: date, now: datetime
) -> list[dict[str, Any]]:
    assert agenda.id is not None
    contacts = {
        c.owner_key: c
        for c in session.exec(select(MailContact).where(MailContact.agenda_id == agenda.id)).all()
        if c.owner_key is not None and c.email and c.unsubscribed_at is None
    }
    days = reminder_days(mail_settings(session=session, agenda_id=agenda.id))
    rows: list[dict[str, Any]] = []
    overdue_by_contact: dict[int, list[AgendaItem]] = {}
    for item in items:
        contact = contacts.get(contact_key(item.owner_name, item.owner_organisation))
        if contact is None or contact.id is None or not unfinished(item):
            continue
        rows += _item_rows(item, agenda.id, contact.id, days, today, now)
        if item.due_date is not None and today > item.due_date:
            overdue_by_contact.setdefault(contact.id, []).append(item)
    return rows + _digest_rows(session, agenda.id, overdue_by_contact, today, now)


def _item_rows(
    item: AgendaItem, agenda_id: int, cid: int, days: tuple[int, ...], today: date, now: datetime
) -> list[dict[str, Any]]:
    """The assignment, and the reminder or overdue nudge that is due, for one item."""
    due = item.due_date
    base = (agenda_id, cid)
    rows = [
        _row(
            f"assignment:{item.id}:{cid}",
            *base,
            MailKind.assignment,
            now,
            item_id=item.id,
            about=due,
        )
    ]
    if due is None:
        return rows
    if today < due:
        near = [d for d in days if today >= due - timedelta(days=d)]
        if near:
            d = min(near)
            rows.append(
                _row(
                    f"reminder:{item.id}:{due}:{d}",
                    *base,
                    MailKind.reminder,
                    now,
                    item_id=item.id,
                    about=due,
                )
            )
    elif today > due:
        rows.append(
            _row(
                f"overdue:{item.id}:{due}",
                *base,
                MailKind.overdue,
                now,
                item_id=item.id,
                about=due,
            )
        )
    return rows


def _digest_rows(
    session: Session,
    agenda_id: int,
    overdue_by_contact: dict[int, list[AgendaItem]],
    today: date,
    now: datetime,
) -> list[dict[str, Any]]:
    # After the one nudge per item, at most one digest a week, once a nudge is a week old.
    week_ago = now - timedelta(days=7)
    monday = today - timedelta(days=today.weekday())
    rows: list[dict[str, Any]] = []
    for cid, overdue in overdue_by_contact.items():
        nudged = session.exec(
            select(MailOutbox.id).where(
                MailOutbox.contact_id == cid,
                MailOutbox.kind == MailKind.overdue,
                col(MailOutbox.sent_at) <= week_ago,
                col(MailOutbox.item_id).in_([i.id for i in overdue]),
            )
        ).first()
        if nudged is not None:
            rows.append(
                _row(
                    f"overdue_digest:{cid}:{monday}",
                    agenda_id,
                    cid,
                    MailKind.overdue_digest,
                    now,
                    about=monday,
                )
            )
    return rows


def facilitators_of(session: Session, workshop: Workshop) -> list[User]:
    users = [session.get(User, workshop.owner_id)]
    users += session.exec(
        select(User)
        .join(WorkshopFacilitator, col(WorkshopFacilitator.user_id) == col(User.id))
        .where(WorkshopFacilitator.workshop_id == workshop.id)
    ).all()
    return [u for u in users if u is not None]


def _changes_last_month(session: Session, items: list[AgendaItem], today: date) -> date | None:
    """The first day of last month, if trekkers changed anything through their link then."""
    first = today.replace(day=1)
    start = (first - timedelta(days=1)).replace(day=1)
    ids = [i.id for i in items]
    if not ids:
        return None
    for entry in session.exec(
        select(ItemHistory).where(
            col(ItemHistory.item_id).in_(ids), col(ItemHistory.note).is_not(None)
        )
    ).all():
        local = entry.at.date()
        if start <= local < first and BY_OWNER in (entry.note or ""):
            return start
    return None


def _facilitator_rows(
    session: Session,
    agenda: Agenda,
    workshop: Workshop,
    items: list[AgendaItem],
    today: date,
    now: datetime,
) -> list[dict[str, Any]]:
    assert agenda.id is not None
    wanted: list[tuple[MailKind, date]] = []
    for kind, day in (
        (MailKind.checkin_summary, agenda.checkin_date),
        (MailKind.review_summary, agenda.review_date),
    ):
        if day is not None and day - timedelta(days=SUMMARY_LEAD_DAYS) <= today <= day:
            wanted.append((kind, day))
    month = _changes_last_month(session, items, today)
    if month is not None:
        wanted.append((MailKind.owner_changes, month))
    rows: list[dict[str, Any]] = []
    if not wanted:
        return rows
    for user in facilitators_of(session, workshop):
        assert user.id is not None
        contact = facilitator_contact(session=session, agenda_id=agenda.id, user_id=user.id)
        if contact.unsubscribed_at is not None or contact.id is None:
            continue
        for kind, day in wanted:
            rows.append(
                _row(
                    f"{kind.value}:{agenda.id}:{day}:{user.id}",
                    agenda.id,
                    contact.id,
                    kind,
                    now,
                    about=day,
                )
            )
    return rows


def plan(*, session: Session, today: date, now: datetime) -> int:
    """Insert the mail due today that is not in the outbox yet; commits; returns how many."""
    planned = 0
    for agenda in session.exec(select(Agenda).order_by(col(Agenda.id))).all():
        assert agenda.id is not None
        end = school_year_end(agenda.school_year) + timedelta(days=AFTER_YEAR_DAYS)
        workshop = session.get(Workshop, agenda.workshop_id)
        if today > end or workshop is None:
            continue
        items = list_items(session=session, agenda_id=agenda.id)
        rows = _owner_rows(session, agenda, items, today, now)
        rows += _facilitator_rows(session, agenda, workshop, items, today, now)
        planned += _insert(session, rows)
        session.commit()
    return planned
