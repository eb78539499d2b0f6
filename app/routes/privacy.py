"""The privacy page, a workshop's privacy settings, and deleting a workshop."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.deps import (
    FacilitatedWorkshop,
    OptionalUserDep,
    PublisherDep,
    SessionDep,
    UserDep,
    verify_csrf,
)
from app.i18n import N_, language_of, translate
from app.ids import DbId
from app.services import privacy
from app.services.errors import DomainError, Forbidden
from app.web import redirect, render

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/privacy")
def privacy_page(request: Request, user: OptionalUserDep) -> Response:
    """What is stored, why, for how long, who sees it; in the reader's language.

    `?lang=en` (the switch on every page) sets the language and comes back here.
    """
    english = language_of(request) == "en"
    return render(request, "privacy.html", {"user": user, "english": english})


@router.post("/workshops/{workshop_id}/privacy")
def update_settings(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
    user: UserDep,
    retention_days: Annotated[int, Form()],
    anonymous: Annotated[bool, Form()] = False,
) -> Response:
    try:
        privacy.update_settings(
            session=session,
            publisher=publisher,
            workshop=workshop,
            by=user,
            anonymous=anonymous,
            retention_days=retention_days,
        )
        request.session["flash"] = translate(
            language_of(request), N_("Privacy-instellingen opgeslagen.")
        )
    except DomainError as exc:
        request.session["flash"] = exc.translated(language_of(request))
    return redirect(f"/workshops/{workshop_id}")


@router.get("/workshops/{workshop_id}/delete")
def confirm_delete(
    request: Request, workshop: FacilitatedWorkshop, session: SessionDep, user: UserDep
) -> Response:
    if workshop.owner_id != user.id:
        raise Forbidden("Alleen wie de bijeenkomst heeft aangemaakt, kan haar verwijderen.")
    return render(request, "workshop_delete.html", {"user": user, "workshop": workshop})


@router.post("/workshops/{workshop_id}/delete")
def delete(
    request: Request,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    user: UserDep,
    confirm: Annotated[bool, Form()] = False,
) -> Response:
    if workshop.owner_id != user.id:
        raise Forbidden("Alleen wie de bijeenkomst heeft aangemaakt, kan haar verwijderen.")
    if not confirm:
        context = {
            "user": user,
            "workshop": workshop,
            "error": "Vink aan dat je alles van deze bijeenkomst wilt verwijderen.",
        }
        return render(request, "workshop_delete.html", context, status=422)
    title = workshop.title
    privacy.delete_workshop(session=session, workshop=workshop, by=user)
    request.session["flash"] = translate(
        language_of(request),
        N_('De bijeenkomst "%(title)s" en alles erin is verwijderd.'),
        title=title,
    )
    return redirect("/dashboard")
