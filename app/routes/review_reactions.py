"""A phone's reaction to the actiepunt on the terugblik's screen."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.deps import CodeWorkshop, LimitsDep, ParticipantDep, PublisherDep, SessionDep, verify_csrf
from app.services import review_reactions
from app.web import is_htmx, redirect

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.post("/w/{code}/review/react")
def react(
    request: Request,
    workshop: CodeWorkshop,
    person: ParticipantDep,
    session: SessionDep,
    publisher: PublisherDep,
    limits: LimitsDep,
    item_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    kind: Annotated[str, Form(max_length=16)],
) -> Response:
    """The code is looked up like any other: wrong codes count against this client."""
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
