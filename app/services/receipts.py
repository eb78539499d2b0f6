"""What a participant's acknowledgement shows, read inside the write transaction of the change.

The acknowledgement then needs no second read: the rows are of exactly the seq the change
committed, so the hub's next push need not send the author's own answers again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table, bindparam, func
from sqlalchemy import select as columns
from sqlmodel import Session, col

from app.models import Answer, Participant, PromptPhase, Reaction, Workshop, WorkshopPrompt
from app.models import WorkshopStatus as WorkshopStatus

_ANSWERS: Table = Answer.__table__  # type: ignore[attr-defined]
_REACTIONS: Table = Reaction.__table__  # type: ignore[attr-defined]

# Prebuilt: these run on every answer's path.
_STAGE = (
    columns(
        col(WorkshopPrompt.kind),
        col(WorkshopPrompt.phase),
        col(WorkshopPrompt.position),
        col(Workshop.status),
        col(Workshop.current_position),
    )
    .join(Workshop, col(Workshop.id) == WorkshopPrompt.workshop_id)
    .where(col(WorkshopPrompt.id) == bindparam("prompt_id"))
)
_PLUS = (
    columns(func.count())
    .where(_REACTIONS.c.answer_id == _ANSWERS.c.id)
    .correlate(_ANSWERS)
    .scalar_subquery()
)
_OWN = (
    columns(
        _ANSWERS.c.id,
        _ANSWERS.c.text,
        _ANSWERS.c.value,
        _ANSWERS.c.hidden,
        _ANSWERS.c.held,
        _ANSWERS.c.pii_reasons,
        _PLUS,
    )
    .where(
        _ANSWERS.c.participant_id == bindparam("participant_id"),
        _ANSWERS.c.prompt_id == bindparam("prompt_id"),
        _ANSWERS.c.withdrawn.is_(False),
    )
    .order_by(_ANSWERS.c.id)
)
_REACTED = (
    columns(_REACTIONS.c.answer_id)
    .join(_ANSWERS, _ANSWERS.c.id == _REACTIONS.c.answer_id)
    .where(
        _REACTIONS.c.participant_id == bindparam("participant_id"),
        _ANSWERS.c.prompt_id == bindparam("prompt_id"),
    )
)


@dataclass(frozen=True)
class OwnAnswer:
    id: int
    text: str | None
    value: int | None
    hidden: bool
    held: bool
    pii_reasons: str | None
    plus_ones: int


@dataclass(frozen=True)
class Receipt:
    """The author's own answers to the current prompt and their "+1"s there, at `seq`."""

    seq: int
    workshop_id: int
    participant_id: int
    prompt_id: int
    kind: str
    phase: PromptPhase
    status: WorkshopStatus
    own: tuple[OwnAnswer, ...]
    reacted: frozenset[int]


def read_receipt(
    session: Session, participant: Participant, prompt_id: int, seq: int
) -> Receipt | None:
    """In the change's transaction, before its commit. None if the prompt is not the current
    one (a "+1" on an earlier prompt's answer): the acknowledgement reads the room then."""
    assert participant.id is not None
    connection = session.connection()
    stage = connection.execute(_STAGE, {"prompt_id": prompt_id}).first()
    if stage is None:
        return None
    kind, phase, position, status, current = stage
    if current != position:
        return None
    keys = {"participant_id": participant.id, "prompt_id": prompt_id}
    own = tuple(
        OwnAnswer(i, text, value, bool(hidden), bool(held), reasons, int(plus))
        for i, text, value, hidden, held, reasons, plus in connection.execute(_OWN, keys)
    )
    reacted = frozenset(int(r[0]) for r in connection.execute(_REACTED, keys))
    return Receipt(
        seq=seq,
        workshop_id=participant.workshop_id,
        participant_id=participant.id,
        prompt_id=prompt_id,
        kind=str(kind),
        phase=PromptPhase(phase),
        status=WorkshopStatus(status),
        own=own,
        reacted=reacted,
    )
