"""The agenda API and the exports under /api/v1, for a facilitator of the workshop.

Authentication: a facilitator bearer token, as the rest of the API, or the browser session.
State-changing calls by session carry the session's CSRF token (X-CSRF-Token); a bearer token
is no ambient credential, so it needs none.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import Response

from app.agenda_models import AgendaItemCreate, AgendaItemPublic, AgendaItemUpdate
from app.api.deps import ApiFacilitatedWorkshop, TokenOrSessionUser, csrf_unless_bearer
from app.api.errors import RESPONSES, ApiRoute
from app.deps import PublisherDep, SessionDep
from app.exports import archive, csv_export, markdown, pdf, report, xlsx
from app.ids import DbId
from app.models import Workshop, utcnow
from app.services import agenda as service
from app.services import ics
from app.services.agenda_sheet import AgendaSheet, load_sheet, local_today
from app.services.archive_import import import_archive
from app.services.mail_contacts import email_of
from app.services.report import load_report
from app.web import download, slug

router = APIRouter(
    prefix="/v1",
    tags=["agenda"],
    dependencies=[Depends(csrf_unless_bearer)],
    route_class=ApiRoute,
    responses=RESPONSES,
)


def _sheet(session: SessionDep, workshop: Workshop) -> AgendaSheet:
    return load_sheet(session=session, workshop=workshop, today=local_today())


def _public(item: Any, session: SessionDep) -> AgendaItemPublic:
    public = AgendaItemPublic.model_validate(item, from_attributes=True)
    public.owner_email = email_of(session=session, item=item)
    return public


@router.get("/workshops/{workshop_id}/agenda/items")
def list_items(workshop: ApiFacilitatedWorkshop, session: SessionDep) -> list[AgendaItemPublic]:
    assert workshop.id is not None
    items = service.items_of_workshop(session=session, workshop_id=workshop.id)
    return [_public(i, session) for i in items]


@router.post("/workshops/{workshop_id}/agenda/items", status_code=201)
def create_item(
    workshop: ApiFacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
    data: AgendaItemCreate,
) -> AgendaItemPublic:
    item = service.create_item(session=session, publisher=publisher, workshop=workshop, data=data)
    return _public(item, session)


@router.patch("/workshops/{workshop_id}/agenda/items/{item_id}")
def edit_item(
    item_id: DbId,
    workshop: ApiFacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
    data: AgendaItemUpdate,
) -> AgendaItemPublic:
    item = service.edit_item(
        session=session, publisher=publisher, workshop=workshop, item_id=item_id, data=data
    )
    return _public(item, session)


@router.delete(
    "/workshops/{workshop_id}/agenda/items/{item_id}", status_code=204, response_class=Response
)
def delete_item(
    item_id: DbId,
    workshop: ApiFacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
    version: int | None = None,
) -> Response:
    service.delete_item(
        session=session, publisher=publisher, workshop=workshop, item_id=item_id, version=version
    )
    return Response(status_code=204)


@router.get(
    "/workshops/{workshop_id}/agenda.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def agenda_pdf(workshop: ApiFacilitatedWorkshop, session: SessionDep) -> Response:
    body = pdf.agenda_pdf(_sheet(session, workshop))
    return download(
        body, media_type="application/pdf", name=f"doe-agenda-{slug(workshop.title)}.pdf"
    )


@router.get(
    "/workshops/{workshop_id}/agenda.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def agenda_ics(request: Request, workshop: ApiFacilitatedWorkshop, session: SessionDep) -> Response:
    body = ics.agenda_ics(
        _sheet(session, workshop),
        uid_domain=request.url.hostname or "gesprekskaarten",
        dtstamp=utcnow().replace(microsecond=0),
    )
    return download(
        body,
        media_type="text/calendar; charset=utf-8",
        name=f"doe-agenda-{slug(workshop.title)}.ics",
    )


@router.get(
    "/workshops/{workshop_id}/agenda.xlsx",
    response_class=Response,
    responses={
        200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}
    },
)
def agenda_xlsx(workshop: ApiFacilitatedWorkshop, session: SessionDep) -> Response:
    return download(
        xlsx.agenda_xlsx(_sheet(session, workshop)),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        name=f"doe-agenda-{slug(workshop.title)}.xlsx",
    )


@router.get(
    "/workshops/{workshop_id}/agenda.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def agenda_csv(workshop: ApiFacilitatedWorkshop, session: SessionDep) -> Response:
    return download(
        csv_export.agenda_csv(_sheet(session, workshop)),
        media_type="text/csv; charset=utf-8",
        name=f"doe-agenda-{slug(workshop.title)}.csv",
    )


@router.get(
    "/workshops/{workshop_id}/agenda.md",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}}}},
)
def agenda_md(workshop: ApiFacilitatedWorkshop, session: SessionDep) -> Response:
    return download(
        markdown.agenda_md(_sheet(session, workshop)),
        media_type="text/markdown; charset=utf-8",
        name=f"doe-agenda-{slug(workshop.title)}.md",
    )


@router.get(
    "/workshops/{workshop_id}/answers.md",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}}}},
)
def answers_md(workshop: ApiFacilitatedWorkshop, session: SessionDep) -> Response:
    return download(
        report.answers_md(load_report(session=session, workshop=workshop)),
        media_type="text/markdown; charset=utf-8",
        name=f"antwoorden-{slug(workshop.title)}.md",
    )


@router.get(
    "/workshops/{workshop_id}/answers.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def answers_pdf(workshop: ApiFacilitatedWorkshop, session: SessionDep) -> Response:
    return download(
        pdf.answers_pdf(load_report(session=session, workshop=workshop)),
        media_type="application/pdf",
        name=f"antwoorden-{slug(workshop.title)}.pdf",
    )


@router.get(
    "/workshops/{workshop_id}/export.json",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
def export_json(workshop: ApiFacilitatedWorkshop, session: SessionDep) -> Response:
    data = archive.export_workshop(session=session, workshop=workshop)
    return download(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json",
        name=f"bijeenkomst-{slug(workshop.title)}.json",
    )


@router.post("/import", status_code=201)
def import_workshop(
    session: SessionDep, user: TokenOrSessionUser, payload: Annotated[Any, Body()]
) -> dict[str, Any]:
    workshop = import_archive(session=session, raw=payload, owner=user)
    return {"id": workshop.id, "url": f"/workshops/{workshop.id}"}
