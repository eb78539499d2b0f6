"""Joining by code, link or QR, and the participant's phone view."""

from __future__ import annotations

import io
from typing import Annotated, Literal

import segno
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from app.deps import (
    ClientDep,
    CodeWorkshop,
    JoinedParticipant,
    LimitsDep,
    ParticipantDep,
    PublisherDep,
    ReadSessionDep,
    SessionDep,
    joined_participant,
    verify_csrf,
)
from app.i18n import N_, language_of, translate
from app.live.answer_pages import answer_page
from app.live.render import Audience
from app.live.state import load_room
from app.models import Domain, ParticipantCreate, WorkshopStatus
from app.services import roster, voting
from app.services import workshops as service
from app.services.errors import DomainError, WorkshopLocked
from app.services.limits import TooManyAttempts
from app.web import is_htmx, redirect, render

router = APIRouter(dependencies=[Depends(verify_csrf)])


def _code_error(request: Request, code: str, exc: DomainError) -> Response:
    error = exc.translated(language_of(request))
    response = render(request, "join_code.html", {"error": error, "code": code}, status=exc.status)
    if isinstance(exc, TooManyAttempts):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


@router.get("/join")
def join_by_code(
    request: Request,
    session: ReadSessionDep,
    limits: LimitsDep,
    client: ClientDep,
    code: str | None = None,
) -> Response:
    if not code:
        return render(request, "join_code.html")
    try:
        workshop = service.find_by_code(session=session, code=code, limits=limits, client=client)
    except DomainError as exc:
        return _code_error(request, code, exc)
    return redirect(f"/w/{workshop.join_code}")


@router.get("/w/{code}", name="participant_page")
def participant_page(
    request: Request, code: str, session: ReadSessionDep, limits: LimitsDep, client: ClientDep
) -> Response:
    try:
        workshop = service.find_by_code(session=session, code=code, limits=limits, client=client)
    except DomainError as exc:
        return _code_error(request, code, exc)
    if workshop.join_code != code:
        return redirect(f"/w/{workshop.join_code}")
    assert workshop.id is not None
    person = joined_participant(request, workshop, session)
    if person is None:
        if workshop.status is WorkshopStatus.ended:
            return render(
                request,
                "join_code.html",
                {"error": translate(language_of(request), N_("Deze bijeenkomst is afgelopen."))},
                status=410,
            )
        if workshop.locked:
            return _code_error(request, code, WorkshopLocked())
        return render(request, "join.html", {"workshop": workshop})
    room = load_room(session=session, workshop_id=workshop.id)
    assert room is not None and person.id is not None
    context = {
        "workshop": workshop,
        "room": room,
        "me": person,
        "own": room.own.get(person.id, []),
        "audience": Audience.participant.value,
    }
    return render(request, "participant.html", context)


@router.get("/w/{code}/answers")
def answers_page(
    request: Request,
    workshop: CodeWorkshop,
    person: JoinedParticipant,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    group: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
) -> Response:
    """The revealed answers a page at a time, for a phone in a big room (no websocket)."""
    assert workshop.id is not None
    if person is None:
        return redirect(f"/w/{workshop.join_code}")
    room = load_room(session=session, workshop_id=workshop.id)
    assert room is not None
    context = {
        "workshop": workshop,
        "room": room,
        "me": person,
        "paged": answer_page(room, page=page, group_id=group),
    }
    return render(request, "room_answers.html", context)


@router.post("/w/{code}/join")
def join(
    request: Request,
    code: str,
    session: SessionDep,
    publisher: PublisherDep,
    limits: LimitsDep,
    client: ClientDep,
    domain: Annotated[Domain | Literal[""], Form()] = "",
    role: Annotated[str, Form(max_length=30)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    organisation: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    workshop = service.find_by_code(session=session, code=code, limits=limits, client=client)
    # The service cleans and length-checks these, and refuses a missing domain or role.
    data = ParticipantCreate.model_construct(
        name=name or None,
        organisation=organisation or None,
        domain=domain or None,
        role=role or None,
    )
    try:
        _person, token = roster.join(
            session=session,
            publisher=publisher,
            workshop=workshop,
            data=data,
            limits=limits,
            client=client,
        )
    except DomainError as exc:
        context = {
            "workshop": workshop,
            "error": exc.translated(language_of(request)),
            "form": data,
        }
        response = render(request, "join.html", context, status=exc.status)
        if isinstance(exc, TooManyAttempts):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    tokens = request.session.get("participants")
    tokens = dict(tokens) if isinstance(tokens, dict) else {}
    tokens[str(workshop.id)] = token
    request.session["participants"] = tokens
    return redirect(f"/w/{workshop.join_code}")


@router.get("/w/{code}/qr.svg")
def qr_code(
    request: Request, code: str, session: ReadSessionDep, limits: LimitsDep, client: ClientDep
) -> Response:
    workshop = service.find_by_code(session=session, code=code, limits=limits, client=client)
    url = str(request.url_for("participant_page", code=workshop.join_code))
    # A standalone SVG file (an <img> source) needs the SVG namespace; svg_inline leaves it out.
    svg = io.BytesIO()
    segno.make(url, error="m").save(
        svg, kind="svg", xmldecl=False, scale=8, border=2, dark="#000", light="#fff"
    )
    return Response(
        svg.getvalue(),
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, max-age=3600"},
    )


@router.post("/w/{code}/dots")
def dot(
    request: Request,
    workshop: CodeWorkshop,
    person: ParticipantDep,
    session: SessionDep,
    publisher: PublisherDep,
    op: Annotated[Literal["place", "remove"], Form()],
    item_id: Annotated[int | None, Form()] = None,
    answer_id: Annotated[int | None, Form()] = None,
    group_id: Annotated[int | None, Form()] = None,
    # From the paged answers page (no websocket there): back to the same page.
    back_page: Annotated[int | None, Form(ge=1, le=10_000)] = None,
    back_group: Annotated[int | None, Form(ge=0, le=2**31 - 1)] = None,
) -> Response:
    """A dot placed or taken back. The code is looked up like any other: wrong codes count
    against this client."""
    change = voting.place_dot if op == "place" else voting.remove_dot
    change(
        session=session,
        publisher=publisher,
        participant=person,
        item_id=item_id,
        answer_id=answer_id,
        group_id=group_id,
    )
    # The phone's dots update through its websocket.
    if is_htmx(request):
        return Response(status_code=204)
    if back_page is not None:
        group = f"group={back_group}&" if back_group is not None else ""
        return redirect(f"/w/{workshop.join_code}/answers?{group}page={back_page}")
    return redirect(f"/w/{workshop.join_code}")
