"""The facilitator's dashboard, creating workshops, adding co-facilitators."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.decks import Deck
from app.deps import DecksDep, FacilitatedWorkshop, ReadSessionDep, SessionDep, UserDep, verify_csrf
from app.i18n import N_, language_of, translate
from app.ids import DbId
from app.models import WorkshopCreate, WorkshopKind
from app.services import own_decks
from app.services import workshops as service
from app.services.errors import DomainError
from app.web import redirect, render

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/dashboard")
def dashboard(request: Request, session: ReadSessionDep, user: UserDep) -> Response:
    grouped = service.workshops_for_user(session=session, user=user)
    return render(request, "dashboard.html", {"user": user, "grouped": grouped})


def _form_context(decks: dict[str, Deck], **extra: object) -> dict[str, object]:
    ordered = sorted(decks.values(), key=lambda d: d.title)
    kinds = {d.slug: service.kind_for_deck(d).value for d in ordered}
    # A new workshop starts as a regional meeting with a regional deck; picking a deck
    # picks its kind (app.js), and the facilitator can still change either.
    # The NJi policymakers' card is what a regional meeting is for; other regional decks
    # (the CCV deck, own copies) are a choice away.
    regional = [d.slug for d in ordered if kinds[d.slug] == "regional"]
    first = service.DEFAULT_REGIONAL_DECK if service.DEFAULT_REGIONAL_DECK in regional else None
    first = first or (regional[0] if regional else ordered[0].slug)
    return {
        "decks": ordered,
        "deck_kinds": kinds,
        "default_deck": first,
        "school_year": service.school_year_of(date.today()),
        **extra,
    }


@router.get("/workshops/new")
def new_workshop(
    request: Request, session: ReadSessionDep, user: UserDep, file_decks: DecksDep
) -> Response:
    decks = own_decks.decks_for_user(session=session, user=user, file_decks=file_decks)
    return render(request, "workshop_new.html", {"user": user, **_form_context(decks)})


@router.post("/workshops")
def create_workshop(
    request: Request,
    session: SessionDep,
    user: UserDep,
    file_decks: DecksDep,
    title: Annotated[str, Form(max_length=200)],
    deck_slug: Annotated[str, Form(max_length=60)],
    kind: Annotated[WorkshopKind, Form()],
    school_year: Annotated[str, Form(max_length=20)],
    organisation: Annotated[str, Form(max_length=200)] = "",
    anonymous: Annotated[bool, Form()] = False,
    retention_days: Annotated[int, Form()] = 90,
) -> Response:
    # Own decks the user may use count as decks too (docs/decks.md).
    decks = own_decks.decks_for_user(session=session, user=user, file_decks=file_decks)
    try:
        data = WorkshopCreate.model_construct(
            title=title,
            deck_slug=deck_slug,
            kind=kind,
            school_year=school_year,
            organisation=organisation,
            anonymous=anonymous,
            retention_days=retention_days,
        )
        workshop = service.create_workshop(session=session, owner=user, data=data, decks=decks)
    except DomainError as exc:
        form = {
            "title": title,
            "deck_slug": deck_slug,
            "kind": kind,
            "organisation": organisation,
            "anonymous": anonymous,
            "retention_days": retention_days,
        }
        context = _form_context(
            decks, error=exc.translated(language_of(request)), form=form, user=user
        )
        context["school_year"] = school_year
        return render(request, "workshop_new.html", context, status=exc.status)
    return redirect(f"/workshops/{workshop.id}")


@router.post("/workshops/{workshop_id}/facilitators")
def add_facilitator(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    user: UserDep,
    email: Annotated[str, Form(max_length=254)],
) -> Response:
    try:
        other = service.add_cofacilitator(session=session, workshop=workshop, by=user, email=email)
        request.session["flash"] = translate(
            language_of(request), N_("%(email)s begeleidt nu mee."), email=other.email
        )
    except DomainError as exc:
        request.session["flash"] = exc.translated(language_of(request))
    return redirect(f"/workshops/{workshop_id}")
