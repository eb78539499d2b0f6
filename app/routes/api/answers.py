"""Answers: a participant sends one; a facilitator reads them all."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.deps import FacilitatorDep, WorkshopParticipantDep
from app.api.errors import ApiRoute
from app.api.schemas import (
    AnswerIn,
    AnswerOut,
    FacilitatorAnswerOut,
    PersonalDataOut,
    ValidationErrorOut,
    VisibilityIn,
)
from app.deps import LimitsDep, PublisherDep, ReadSessionDep, SessionDep
from app.ids import DbId
from app.models import Answer
from app.services import overview, participation, pii
from app.services import workshops as service
from app.services.facilitation import set_answer_hidden

router = APIRouter(route_class=ApiRoute, tags=["answers"])


def answer_out(answer: Answer) -> AnswerOut:
    return AnswerOut.model_validate(
        {**answer.model_dump(), "personal_data": [k.value for k in pii.decode(answer.pii_reasons)]}
    )


@router.post(
    "/workshops/{workshop_id}/answers",
    status_code=201,
    responses={
        200: {"model": AnswerOut, "description": "A repeated idempotency key."},
        422: {
            "model": PersonalDataOut | ValidationErrorOut,
            "description": (
                "Invalid input, or (with `personal_data`) an answer that looks like it holds "
                "personal data: ask the participant, then resend with confirm_personal_data."
            ),
        },
    },
)
def submit_answer(
    workshop_id: DbId,
    body: AnswerIn,
    response: Response,
    session: SessionDep,
    publisher: PublisherDep,
    limits: LimitsDep,
    participant: WorkshopParticipantDep,
) -> AnswerOut:
    """Answer the open prompt: 201 when stored, 200 with the first answer for a repeated key.

    Writes are limited per participant (429 when over).
    """
    submitted = participation.submit_answer(
        session=session,
        publisher=publisher,
        participant=participant,
        prompt_id=body.prompt_id,
        idempotency_key=body.idempotency_key,
        text=body.text,
        value=body.value,
        confirm_personal_data=body.confirm_personal_data,
        limits=limits,
    )
    if not submitted.created:
        response.status_code = 200
    return answer_out(submitted.answer)


@router.get("/workshops/{workshop_id}/answers")
def list_answers(
    workshop_id: DbId,
    session: ReadSessionDep,
    user: FacilitatorDep,
    prompt_id: DbId | None = None,
    include_withdrawn: bool = False,
) -> list[FacilitatorAnswerOut]:
    """Every answer with its author, hidden ones flagged; withdrawn ones only on request."""
    workshop = service.workshop_for_facilitator(session=session, workshop_id=workshop_id, user=user)
    rows = overview.answers_of(
        session=session,
        workshop=workshop,
        prompt_id=prompt_id,
        include_withdrawn=include_withdrawn,
    )
    return [
        FacilitatorAnswerOut(
            **answer_out(answer).model_dump(),
            participant_name=person.name,
            organisation=person.organisation,
            domain=person.domain,
        )
        for answer, person in rows
    ]


@router.post("/workshops/{workshop_id}/answers/{answer_id}/visibility")
def set_visibility(
    workshop_id: DbId,
    answer_id: DbId,
    body: VisibilityIn,
    session: SessionDep,
    publisher: PublisherDep,
    user: FacilitatorDep,
) -> AnswerOut:
    """Hide an answer, show it again, or release a held one (the console's buttons)."""
    workshop = service.workshop_for_facilitator(session=session, workshop_id=workshop_id, user=user)
    answer = set_answer_hidden(
        session=session,
        publisher=publisher,
        workshop=workshop,
        answer_id=answer_id,
        hidden=body.hidden,
    )
    return answer_out(answer)
