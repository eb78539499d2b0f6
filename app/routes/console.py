"""The facilitator console and the projector view, and the facilitator's actions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.deps import (
    DecksDep,
    FacilitatedWorkshop,
    PublisherDep,
    SessionDep,
    SettingsDep,
    UserDep,
    verify_csrf,
)
from app.i18n import language_of
from app.ids import DbId
from app.live.render import Audience
from app.live.state import load_room
from app.mail_transport import mail_enabled
from app.services import workshops as service
from app.services.errors import DomainError, NotFound
from app.services.facilitation import Action, apply_action, set_answer_hidden
from app.services.mail_console import console_mail
from app.services.wall import WallOp, change_wall
from app.web import is_htmx, redirect, render

router = APIRouter(dependencies=[Depends(verify_csrf)])


def join_url(request: Request, code: str) -> str:
    return str(request.url_for("participant_page", code=code))


@router.get("/workshops/{workshop_id}")
def console_page(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    user: UserDep,
    decks: DecksDep,
    settings: SettingsDep,
) -> Response:
    room = load_room(session=session, workshop_id=workshop_id)
    if room is None:
        raise NotFound("Deze bijeenkomst bestaat niet.")
    context = {
        "user": user,
        "workshop": workshop,
        "room": room,
        "audience": Audience.facilitator.value,
        "deck": decks.get(workshop.deck_slug),
        "prompts": service.prompts_of(session=session, workshop_id=workshop_id),
        "join_url": join_url(request, workshop.join_code),
        "cofacilitators": service.cofacilitators(session=session, workshop=workshop),
        "is_owner": workshop.owner_id == user.id,
        "mail": console_mail(session=session, workshop=workshop, enabled=mail_enabled(settings)),
    }
    return render(request, "console.html", context)


@router.get("/workshops/{workshop_id}/projector")
def projector_page(
    request: Request, workshop_id: DbId, workshop: FacilitatedWorkshop, session: SessionDep
) -> Response:
    room = load_room(session=session, workshop_id=workshop_id)
    if room is None:
        raise NotFound("Deze bijeenkomst bestaat niet.")
    context = {
        "workshop": workshop,
        "room": room,
        "audience": Audience.projector.value,
        "join_url": join_url(request, workshop.join_code),
    }
    return render(request, "projector.html", context)


@router.post("/workshops/{workshop_id}/actions")
def act(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
    action: Annotated[Action, Form()],
    position: Annotated[int | None, Form()] = None,
    seconds: Annotated[int | None, Form(ge=0, le=3600)] = None,
) -> Response:
    try:
        apply_action(
            session=session,
            publisher=publisher,
            workshop=workshop,
            action=action,
            position=position,
            seconds=seconds,
        )
    except DomainError as exc:
        if is_htmx(request):
            raise
        request.session["flash"] = exc.translated(language_of(request))
    # The console updates through its websocket; a plain form post comes back to it.
    return Response(status_code=204) if is_htmx(request) else redirect(f"/workshops/{workshop_id}")


@router.post("/workshops/{workshop_id}/answers/{answer_id}/visibility")
def moderate(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    answer_id: DbId,
    session: SessionDep,
    publisher: PublisherDep,
    hidden: Annotated[bool, Form()],
) -> Response:
    set_answer_hidden(
        session=session, publisher=publisher, workshop=workshop, answer_id=answer_id, hidden=hidden
    )
    return Response(status_code=204) if is_htmx(request) else redirect(f"/workshops/{workshop_id}")


@router.post("/workshops/{workshop_id}/wall")
def wall(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
    op: Annotated[WallOp, Form()],
    order: Annotated[str | None, Form(max_length=16)] = None,
    mode: Annotated[str | None, Form(max_length=16)] = None,
    answer_id: Annotated[int | None, Form()] = None,
) -> Response:
    """The projector's wall: order, mode, pause, page turns and the spotlight."""
    try:
        change_wall(
            session=session,
            publisher=publisher,
            workshop=workshop,
            op=op,
            order=order,
            mode=mode,
            answer_id=answer_id,
        )
    except DomainError as exc:
        if is_htmx(request):
            raise
        request.session["flash"] = exc.translated(language_of(request))
    return Response(status_code=204) if is_htmx(request) else redirect(f"/workshops/{workshop_id}")
