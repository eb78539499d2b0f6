"""The facilitator's results page: where the room stands on each self-assessment, per theme
and over the school years."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.deps import FacilitatedWorkshop, SessionDep, UserDep, verify_csrf
from app.services.results import scale_results
from app.web import render

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/workshops/{workshop_id}/results")
def results_page(
    request: Request, workshop: FacilitatedWorkshop, session: SessionDep, user: UserDep
) -> Response:
    results = scale_results(session=session, workshop=workshop, viewer=user)
    return render(request, "results.html", {"user": user, "workshop": workshop, "results": results})
