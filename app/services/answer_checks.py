"""The rules an answer change is checked against: the prompt open, the content, personal data."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy import select as columns
from sqlmodel import Session, col

from app.i18n import N_
from app.ids import is_db_id
from app.models import (
    Answer,
    Participant,
    PromptPhase,
    Workshop,
    WorkshopPrompt,
    WorkshopStatus,
    utcnow,
)
from app.services import pii
from app.services.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PersonalDataSuspected,
    PromptClosed,
    WorkshopEnded,
)
from app.services.text import clean_text

MAX_ANSWER_LENGTH = 2000

# Prebuilt: this is on every answer's path.
_PROMPT = (
    columns(
        col(WorkshopPrompt.kind),
        col(WorkshopPrompt.phase),
        col(WorkshopPrompt.position),
        col(Workshop.status),
        col(Workshop.current_position),
        col(Workshop.timer_ends_at),
    )
    .join(Workshop, col(Workshop.id) == WorkshopPrompt.workshop_id)
    .where(
        col(WorkshopPrompt.id) == bindparam("prompt_id"),
        col(WorkshopPrompt.workshop_id) == bindparam("workshop_id"),
    )
)


def open_prompt(session: Session, participant: Participant, prompt_id: int) -> str:
    """Check that the prompt is this workshop's current, open one; returns its kind.

    One row for the prompt and its workshop together: this is on every answer's path."""
    row = (
        session.connection()
        .execute(_PROMPT, {"prompt_id": prompt_id, "workshop_id": participant.workshop_id})
        .first()
        if is_db_id(prompt_id)
        else None
    )
    if row is None:
        raise NotFound("Deze vraag bestaat niet in deze bijeenkomst.")
    kind, phase, position, status, current, ends_at = row
    if status is WorkshopStatus.ended:
        raise WorkshopEnded()
    if phase is not PromptPhase.open or current != position:
        raise PromptClosed()
    if ends_at is not None and utcnow() > ends_at:
        raise Conflict("De tijd is om: deze vraag neemt geen antwoorden meer aan.")
    return str(kind)


def content(kind: str, text: str | None, value: int | None) -> tuple[str | None, int | None]:
    if kind == "scale":
        if value is None or isinstance(value, bool) or not 1 <= value <= 5:
            raise InvalidInput("Kies een waarde van 1 tot en met 5.")
        return None, value
    cleaned = clean_text(text or "", limit=MAX_ANSWER_LENGTH, field=N_("Je antwoord"))
    # Only invisible characters (zero-width, direction marks) is empty too.
    if not pii.normalise(cleaned).strip():
        raise InvalidInput("Je antwoord is leeg.")
    return cleaned, None


def personal_data(text: str | None, *, confirmed: bool) -> str | None:
    """The kinds of personal data in an answer, stored as a flag once the author confirmed.

    A flagged answer is stored held: only the facilitator and its author see it until a
    facilitator releases it (facilitation.set_answer_hidden)."""
    kinds = pii.find_personal_data(text or "")
    if kinds and not confirmed:
        raise PersonalDataSuspected([k.value for k in kinds])
    return pii.encode(kinds)


def own_answer(session: Session, participant: Participant, answer_id: int) -> Answer:
    answer = session.get(Answer, answer_id) if is_db_id(answer_id) else None
    if answer is None or answer.workshop_id != participant.workshop_id or answer.withdrawn:
        raise NotFound("Dit antwoord bestaat niet (meer).")
    if answer.participant_id != participant.id:
        raise Forbidden("Je kunt alleen je eigen antwoorden wijzigen.")
    return answer
