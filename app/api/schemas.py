"""Request and response bodies of the JSON API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.ids import DbId
from app.models import Domain, PromptPhase, WorkshopKind, WorkshopStatus
from app.services.answer_command import AnswerCommand
from app.services.facilitation import MAX_TIMER_SECONDS, Action


class _In(BaseModel):
    # A misspelt field is an error, not silently ignored.
    model_config = ConfigDict(extra="forbid")


# Every error: one readable message (Dutch for rule violations).
class ErrorOut(BaseModel):
    detail: str


# A schema error: the message names each bad field; `errors` has pydantic's details.
class ValidationErrorOut(BaseModel):
    detail: str
    errors: list[dict[str, object]] = []


# An answer that looks like it holds personal data, sent without confirm_personal_data.
class PersonalDataOut(BaseModel):
    detail: str
    personal_data: list[str] = Field(
        description="What was found: bsn, phone, email, birth_date, name."
    )


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


class ThemeSummaryOut(BaseModel):
    id: str
    title: str
    prompt_count: int
    wie_zijn_aan_zet: bool


class DeckSummaryOut(BaseModel):
    id: str = Field(description="The deck's slug; pass it as `deck` when creating a workshop.")
    title: str
    audience: str
    themes: list[ThemeSummaryOut]


class WorkshopIn(_In):
    title: str = Field(min_length=1, max_length=200, examples=["Regiobijeenkomst Noord"])
    deck: str = Field(min_length=1, max_length=60, examples=["nji-beleidsmakers"])
    kind: WorkshopKind
    school_year: str = Field(
        min_length=1,
        max_length=20,
        examples=["2026-2027"],
        description="School year (1 August - 31 July), written as 2026-2027.",
    )
    organisation: str | None = Field(
        default=None, max_length=200, description="Organisation or region."
    )
    anonymous: bool = Field(
        default=False, description="Participants give no name; none is stored or shown."
    )
    retention_days: int = Field(
        default=90,
        ge=0,
        le=3650,
        description="Days after the school year ends (31 July) until answers are purged.",
    )


class WorkshopCreatedOut(BaseModel):
    id: int
    title: str
    deck: str
    kind: WorkshopKind
    school_year: str
    organisation: str | None
    status: WorkshopStatus
    join_code: str
    join_url: str
    anonymous: bool
    locked: bool = Field(description="No new participants can join.")
    retention_days: int
    purge_on: date = Field(description="From this day answers and names are purged.")
    purged_at: datetime | None


class PromptOut(BaseModel):
    id: int
    position: int
    theme_number: int
    theme_title: str
    text: str
    kind: Literal["open", "scale"]
    scale_low: str | None
    scale_high: str | None
    is_wie_aan_zet: bool
    source: str = Field(description="`nji`, `derived`, or `own`: the facilitator's own prompt.")
    phase: PromptPhase
    revealed: bool


class FacilitatorPromptOut(PromptOut):
    answer_count: int = Field(description="Answers not withdrawn, hidden ones included.")


class ParticipantCountsOut(BaseModel):
    joined: int
    online: int


class WorkshopStateOut(WorkshopCreatedOut):
    current_position: int | None
    current_prompt: FacilitatorPromptOut | None
    timer_ends_at: datetime | None
    seq: int = Field(description="Grows with every change a client can see.")
    participants: ParticipantCountsOut
    prompts: list[FacilitatorPromptOut]


class ActionIn(_In):
    action: Action
    position: int | None = Field(default=None, ge=0, description="For `goto`: the position.")
    seconds: int | None = Field(
        default=None,
        ge=0,
        le=MAX_TIMER_SECONDS,
        description="For `open` and `timer`: a countdown in seconds; 0 clears it.",
    )


class VisibilityIn(_In):
    hidden: bool = Field(
        description="true: keep the answer off the projector and phones; false: show it "
        "(for a held answer: release it)."
    )


class JoinIn(_In):
    code: str = Field(min_length=1, max_length=20, examples=["ABC2345"])
    name: str | None = Field(default=None, max_length=80)
    organisation: str | None = Field(default=None, max_length=120)
    domain: Domain = Domain.anders
    # Required by school-team workshops instead of organisation and domain (see docs/api.md).
    role: str | None = Field(default=None, max_length=30)


class JoinOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    participant_id: int
    workshop_id: int


class CurrentPromptOut(BaseModel):
    workshop_id: int
    status: WorkshopStatus
    timer_ends_at: datetime | None
    prompt: PromptOut | None


class AnswerIn(_In, AnswerCommand):
    """The websocket's answer command (app/live/protocol.py), as a JSON body."""

    value: int | None = Field(default=None, ge=1, le=5, description="For a scale prompt: 1-5.")
    # The same rule the service checks for the websocket, refused here with the field named.
    idempotency_key: str = Field(
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_\-]{8,64}$",
        description=(
            "8-64 letters, digits, - or _, chosen by the client; "
            "sending the same key again returns the first answer."
        ),
        examples=["3f6c2a1e-answer-1"],
    )


class AnswerOut(BaseModel):
    id: int
    prompt_id: int
    participant_id: int
    text: str | None
    value: int | None
    hidden: bool
    withdrawn: bool
    personal_data: list[str] = Field(
        default=[], description="Kinds of personal data the author confirmed sending."
    )
    held: bool = Field(
        default=False,
        description=(
            "Flagged and waiting for a facilitator: the room does not see it until it is "
            "released (visibility with hidden=false)."
        ),
    )
    created_at: datetime


class FacilitatorAnswerOut(AnswerOut):
    participant_name: str | None
    organisation: str | None
    domain: Domain


# A new prompt of the facilitator's own in a programme.
class OwnPromptIn(_In):
    text: str = Field(min_length=1, max_length=2000, examples=["Wat gaat goed in onze regio?"])
    kind: Literal["open", "scale"]
    theme: int | Annotated[str, Field(max_length=2000)] = Field(
        description="The deck's theme: its number (as `theme_number`), id or title.",
        examples=[2],
    )


class ProgrammeIn(_In):
    prompts: list[DbId | OwnPromptIn] = Field(
        min_length=1,
        max_length=80,
        description="The programme in order: a prompt's `id` from the state, or a new own prompt.",
    )
