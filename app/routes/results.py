"""The facilitator's results page: where the room stands on each self-assessment, per theme
and over the school years."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.deps import ReadSessionDep, UserDep, verify_csrf
from app.ids import DbId
from app.routes.pages import render
from app.services.results import scale_results
from app.services.workshops import workshop_for_facilitator

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/workshops/{workshop_id}/results")
def results_page(
    request: Request, workshop_id: DbId, session: ReadSessionDep, user: UserDep
) -> Response:
    workshop = workshop_for_facilitator(session=session, workshop_id=workshop_id, user=user)
    results = scale_results(session=session, workshop=workshop, viewer=user)
    return render(request, "results.html", {"user": user, "workshop": workshop, "results": results})
