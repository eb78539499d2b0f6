"""Read-only views of a workshop for API clients: its state, its answers, the current prompt."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Answer, Participant, Workshop, WorkshopPrompt
from app.services.errors import NotFound
from app.services.workshops import prompts_of


@dataclass(frozen=True)
class WorkshopState:
    workshop: Workshop
    prompts: list[WorkshopPrompt]
    # Answers not withdrawn, per prompt id (hidden ones included).
    answer_counts: dict[int, int]
    joined: int
    online: int

    @property
    def current_prompt(self) -> WorkshopPrompt | None:
        position = self.workshop.current_position
        return next((p for p in self.prompts if p.position == position), None)


def workshop_state(*, session: Session, workshop: Workshop) -> WorkshopState:
    """Everything a facilitator's client shows, read in one go."""
    assert workshop.id is not None
    counts = session.exec(
        select(Answer.prompt_id, func.count())
        .where(Answer.workshop_id == workshop.id, col(Answer.withdrawn).is_(False))
        .group_by(col(Answer.prompt_id))
    ).all()
    connections = session.exec(
        select(Participant.connections).where(Participant.workshop_id == workshop.id)
    ).all()
    return WorkshopState(
        workshop=workshop,
        prompts=prompts_of(session=session, workshop_id=workshop.id),
        answer_counts={int(prompt_id): int(n) for prompt_id, n in counts},
        joined=len(connections),
        online=sum(1 for c in connections if c > 0),
    )


def answers_of(
    *,
    session: Session,
    workshop: Workshop,
    prompt_id: int | None = None,
    include_withdrawn: bool = False,
) -> list[tuple[Answer, Participant]]:
    """All answers with their authors, in prompt order; hidden ones included and flagged."""
    query = (
        select(Answer, Participant)
        .join(Participant, col(Participant.id) == col(Answer.participant_id))
        .join(WorkshopPrompt, col(WorkshopPrompt.id) == col(Answer.prompt_id))
        .where(Answer.workshop_id == workshop.id)
        .order_by(col(WorkshopPrompt.position), col(Answer.id))
    )
    if prompt_id is not None:
        query = query.where(Answer.prompt_id == prompt_id)
    if not include_withdrawn:
        query = query.where(col(Answer.withdrawn).is_(False))
    return [(answer, person) for answer, person in session.exec(query).all()]


def current_room(
    *, session: Session, participant: Participant
) -> tuple[Workshop, WorkshopPrompt | None]:
    """The participant's workshop and the prompt the room is on (None in the lobby)."""
    workshop = session.get(Workshop, participant.workshop_id)
    if workshop is None:
        raise NotFound("Deze bijeenkomst bestaat niet meer.")
    if workshop.current_position is None:
        return workshop, None
    prompt = session.exec(
        select(WorkshopPrompt).where(
            WorkshopPrompt.workshop_id == workshop.id,
            WorkshopPrompt.position == workshop.current_position,
        )
    ).first()
    return workshop, prompt
