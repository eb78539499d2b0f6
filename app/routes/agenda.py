"""The facilitator's doe-agenda pages: items from answers or fresh, editing, dates, dots and
owner links (the terugblik's forms: routes/review.py). Plain forms that also work through htmx."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.agenda_models import AgendaItemCreate, AgendaItemUpdate, AgendaLevel, ItemStatus
from app.deps import (
    FacilitatedWorkshop,
    PublisherDep,
    SessionDep,
    UserDep,
    verify_csrf,
)
from app.i18n import N_, language_of, translate
from app.ids import DbId
from app.models import Workshop
from app.services import agenda as service
from app.services import owners, review, review_reactions, voting
from app.services.agenda_sheet import load_sheet, local_today
from app.services.errors import DomainError, InvalidInput
from app.services.item_views import LEVEL_LABELS, STATUS_LABELS
from app.services.text import FieldInvalid
from app.services.workshops import workshops_for_user
from app.web import back, redirect, render

router = APIRouter(dependencies=[Depends(verify_csrf)])
Text = Annotated[str, Form(max_length=5000)]


def parse_day(raw: str, label: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FieldInvalid(
            N_("%(field)s: schrijf een datum als 2026-09-01."), field=label
        ) from None


def parse_level(raw: str) -> AgendaLevel | None:
    if not raw:
        return None
    try:
        return AgendaLevel(raw)
    except ValueError:
        raise InvalidInput("Kies een niveau uit het Handelingskader.") from None


@router.get("/workshops/{workshop_id}/agenda")
def agenda_page(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    user: UserDep,
) -> Response:
    sheet = load_sheet(session=session, workshop=workshop, today=local_today())
    reviewed = review.reviewed_agenda(session=session, workshop=workshop)
    reviewed_sheet = None
    if reviewed is not None:
        old = session.get(Workshop, reviewed.workshop_id)
        if old is not None:
            reviewed_sheet = load_sheet(session=session, workshop=old, today=local_today())
    others = [
        w
        for group in workshops_for_user(session=session, user=user).values()
        for w in group
        if w.id != workshop.id
    ]
    context = {
        "user": user,
        "workshop": workshop,
        "sheet": sheet,
        "reviewed": reviewed_sheet,
        "review_item_id": sheet.agenda.review_item_id if sheet.agenda else None,
        "review_tallies": review_reactions.counts_by_item(
            session=session,
            workshop_id=workshop_id,
            item_ids=[v.id for v in reviewed_sheet.items] if reviewed_sheet else [],
        ),
        "others": others,
        "links": owners.links_of(session=session, workshop=workshop),
        "trekkers": owners.owners_in(session=session, workshop=workshop),
        "levels": LEVEL_LABELS,
        "statuses": STATUS_LABELS,
        "show_sources": True,
        "show_history": True,
        # A link made a moment ago, shown this once in a field to copy (only its hash is kept).
        "new_link": request.session.pop("new_owner_link", None),
    }
    return render(request, "agenda.html", context)


@router.post("/workshops/{workshop_id}/agenda/items")
def create_item(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
    title: Text,
    description: Text = "",
    owner_name: Text = "",
    owner_organisation: Text = "",
    due_date: Text = "",
    level: Text = "",
    answer_ids: Annotated[list[DbId] | None, Form()] = None,
) -> Response:
    data = AgendaItemCreate.model_construct(
        title=title,
        description=description,
        owner_name=owner_name,
        owner_organisation=owner_organisation,
        due_date=parse_day(due_date, N_("Datum")),
        theme_key=None,
        theme_title=None,
        level=parse_level(level),
        notes=None,
        answer_ids=answer_ids or [],
    )
    service.create_item(session=session, publisher=publisher, workshop=workshop, data=data)
    return back(request, f"/workshops/{workshop_id}")


@router.get("/workshops/{workshop_id}/agenda/items/{item_id}/edit")
def edit_page(
    request: Request,
    workshop: FacilitatedWorkshop,
    item_id: DbId,
    session: SessionDep,
    user: UserDep,
) -> Response:
    item = service.item_in_workshop(session=session, workshop=workshop, item_id=item_id)
    context: dict[str, object] = {"user": user, "workshop": workshop, "item": item, "form": item}
    context |= {"levels": LEVEL_LABELS, "statuses": STATUS_LABELS}
    return render(request, "agenda_item_edit.html", context)


@router.post("/workshops/{workshop_id}/agenda/items/{item_id}")
def edit_item(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    item_id: DbId,
    session: SessionDep,
    publisher: PublisherDep,
    user: UserDep,
    version: Annotated[int, Form()],
    title: Text,
    status: Annotated[ItemStatus, Form()],
    description: Text = "",
    owner_name: Text = "",
    owner_organisation: Text = "",
    due_date: Text = "",
    level: Text = "",
    notes: Text = "",
) -> Response:
    fields: dict[str, Any] = {
        "title": title,
        "description": description,
        "owner_name": owner_name,
        "owner_organisation": owner_organisation,
        "notes": notes,
        "status": status,
    }
    try:
        fields |= {"due_date": parse_day(due_date, N_("Datum")), "level": parse_level(level)}
        data = AgendaItemUpdate.model_construct(version=version, **fields)
        service.edit_item(
            session=session, publisher=publisher, workshop=workshop, item_id=item_id, data=data
        )
    except DomainError as exc:
        # Show what is stored now beside what this person typed, so nothing is lost.
        current = service.item_in_workshop(session=session, workshop=workshop, item_id=item_id)
        context: dict[str, object] = {"user": user, "workshop": workshop, "item": current}
        context["error"] = exc.translated(language_of(request))
        context |= {"form": {**fields, "due_date": due_date, "level": level}}
        context |= {"levels": LEVEL_LABELS, "statuses": STATUS_LABELS}
        return render(request, "agenda_item_edit.html", context, status=exc.status)
    return redirect(f"/workshops/{workshop_id}/agenda")


@router.post("/workshops/{workshop_id}/agenda/items/{item_id}/delete")
def delete_item(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    item_id: DbId,
    session: SessionDep,
    publisher: PublisherDep,
    version: Annotated[int | None, Form()] = None,
) -> Response:
    service.delete_item(
        session=session, publisher=publisher, workshop=workshop, item_id=item_id, version=version
    )
    return back(
        request,
        f"/workshops/{workshop_id}/agenda",
        translate(language_of(request), N_("Het actiepunt is verwijderd.")),
    )


@router.post("/workshops/{workshop_id}/agenda/dates")
def set_dates(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
    start_date: Text = "",
    checkin_date: Text = "",
    review_date: Text = "",
) -> Response:
    service.set_dates(
        session=session,
        publisher=publisher,
        workshop=workshop,
        start_date=parse_day(start_date, N_("Start")),
        checkin_date=parse_day(checkin_date, N_("Tussentijdse check")),
        review_date=parse_day(review_date, N_("Terugblik")),
    )
    return back(
        request,
        f"/workshops/{workshop_id}/agenda",
        translate(language_of(request), N_("De data zijn opgeslagen.")),
    )


@router.post("/workshops/{workshop_id}/agenda/dots")
def set_dots(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
    dots: Annotated[int, Form(ge=0, le=voting.MAX_DOTS)],
    vote_on: Annotated[str, Form(max_length=10)] = voting.VOTE_ON_ITEMS,
) -> Response:
    voting.set_dots(
        session=session, publisher=publisher, workshop=workshop, dots=dots, vote_on=vote_on
    )
    lang = language_of(request)
    message = (
        translate(lang, N_("Elke deelnemer heeft nu %(dots)s stippen."), dots=dots)
        if dots
        else translate(lang, N_("Stemmen is gesloten."))
    )
    return back(request, f"/workshops/{workshop_id}", message)


@router.post("/workshops/{workshop_id}/agenda/owners")
def create_owner_link(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    owner_name: Text = "",
    owner_organisation: Text = "",
) -> Response:
    _link, token = owners.create_link(
        session=session,
        workshop=workshop,
        owner_name=owner_name,
        owner_organisation=owner_organisation,
    )
    url = str(request.url_for("owner_page", token=token))
    # The token is shown once: only its hash is stored.
    owner = " · ".join(part for part in (owner_name, owner_organisation) if part)
    request.session["new_owner_link"] = {"url": url, "owner": owner}
    message = translate(
        language_of(request), N_("De persoonlijke link voor %(owner)s staat klaar."), owner=owner
    )
    return back(request, f"/workshops/{workshop_id}/agenda#new-link", message)


@router.post("/workshops/{workshop_id}/agenda/owners/{link_id}/revoke")
def revoke_owner_link(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    link_id: DbId,
    session: SessionDep,
) -> Response:
    owners.revoke_link(session=session, workshop=workshop, link_id=link_id)
    return back(
        request,
        f"/workshops/{workshop_id}/agenda",
        translate(language_of(request), N_("De link werkt niet meer.")),
    )
