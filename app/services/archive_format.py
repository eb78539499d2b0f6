"""The versioned JSON archive format of a whole workshop, and validating an uploaded one.

References inside the archive are positions in its own lists, never database ids.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from app.agenda_models import AgendaLevel, HistoryKind, ItemStatus
from app.decks import PromptKind
from app.i18n import N_
from app.models import Domain, PromptPhase, WorkshopKind, WorkshopStatus
from app.services.dates import check_day, check_moment
from app.services.errors import InvalidInput
from app.services.text import clean_text
from app.services.workshops import MAX_RETENTION_DAYS, validate_school_year

FORMAT = "gesprekskaarten.workshop"
VERSION = 1


CHECKING = "checking"
# Far above any real workshop, far below what a database integer holds.
MAX_COUNT = 100_000


class _Strict(BaseModel):
    """An archive is input like any other: the same cleaning and ranges as live input."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _clean(cls, value: Any, info: ValidationInfo) -> Any:
        # Only for an upload (parse_archive): an export writes what is stored, even a value
        # from before these checks, so that it can always be downloaded.
        if not (info.context or {}).get(CHECKING):
            return value
        # Control characters go, as from a phone; a lone surrogate is refused. Length caps
        # are the fields' own.
        if isinstance(value, str) and not isinstance(value, Enum):
            return clean_text(value, limit=len(value), field="tekst")
        # Aware, and within 2000-2100, as every date typed in a form.
        if isinstance(value, datetime):
            return check_moment(value, field="tijdstip")
        if isinstance(value, date):
            return check_day(value, field="datum")
        return value


class PromptV1(_Strict):
    position: int = Field(ge=0, le=MAX_COUNT)
    theme_number: int = Field(ge=0, le=MAX_COUNT)
    theme_title: str = Field(max_length=2000)
    deck_prompt_id: str = Field(max_length=80)
    text: str = Field(max_length=2000)
    kind: PromptKind
    source: str = Field(max_length=10)
    derived_from: str | None = Field(default=None, max_length=2000)
    scale_low: str | None = Field(default=None, max_length=200)
    scale_high: str | None = Field(default=None, max_length=200)
    is_wie_aan_zet: bool = False
    phase: PromptPhase = PromptPhase.closed
    revealed: bool = False


class ParticipantV1(_Strict):
    # Organisation and domain only: names stay on the server they were typed on.
    organisation: str | None = Field(default=None, max_length=120)
    domain: Domain = Domain.anders


class AnswerV1(_Strict):
    prompt: int = Field(ge=0, le=MAX_COUNT)
    participant: int = Field(ge=0, le=MAX_COUNT)
    text: str | None = Field(default=None, max_length=4000)
    value: int | None = Field(default=None, ge=1, le=5)
    hidden: bool = False
    # Held for review (personal data sent anyway, not yet released): stays held on import.
    held: bool = False
    # The kinds of personal data its author was warned about and sent anyway.
    pii_reasons: str | None = Field(default=None, max_length=200)
    created_at: datetime


class SourceV1(_Strict):
    answer: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    prompt_text: str = Field(max_length=2000)
    theme_title: str = Field(max_length=2000)


class HistoryV1(_Strict):
    kind: HistoryKind
    status: ItemStatus | None = None
    note: str | None = Field(default=None, max_length=2000)
    at: datetime
    # True when it happened in this workshop; other workshops are not part of the archive.
    here: bool = True


class ItemV1(_Strict):
    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    owner_name: str | None = Field(default=None, max_length=120)
    owner_organisation: str | None = Field(default=None, max_length=120)
    due_date: date | None = None
    theme_key: str | None = Field(default=None, max_length=80)
    theme_title: str | None = Field(default=None, max_length=2000)
    level: AgendaLevel | None = None
    status: ItemStatus = ItemStatus.open
    notes: str | None = Field(default=None, max_length=4000)
    votes: int = Field(default=0, ge=0, le=MAX_COUNT)
    created_at: datetime
    updated_at: datetime
    sources: list[SourceV1] = []
    history: list[HistoryV1] = []


class AgendaV1(_Strict):
    school_year: str = Field(max_length=9)
    start_date: date | None = None
    checkin_date: date | None = None
    review_date: date | None = None
    dots_per_participant: int = Field(default=0, ge=0, le=20)
    vote_on: Literal["items", "answers"] = "items"
    items: list[ItemV1] = []


class GroupV1(_Strict):
    """An answer group (Groeperen); `answers` are positions in the archive's answers."""

    prompt: int = Field(ge=0)
    label: str = Field(min_length=1, max_length=120)
    position: int = Field(default=0, ge=0)
    fixed: bool = False
    answers: list[int] = []


class WorkshopV1(_Strict):
    title: str = Field(min_length=1, max_length=200)
    deck_slug: str = Field(max_length=60)
    kind: WorkshopKind
    school_year: str = Field(max_length=9)
    organisation: str | None = Field(default=None, max_length=200)
    status: WorkshopStatus
    created_at: datetime
    # Privacy settings travel with the workshop; older archives without them get defaults.
    anonymous: bool = False
    retention_days: int = Field(default=90, ge=0, le=MAX_RETENTION_DAYS)
    purged_at: datetime | None = None


class ArchiveV1(_Strict):
    format: Literal["gesprekskaarten.workshop"]
    version: Literal[1]
    exported_at: datetime
    workshop: WorkshopV1
    prompts: list[PromptV1]
    participants: list[ParticipantV1]
    answers: list[AnswerV1]
    agenda: AgendaV1 | None = None
    # Optional: archives made before answer groups existed have none.
    groups: list[GroupV1] = []


def parse_archive(raw: Any) -> ArchiveV1:
    """Validate an uploaded archive; a clear Dutch message names what is wrong."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise InvalidInput("Dit is geen export van een Gesprekskaarten-bijeenkomst.")
    if raw.get("version") != VERSION:
        raise InvalidInput(
            N_("Deze exportversie kennen we niet; we lezen versie %(version)s."), version=VERSION
        )
    try:
        archive = ArchiveV1.model_validate(raw, context={CHECKING: True})
    except ValidationError as exc:
        where = "; ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors()[:5])
        raise InvalidInput(N_("De export klopt niet (veld: %(where)s)."), where=where) from None
    except InvalidInput as exc:
        # A field cleaner's own message (a date out of range, a bad character).
        raise InvalidInput(N_("De export klopt niet: %(why)s"), why=exc.message) from None
    _check_references(archive)
    validate_school_year(archive.workshop.school_year)
    if archive.agenda is not None:
        validate_school_year(archive.agenda.school_year)
    return archive


def _check_references(archive: ArchiveV1) -> None:
    positions = [p.position for p in archive.prompts]
    if len(set(positions)) != len(positions):
        raise InvalidInput("De export klopt niet: twee vragen staan op dezelfde plek.")
    if archive.workshop.title == "" or any(
        i.title == "" for i in (archive.agenda.items if archive.agenda else [])
    ):
        raise InvalidInput("De export klopt niet: een titel is leeg.")
    n_prompts, n_people = len(archive.prompts), len(archive.participants)
    for a in archive.answers:
        if a.prompt >= n_prompts or a.participant >= n_people:
            raise InvalidInput("De export klopt niet: een antwoord verwijst naar niets.")
        # As live: a scale answer is a value 1-5, any other answer is text.
        if archive.prompts[a.prompt].kind is PromptKind.scale:
            if a.value is None or a.text is not None:
                raise InvalidInput("De export klopt niet: een antwoord past niet bij de vraag.")
        elif not a.text or a.value is not None:
            raise InvalidInput("De export klopt niet: een antwoord past niet bij de vraag.")
    items = archive.agenda.items if archive.agenda else []
    if any(
        s.answer is not None and s.answer >= len(archive.answers) for i in items for s in i.sources
    ):
        raise InvalidInput(
            "De export klopt niet: een actiepunt verwijst naar een onbekend antwoord."
        )
    _check_groups(archive)


def _check_groups(archive: ArchiveV1) -> None:
    """Each group on a prompt of the archive, each answer of that prompt, in one group only."""
    placed = [i for g in archive.groups for i in g.answers]
    if len(placed) != len(set(placed)):
        raise InvalidInput("De export klopt niet: een antwoord staat in twee groepen.")
    for group in archive.groups:
        if group.prompt >= len(archive.prompts) or any(
            i >= len(archive.answers) or archive.answers[i].prompt != group.prompt
            for i in group.answers
        ):
            raise InvalidInput("De export klopt niet: een groep verwijst naar niets.")
