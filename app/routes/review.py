"""The terugblik's forms on the agenda page: link last year's agenda, record an item's status
and lesson, carry open items over to the new school year. Plain forms that also work through htmx.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.agenda_models import ItemStatus
from app.deps import FacilitatedWorkshop, PublisherDep, SessionDep, UserDep, verify_csrf
from app.i18n import N_, language_of, translate
from app.ids import DbId
from app.services import review
from app.web import back

router = APIRouter(dependencies=[Depends(verify_csrf)])
Text = Annotated[str, Form(max_length=5000)]


@router.post("/workshops/{workshop_id}/review")
def start_review(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    user: UserDep,
    from_workshop_id: Annotated[DbId, Form()],
) -> Response:
    review.start_review(
        session=session, workshop=workshop, from_workshop_id=from_workshop_id, user=user
    )
    return back(
        request,
        f"/workshops/{workshop_id}/agenda",
        translate(language_of(request), N_("De terugblik is gekoppeld.")),
    )


@router.post("/workshops/{workshop_id}/review/items/{item_id}")
def review_item(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    item_id: DbId,
    session: SessionDep,
    publisher: PublisherDep,
    version: Annotated[int, Form()],
    status: Annotated[ItemStatus, Form()],
    lesson: Text = "",
) -> Response:
    review.review_item(
        session=session,
        publisher=publisher,
        workshop=workshop,
        item_id=item_id,
        version=version,
        status=status,
        lesson=lesson,
    )
    return back(
        request,
        f"/workshops/{workshop_id}/agenda",
        translate(language_of(request), N_("Vastgelegd.")),
    )


@router.post("/workshops/{workshop_id}/review/carry")
def carry_over(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
) -> Response:
    made = review.carry_over(session=session, publisher=publisher, workshop=workshop)
    message = translate(
        language_of(request),
        N_("%(count)s actiepunten meegenomen naar het nieuwe schooljaar."),
        count=len(made),
    )
    return back(request, f"/workshops/{workshop_id}/agenda", message)
