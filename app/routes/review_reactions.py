"""A phone's reaction to the actiepunt on the terugblik's screen."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.deps import ClientDep, LimitsDep, PublisherDep, SessionDep, verify_csrf
from app.routes.pages import is_htmx, redirect
from app.routes.participant import participant_token
from app.services import review_reactions, roster
from app.services import workshops as workshops_service
from app.services.errors import Forbidden

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.post("/w/{code}/review/react")
def react(
    request: Request,
    code: str,
    session: SessionDep,
    publisher: PublisherDep,
    limits: LimitsDep,
    client: ClientDep,
    item_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    kind: Annotated[str, Form(max_length=16)],
) -> Response:
    # A code lookup like any other: wrong codes count against this client.
    workshop = workshops_service.find_by_code(
        session=session, code=code, limits=limits, client=client
    )
    token = participant_token(request, workshop)
    assert workshop.id is not None
    person = (
        roster.participant_by_token(session=session, workshop_id=workshop.id, token=token)
        if token
        else None
    )
    if person is None:
        raise Forbidden("Doe eerst mee met de bijeenkomst.")
    review_reactions.react(
        session=session,
        publisher=publisher,
        participant=person,
        item_id=item_id,
        kind=kind,
        limits=limits,
    )
    # The phone's pressed button and the projector's counts update over their websockets.
    if is_htmx(request):
        return Response(status_code=204)
    return redirect(f"/w/{workshop.join_code}")
