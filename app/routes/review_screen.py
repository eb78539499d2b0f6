"""The terugblik the room sees: a projector page for one reviewed item at a time, and the
facilitator's controls that step it."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.deps import (
    FacilitatedWorkshop,
    PublisherDep,
    SessionDep,
    verify_csrf,
)
from app.ids import DbId
from app.services import review_screen as service
from app.web import is_htmx, redirect, render

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/workshops/{workshop_id}/review/projector")
def review_projector(
    request: Request, workshop: FacilitatedWorkshop, session: SessionDep
) -> Response:
    """The whole page; with HX-Request just the screen. The page follows steps and lessons
    over its websocket (the review audience), so nobody touches the projector."""
    screen = service.load_screen(session=session, workshop=workshop)
    if is_htmx(request):
        return render(request, "partials/_review_screen.html", {"screen": screen})
    # The seq the pushes build on: the screen was read at this point of the workshop.
    context = {"workshop": workshop, "screen": screen, "room": {"seq": workshop.seq}}
    return render(request, "review_projector.html", context)


@router.post("/workshops/{workshop_id}/review/screen")
def step_screen(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
    step: Annotated[Literal["previous", "next", "show"], Form()],
    item_id: Annotated[DbId | None, Form()] = None,
) -> Response:
    if step == "show" and item_id is not None:
        service.show_item(session=session, publisher=publisher, workshop=workshop, item_id=item_id)
    else:
        by = -1 if step == "previous" else 1
        service.step(session=session, publisher=publisher, workshop=workshop, by=by)
    if is_htmx(request):
        return Response(status_code=204)
    return redirect(f"/workshops/{workshop_id}/agenda#review-title")
