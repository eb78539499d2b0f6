"""Joining a workshop by code, and what a participant needs to answer."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import WorkshopParticipantDep
from app.api.errors import ApiRoute
from app.api.schemas import CurrentPromptOut, JoinIn, JoinOut, PromptOut
from app.deps import ClientDep, LimitsDep, PublisherDep, ReadSessionDep, SessionDep
from app.ids import DbId
from app.models import ParticipantCreate
from app.services import overview, roster
from app.services import workshops as service

router = APIRouter(route_class=ApiRoute, tags=["participants"])


@router.post("/join", status_code=201)
def join(
    body: JoinIn,
    session: SessionDep,
    publisher: PublisherDep,
    limits: LimitsDep,
    client: ClientDep,
) -> JoinOut:
    """Join by code, without an account; the token answers for this workshop only.

    Wrong codes are limited per client, joins per client and per workshop (429); an ended
    or locked workshop takes no one new (409); in an anonymous workshop a name is not stored.
    """
    workshop = service.find_by_code(session=session, code=body.code, limits=limits, client=client)
    # The service cleans and length-checks these, with a Dutch message.
    data = ParticipantCreate.model_construct(
        name=body.name, organisation=body.organisation, domain=body.domain, role=body.role
    )
    person, token = roster.join(
        session=session,
        publisher=publisher,
        workshop=workshop,
        data=data,
        limits=limits,
        client=client,
    )
    assert person.id is not None
    return JoinOut(access_token=token, participant_id=person.id, workshop_id=person.workshop_id)


@router.get("/workshops/{workshop_id}/prompt")
def current_prompt(
    workshop_id: DbId, session: ReadSessionDep, participant: WorkshopParticipantDep
) -> CurrentPromptOut:
    """The prompt the room is on, so a client knows what it can answer."""
    workshop, prompt = overview.current_room(session=session, participant=participant)
    return CurrentPromptOut(
        workshop_id=workshop_id,
        status=workshop.status,
        timer_ends_at=workshop.timer_ends_at,
        prompt=None if prompt is None else PromptOut.model_validate(prompt.model_dump()),
    )
