"""Database models, one family per entity (XBase -> table X, XCreate, XPublic)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, DateTime, Index, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

from app.ids import DbId


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, always hands back an aware datetime (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use app.models.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts(*, nullable: bool = False, index: bool = False) -> Any:
    column: Column[datetime] = Column(UTCDateTime(), nullable=nullable, index=index)
    if nullable:
        return Field(default=None, sa_column=column)
    return Field(default_factory=utcnow, sa_column=column)


class WorkshopKind(StrEnum):
    regional = "regional"
    school_team = "school_team"


class WorkshopStatus(StrEnum):
    lobby = "lobby"
    running = "running"
    ended = "ended"


class PromptPhase(StrEnum):
    pending = "pending"
    open = "open"
    closed = "closed"


class Domain(StrEnum):
    onderwijs = "onderwijs"
    gemeente = "gemeente"
    jongerenwerk = "jongerenwerk"
    politie = "politie"
    jeugdhulp = "jeugdhulp"
    leerplicht = "leerplicht"
    ouders = "ouders"
    anders = "anders"


# A facilitator's account.
class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    created_at: datetime = _ts()
    # Every browser session and API token carries the generation it was issued in; logging
    # out or changing the password moves it on, which ends them all (app/deps.py).
    session_version: int = Field(default=0)


# Shared fields of a workshop as a facilitator creates it.
class WorkshopBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    deck_slug: str = Field(max_length=60)
    kind: WorkshopKind = WorkshopKind.regional
    school_year: str = Field(max_length=9, regex=r"^\d{4}-\d{4}$")
    organisation: str | None = Field(default=None, max_length=200)
    # Privacy by design: no names asked, none stored, none shown.
    anonymous: bool = False
    # Answers and names are purged this many days after the school year ends (31 July).
    retention_days: int = Field(default=90, ge=0, le=3650)


# A bijeenkomst: one session with one deck, its join code and its live state.
class Workshop(WorkshopBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id", index=True)
    join_code: str = Field(max_length=12, unique=True, index=True)
    status: WorkshopStatus = WorkshopStatus.lobby
    # Locked: the code lets no new participants in; those inside carry on.
    locked: bool = False
    # Position of the current prompt; None while in the lobby.
    current_position: int | None = None
    timer_ends_at: datetime | None = _ts(nullable=True)
    # Open on arrival: moving to a prompt not opened before opens answering at once.
    open_on_arrival: bool = False
    # Bumped in the same transaction as every change a client can see.
    seq: int = 0
    created_at: datetime = _ts()
    # When `gesprekskaarten purge` removed the answers and names; None while they are kept.
    purged_at: datetime | None = _ts(nullable=True)


# Input for creating a workshop.
class WorkshopCreate(WorkshopBase):
    pass


# A co-facilitator: another account added to a workshop.
class WorkshopFacilitator(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")


# A prompt as copied from the deck into a workshop, so later deck edits leave it alone.
class WorkshopPrompt(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("workshop_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    position: int
    theme_number: int
    theme_title: str = Field(max_length=2000)
    deck_prompt_id: str = Field(max_length=80)
    text: str = Field(max_length=2000)
    kind: str = Field(max_length=10)
    source: str = Field(max_length=10)
    derived_from: str | None = Field(default=None, max_length=2000)
    scale_low: str | None = Field(default=None, max_length=200)
    scale_high: str | None = Field(default=None, max_length=200)
    is_wie_aan_zet: bool = False
    phase: PromptPhase = PromptPhase.pending
    revealed: bool = False


# A person in the room, without an account; known by a token kept in a cookie.
class Participant(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True, index=True)
    name: str | None = Field(default=None, max_length=80)
    organisation: str | None = Field(default=None, max_length=120)
    domain: Domain = Domain.anders
    # A school team's member says their role instead of organisation and domain (ROLES).
    role: str | None = Field(default=None, max_length=30)
    joined_at: datetime = _ts()
    # Open websocket connections, across workers; shown as presence.
    connections: int = 0


# What a participant fills in to join.
class ParticipantCreate(SQLModel):
    name: str | None = Field(default=None, max_length=80)
    organisation: str | None = Field(default=None, max_length=120)
    # None: not chosen; a regional meeting refuses that, a school team derives it from the role.
    domain: Domain | None = None
    role: str | None = Field(default=None, max_length=30)


# An answer to one prompt: free text or a 1-5 value.
class Answer(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("participant_id", "idempotency_key"),
        Index("ix_answer_prompt_live", "prompt_id", "withdrawn"),
    )
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    prompt_id: int = Field(foreign_key="workshopprompt.id", ondelete="CASCADE")
    participant_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    idempotency_key: str = Field(max_length=64)
    text: str | None = Field(default=None, max_length=4000)
    value: int | None = Field(default=None, ge=1, le=5)
    hidden: bool = False
    withdrawn: bool = False
    # Comma-separated kinds of personal data the author was warned about and sent anyway.
    pii_reasons: str | None = Field(default=None, max_length=200)
    # Held for review: flagged, and not yet released by a facilitator. Only the facilitator
    # and the author see a held answer (docs/security-privacy.md, "Held for review").
    held: bool = False
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


# A "+1" ("herken ik") on a revealed answer, once per participant.
class Reaction(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("answer_id", "participant_id"),)
    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="answer.id", index=True, ondelete="CASCADE")
    participant_id: int = Field(foreign_key="participant.id", ondelete="CASCADE")


# A group of an open prompt's answers: suggested by Groeperen, kept once saved.
class AnswerGroup(SQLModel, table=True):
    __table_args__ = (Index("ix_answergroup_prompt", "prompt_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    prompt_id: int = Field(foreign_key="workshopprompt.id", ondelete="CASCADE")
    label: str = Field(max_length=120)
    position: int = 0
    # Fixed: the facilitator accepted or edited it; its members never move by themselves.
    fixed: bool = False
    created_at: datetime = _ts()


# An answer's place: at most one group per answer (and so per prompt). No group: the
# facilitator took it out of the groups, and no suggestion puts it back.
class AnswerGroupMember(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("answer_id"),)
    id: int | None = Field(default=None, primary_key=True)
    prompt_id: int = Field(foreign_key="workshopprompt.id", index=True, ondelete="CASCADE")
    group_id: int | None = Field(
        default=None, foreign_key="answergroup.id", index=True, ondelete="CASCADE"
    )
    answer_id: int = Field(foreign_key="answer.id", ondelete="CASCADE")


# --- The doe-agenda ---------------------------------------------------------------------------


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


# What the facilitator chose for the projector (app/services/wall.py); a row appears with the
# first choice. Order and mode are plain strings checked by the service (WallOrder,
# ProjectorMode there), so a later choice needs no enum migration. `prompt_id` is the prompt
# the choices were made at: mode, pause and spotlight hold for that prompt only.
class WallState(SQLModel, table=True):
    workshop_id: int = Field(primary_key=True, foreign_key="workshop.id", ondelete="CASCADE")
    answer_order: str = Field(default="reactions", max_length=16)
    mode: str = Field(default="answers", max_length=16)
    paused: bool = False
    # An answer of the current prompt; one that is hidden, withdrawn or gone shows nothing.
    spotlight_answer_id: int | None = None
    # Each "next page" adds one, "previous page" takes one off: projectors turn by the change.
    turn: int = 0
    prompt_id: int | None = None


# A facilitator's own deck: a copy of a deck, edited in the browser. `content` is the deck as
# YAML in exactly the cards/ schema, so export is the stored text and validation is the same.
class OwnDeck(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    # Unique among own decks and never a file deck's slug; a workshop names it in deck_slug.
    slug: str = Field(max_length=60, unique=True, index=True)
    title: str = Field(max_length=2000)
    content: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


# The e-mail tables live in their own module; importing them here registers them everywhere.
import app.mail_models  # noqa: E402, F401
