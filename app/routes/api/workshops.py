"""A facilitator's workshops: create one, read its state, steer it."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.api.deps import FacilitatorDep, TokenFacilitatedWorkshop
from app.api.errors import ApiRoute
from app.api.schemas import (
    ActionIn,
    ErrorOut,
    FacilitatorPromptOut,
    ParticipantCountsOut,
    ProgrammeIn,
    WorkshopCreatedOut,
    WorkshopIn,
    WorkshopStateOut,
)
from app.deps import DecksDep, PublisherDep, SessionDep
from app.models import Workshop, WorkshopCreate, WorkshopPrompt
from app.services import overview, own_decks, privacy, programme
from app.services import workshops as service
from app.services.facilitation import apply_action

router = APIRouter(route_class=ApiRoute, tags=["workshops"])


def _join_url(request: Request, code: str) -> str:
    return str(request.url_for("participant_page", code=code))


def _created(request: Request, workshop: Workshop) -> WorkshopCreatedOut:
    assert workshop.id is not None
    return WorkshopCreatedOut(
        id=workshop.id,
        title=workshop.title,
        deck=workshop.deck_slug,
        kind=workshop.kind,
        school_year=workshop.school_year,
        organisation=workshop.organisation,
        status=workshop.status,
        join_code=workshop.join_code,
        join_url=_join_url(request, workshop.join_code),
        anonymous=workshop.anonymous,
        locked=workshop.locked,
        retention_days=workshop.retention_days,
        purge_on=privacy.purge_date(workshop),
        purged_at=workshop.purged_at,
    )


def _prompt(prompt: WorkshopPrompt, counts: dict[int, int]) -> FacilitatorPromptOut:
    assert prompt.id is not None
    return FacilitatorPromptOut.model_validate(
        {**prompt.model_dump(), "answer_count": counts.get(prompt.id, 0)}
    )


def _state(request: Request, state: overview.WorkshopState) -> WorkshopStateOut:
    workshop = state.workshop
    current = state.current_prompt
    return WorkshopStateOut(
        **_created(request, workshop).model_dump(),
        current_position=workshop.current_position,
        current_prompt=None if current is None else _prompt(current, state.answer_counts),
        timer_ends_at=workshop.timer_ends_at,
        seq=workshop.seq,
        participants=ParticipantCountsOut(joined=state.joined, online=state.online),
        prompts=[_prompt(p, state.answer_counts) for p in state.prompts],
    )


@router.post("/workshops", status_code=201)
def create_workshop(
    request: Request, body: WorkshopIn, session: SessionDep, user: FacilitatorDep, decks: DecksDep
) -> WorkshopCreatedOut:
    data = WorkshopCreate.model_construct(
        title=body.title,
        deck_slug=body.deck,
        kind=body.kind,
        school_year=body.school_year,
        organisation=body.organisation,
        anonymous=body.anonymous,
        retention_days=body.retention_days,
    )
    # An own deck the user may use (docs/decks.md) is addressed by its slug like a file deck.
    decks = own_decks.decks_for_user(session=session, user=user, file_decks=decks)
    workshop = service.create_workshop(session=session, owner=user, data=data, decks=decks)
    return _created(request, workshop)


@router.get("/workshops/{workshop_id}")
def get_workshop(
    request: Request,
    workshop: TokenFacilitatedWorkshop,
    session: SessionDep,
) -> WorkshopStateOut:
    return _state(request, overview.workshop_state(session=session, workshop=workshop))


@router.post("/workshops/{workshop_id}/actions")
def act(
    request: Request,
    workshop: TokenFacilitatedWorkshop,
    body: ActionIn,
    session: SessionDep,
    publisher: PublisherDep,
) -> WorkshopStateOut:
    """Steer the room, as the console's buttons do; returns the new state."""
    workshop = apply_action(
        session=session,
        publisher=publisher,
        workshop=workshop,
        action=body.action,
        position=body.position,
        seconds=body.seconds,
    )
    return _state(request, overview.workshop_state(session=session, workshop=workshop))


@router.put("/workshops/{workshop_id}/programme")
def set_programme(
    request: Request,
    workshop: TokenFacilitatedWorkshop,
    body: ProgrammeIn,
    session: SessionDep,
    publisher: PublisherDep,
    user: FacilitatorDep,
    decks: DecksDep,
) -> WorkshopStateOut:
    """The workshop's prompts in this order; a prompt left out is removed (409 if answered)."""
    deck = own_decks.decks_for_user(session=session, user=user, file_decks=decks).get(
        workshop.deck_slug
    )
    items: list[programme.Item] = [
        p if isinstance(p, int) else programme.OwnPrompt(text=p.text, kind=p.kind, theme=p.theme)
        for p in body.prompts
    ]
    workshop = programme.set_programme(
        session=session, publisher=publisher, workshop=workshop, items=items, deck=deck
    )
    return _state(request, overview.workshop_state(session=session, workshop=workshop))


@router.delete(
    "/workshops/{workshop_id}",
    status_code=204,
    responses={403: {"model": ErrorOut, "description": "A co-facilitator: only the owner may."}},
)
def delete_workshop(
    workshop: TokenFacilitatedWorkshop, session: SessionDep, user: FacilitatorDep
) -> Response:
    """Delete the workshop and everything in it: prompts, participants, answers, reactions."""
    privacy.delete_workshop(session=session, workshop=workshop, by=user)
    return Response(status_code=204)
