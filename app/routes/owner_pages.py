"""Pages without accounts: a trekker's own items by personal link."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.agenda_models import Agenda, ItemStatus
from app.deps import (
    PublisherDep,
    ReadSessionDep,
    SessionDep,
    verify_csrf,
)
from app.i18n import N_, language_of, translate
from app.ids import DbId
from app.models import Workshop, utcnow
from app.services import ics, owners
from app.services.agenda_sheet import load_sheet, local_today
from app.services.item_views import STATUS_LABELS, item_views
from app.web import redirect, render

router = APIRouter(dependencies=[Depends(verify_csrf)])


def _owner_context(session: ReadSessionDep | SessionDep, token: str) -> dict[str, object]:
    link = owners.link_by_token(session=session, token=token)
    agenda = session.get(Agenda, link.agenda_id)
    assert agenda is not None
    workshop = session.get(Workshop, agenda.workshop_id)
    items = owners.owner_items(session=session, link=link)
    return {
        "link": link,
        "workshop": workshop,
        "agenda": agenda,
        "views": item_views(session=session, items=items, today=local_today()),
        "owner": owners.owner_label(link.owner_name, link.owner_organisation),
        "statuses": STATUS_LABELS,
        "token": token,
    }


@router.get("/o/{token}", name="owner_page")
def owner_page(request: Request, token: str, session: ReadSessionDep) -> Response:
    response = render(request, "owner.html", _owner_context(session, token))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.post("/o/{token}/items/{item_id}")
def owner_update(
    request: Request,
    token: str,
    item_id: DbId,
    session: SessionDep,
    publisher: PublisherDep,
    version: Annotated[int, Form()],
    status: Annotated[ItemStatus, Form()],
    notes: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    link = owners.link_by_token(session=session, token=token)
    owners.owner_update(
        session=session,
        publisher=publisher,
        link=link,
        item_id=item_id,
        version=version,
        status=status,
        notes=notes,
    )
    request.session["flash"] = translate(language_of(request), N_("Opgeslagen. Dank je wel!"))
    return redirect(f"/o/{token}")


@router.get("/o/{token}/agenda.ics")
def owner_feed(request: Request, token: str, session: ReadSessionDep) -> Response:
    """A calendar feed to subscribe to: this trekker's items and the agenda's meetings."""
    context = _owner_context(session, token)
    workshop = context["workshop"]
    assert isinstance(workshop, Workshop)
    sheet = load_sheet(session=session, workshop=workshop, today=local_today())
    mine = {v.id for v in context["views"]}  # type: ignore[attr-defined]
    body = ics.agenda_ics(
        sheet,
        uid_domain=request.url.hostname or "gesprekskaarten",
        dtstamp=utcnow().replace(microsecond=0),
        items=[v for v in sheet.items if v.id in mine],
        link=str(request.url_for("owner_page", token=token)),
        name=f"Mijn actiepunten: {workshop.title}",
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=900", "Referrer-Policy": "no-referrer"},
    )
