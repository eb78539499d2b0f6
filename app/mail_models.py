"""Tables of the e-mail follow-through: who gets mail, per-agenda settings, and the outbox.

Imported at the end of app/models.py, so the metadata (and Alembic) always knows them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from app.models import _ts


class MailKind(StrEnum):
    assignment = "assignment"
    reminder = "reminder"
    overdue = "overdue"
    overdue_digest = "overdue_digest"
    checkin_summary = "checkin_summary"
    review_summary = "review_summary"
    owner_changes = "owner_changes"


# Someone the agenda mails: a trekker (by owner key, with the address given for them) or a
# facilitator (by account). The address is the only personal data; purge and delete drop it.
class MailContact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    agenda_id: int = Field(foreign_key="agenda.id", index=True, ondelete="CASCADE")
    # owner_key() of a trekker joined with "|"; None for a facilitator.
    owner_key: str | None = Field(default=None, max_length=250)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="CASCADE")
    email: str | None = Field(default=None, max_length=254)
    unsubscribed_at: datetime | None = _ts(nullable=True)
    # The owner link put in mail; its token is derived from the secret key and link_serial.
    owner_link_id: int | None = Field(default=None, foreign_key="ownerlink.id", ondelete="SET NULL")
    link_serial: int = 0
    created_at: datetime = _ts()


# Per-agenda mail settings; an agenda without a row uses the defaults.
class MailSettings(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    agenda_id: int = Field(foreign_key="agenda.id", unique=True, ondelete="CASCADE")
    # Days before the due date a reminder goes out, comma-separated.
    reminder_days: str = Field(default="14,2", max_length=40)
    language: str = Field(default="nl", max_length=5)


# One message to send: unique per key, claimed atomically, marked sent (docs/mail.md).
class MailOutbox(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    agenda_id: int = Field(foreign_key="agenda.id", index=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="mailcontact.id", index=True, ondelete="CASCADE")
    item_id: int | None = Field(default=None, foreign_key="agendaitem.id", ondelete="CASCADE")
    kind: MailKind
    # The day the message is about: a due date, a meeting date, a week or a month.
    about: date | None = None
    send_after: datetime = _ts()
    claimed_at: datetime | None = _ts(nullable=True)
    claim_token: str | None = Field(default=None, max_length=32)
    attempts: int = 0
    sent_at: datetime | None = _ts(nullable=True)
    failed_at: datetime | None = _ts(nullable=True)
    # Not sent because it no longer applied (item done or gone, person unsubscribed).
    skipped_at: datetime | None = _ts(nullable=True)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = _ts()
