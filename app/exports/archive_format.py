"""The versioned JSON archive format of a whole workshop, and validating an uploaded one.

References inside the archive are positions in its own lists, never database ids.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.i18n import N_
from app.models import (
    AgendaLevel,
    Domain,
    HistoryKind,
    ItemStatus,
    PromptPhase,
    WorkshopKind,
    WorkshopStatus,
)
from app.services.errors import InvalidInput
from app.services.workshops import validate_school_year

FORMAT = "gesprekskaarten.workshop"
VERSION = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PromptV1(_Strict):
    position: int = Field(ge=0)
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
    phase: PromptPhase = PromptPhase.closed
    revealed: bool = False


class ParticipantV1(_Strict):
    # Organisation and domain only: names stay on the server they were typed on.
    organisation: str | None = Field(default=None, max_length=120)
    domain: Domain = Domain.anders


class AnswerV1(_Strict):
    prompt: int = Field(ge=0)
    participant: int = Field(ge=0)
    text: str | None = Field(default=None, max_length=4000)
    value: int | None = Field(default=None, ge=1, le=5)
    hidden: bool = False
    # Held for review (personal data sent anyway, not yet released): stays held on import.
    held: bool = False
    created_at: datetime


class SourceV1(_Strict):
    answer: int | None = Field(default=None, ge=0)
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
    votes: int = Field(default=0, ge=0)
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
        archive = ArchiveV1.model_validate(raw)
    except ValidationError as exc:
        where = "; ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors()[:5])
        raise InvalidInput(N_("De export klopt niet (veld: %(where)s)."), where=where) from None
    n_prompts, n_people = len(archive.prompts), len(archive.participants)
    for a in archive.answers:
        if a.prompt >= n_prompts or a.participant >= n_people:
            raise InvalidInput("De export klopt niet: een antwoord verwijst naar niets.")
    items = archive.agenda.items if archive.agenda else []
    if any(
        s.answer is not None and s.answer >= len(archive.answers) for i in items for s in i.sources
    ):
        raise InvalidInput(
            "De export klopt niet: een actiepunt verwijst naar een onbekend antwoord."
        )
    _check_groups(archive)
    validate_school_year(archive.workshop.school_year)
    return archive


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
