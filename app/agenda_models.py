"""Tables of the doe-agenda: the agenda, its actiepunten with their sources and history, the
dots, and the trekkers' links; plus the item's API shapes.

Imported at the end of app/models.py, so the metadata (and Alembic) always knows them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.ids import DbId
from app.models import _ts


class AgendaLevel(StrEnum):
    """The three columns of the Handelingskader."""

    sterke_basis = "sterke_basis"
    preventief = "preventief"
    incidenten = "incidenten"


class ItemStatus(StrEnum):
    open = "open"
    bezig = "bezig"
    gedaan = "gedaan"
    vervallen = "vervallen"


class HistoryKind(StrEnum):
    created = "created"
    edited = "edited"
    status_changed = "status_changed"
    carried_over = "carried_over"
    reviewed = "reviewed"


# A workshop's doe-agenda for one school year, with the meetings of the school-year cycle.
class Agenda(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", unique=True, ondelete="CASCADE")
    school_year: str = Field(max_length=9)
    start_date: date | None = None
    checkin_date: date | None = None
    review_date: date | None = None
    # Dots each participant may place; 0 means dot voting is closed.
    dots_per_participant: int = 0
    # What the dots go on: "items" (actiepunten) or "answers" (the revealed prompt's answers).
    vote_on: str = Field(default="items", max_length=10)
    # During a terugblik: the reviewed item on the room's screen (an item of the reviewed
    # agenda; a plain id, as that agenda belongs to another workshop).
    review_item_id: int | None = None
    # The agenda a review workshop looked back on and carried open items from.
    carried_from_id: int | None = Field(default=None, foreign_key="agenda.id", ondelete="SET NULL")
    created_at: datetime = _ts()


# An actiepunt: who does what, by when, on which level of the Handelingskader.
class AgendaItem(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    agenda_id: int = Field(foreign_key="agenda.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    owner_name: str | None = Field(default=None, max_length=120)
    owner_organisation: str | None = Field(default=None, max_length=120)
    due_date: date | None = None
    theme_key: str | None = Field(default=None, max_length=80)
    theme_title: str | None = Field(default=None, max_length=2000)
    level: AgendaLevel | None = None
    status: ItemStatus = ItemStatus.open
    notes: str | None = Field(default=None, max_length=4000)
    # Optimistic locking: an edit names the version it started from.
    version: int = 1
    # Total dots placed on this item (kept with the DotVote rows in one transaction).
    votes: int = 0
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    carried_from_item_id: int | None = Field(
        default=None, foreign_key="agendaitem.id", ondelete="SET NULL"
    )


# The answer an item was made from, with its prompt and theme kept as text.
class AgendaItemSource(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agendaitem.id", index=True, ondelete="CASCADE")
    answer_id: int | None = Field(default=None, foreign_key="answer.id", ondelete="SET NULL")
    prompt_text: str = Field(max_length=2000)
    theme_title: str = Field(max_length=2000)


# What happened to an item, and in which workshop; copied along when an item is carried over.
class ItemHistory(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agendaitem.id", index=True, ondelete="CASCADE")
    workshop_id: int | None = Field(default=None, foreign_key="workshop.id", ondelete="SET NULL")
    kind: HistoryKind
    status: ItemStatus | None = None
    # A lesson from a terugblik, or a short description of the change.
    note: str | None = Field(default=None, max_length=2000)
    at: datetime = _ts()


# Dots a participant placed on an answer, an item or an answer group.
class DotVote(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("participant_id", "answer_id"),
        UniqueConstraint("participant_id", "item_id"),
        UniqueConstraint("participant_id", "group_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    participant_id: int = Field(foreign_key="participant.id", ondelete="CASCADE")
    answer_id: int | None = Field(default=None, foreign_key="answer.id", ondelete="CASCADE")
    item_id: int | None = Field(default=None, foreign_key="agendaitem.id", ondelete="CASCADE")
    # A group deleted, merged away or regrouped takes its dots with it (docs/meeting.md).
    group_id: int | None = Field(
        default=None, foreign_key="answergroup.id", index=True, ondelete="CASCADE"
    )
    count: int = 1


# A participant's reaction to the actiepunt on the terugblik's screen: one per item, its
# kind one of app.services.review_reactions.KINDS. Nothing else about the person is kept.
class ReviewReaction(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("participant_id", "item_id"),)
    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", ondelete="CASCADE")
    item_id: int = Field(foreign_key="agendaitem.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)


# A trekker's personal link; only the hash of its token is stored.
class OwnerLink(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    agenda_id: int = Field(foreign_key="agenda.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True, index=True)
    owner_name: str | None = Field(default=None, max_length=120)
    owner_organisation: str | None = Field(default=None, max_length=120)
    created_at: datetime = _ts()
    revoked_at: datetime | None = _ts(nullable=True)


# Shared fields of an actiepunt as people type it.
class AgendaItemBase(SQLModel):
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    owner_name: str | None = Field(default=None, max_length=120)
    owner_organisation: str | None = Field(default=None, max_length=120)
    due_date: date | None = None
    theme_key: str | None = Field(default=None, max_length=80)
    theme_title: str | None = Field(default=None, max_length=2000)
    level: AgendaLevel | None = None
    notes: str | None = Field(default=None, max_length=4000)


# Input for a new item: typed fresh, or made from answers (their prompt and theme are kept).
class AgendaItemCreate(AgendaItemBase):
    answer_ids: list[DbId] = Field(default_factory=list, max_length=50)
    # Shared by every item of the same trekker; "" forgets it (app/services/mail_contacts.py).
    owner_email: str | None = Field(default=None, max_length=254)


# Input for an edit: only the fields sent change; `version` is the one the editor started from.
class AgendaItemUpdate(SQLModel):
    version: int
    title: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    owner_name: str | None = Field(default=None, max_length=120)
    owner_organisation: str | None = Field(default=None, max_length=120)
    due_date: date | None = None
    theme_key: str | None = Field(default=None, max_length=80)
    theme_title: str | None = Field(default=None, max_length=2000)
    level: AgendaLevel | None = None
    status: ItemStatus | None = None
    notes: str | None = Field(default=None, max_length=4000)
    owner_email: str | None = Field(default=None, max_length=254)


# An item as the API returns it.
class AgendaItemPublic(AgendaItemBase):
    id: int
    owner_email: str | None = None
    status: ItemStatus
    version: int
    votes: int
    created_at: datetime
    updated_at: datetime
    carried_from_item_id: int | None
