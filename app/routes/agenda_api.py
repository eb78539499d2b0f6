"""The agenda API and the exports under /api/v1, for a facilitator of the workshop.

Authentication: a facilitator bearer token, as the rest of the API, or the browser session.
State-changing calls by session carry the session's CSRF token (X-CSRF-Token); a bearer token
is no ambient credential, so it needs none.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import Response

from app.agenda_models import AgendaItemCreate, AgendaItemPublic, AgendaItemUpdate
from app.config import Settings
from app.db import Database
from app.deps import OptionalUserDep, PublisherDep, SessionDep, SettingsDep, verify_csrf
from app.exports import archive, csv_export, markdown, pdf, report, xlsx
from app.ids import DbId
from app.models import User, Workshop, utcnow
from app.routes.api.deps import api_facilitator, facilitator_scheme
from app.routes.api.errors import RESPONSES, ApiRoute
from app.services import agenda as service
from app.services import ics
from app.services.agenda_sheet import AgendaSheet, load_sheet, local_today
from app.services.archive_import import import_archive
from app.services.errors import DomainError
from app.services.mail_contacts import email_of
from app.services.report import load_report
from app.services.tokens import InvalidToken, bearer_holder
from app.services.workshops import workshop_for_facilitator


def _valid_bearer(request: Request) -> bool:
    """A well-formed `Authorization: Bearer <token>` whose token is ours and still valid."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    settings: Settings = request.app.state.settings
    db: Database = request.app.state.db
    with db.reading() as session:
        try:
            bearer_holder(
                session=session, secret_key=settings.resolved_secret_key(), token=token.strip()
            )
        except InvalidToken:
            return False
    return True


async def csrf_unless_bearer(request: Request) -> None:
    """A logged-in browser session sends its CSRF token. Only a valid bearer token (no ambient
    credential) or no login at all needs none; without either the call is refused with 401
    further on. Any other Authorization header (Basic, a forged token) changes nothing."""
    if request.method in {"GET", "HEAD", "OPTIONS"} or "user_id" not in request.session:
        return
    if await anyio.to_thread.run_sync(_valid_bearer, request):
        return
    await verify_csrf(request)


router = APIRouter(
    prefix="/api/v1",
    tags=["agenda"],
    dependencies=[Depends(csrf_unless_bearer)],
    route_class=ApiRoute,
    responses=RESPONSES,
)


class NotLoggedIn(DomainError):
    status = 401

    def __init__(self) -> None:
        super().__init__("Log eerst in als begeleider.")


def api_user(
    user: OptionalUserDep,
    token: Annotated[str | None, Depends(facilitator_scheme)],
    session: SessionDep,
    settings: SettingsDep,
) -> User:
    if token:
        return api_facilitator(token, session, settings)
    if user is None:
        raise NotLoggedIn()
    return user


def facilitator_for_workshop(
    workshop_id: DbId, session: SessionDep, user: Annotated[User, Depends(api_user)]
) -> Workshop:
    """The workshop, if the caller may facilitate it (404 otherwise, revealing nothing)."""
    return workshop_for_facilitator(session=session, workshop_id=workshop_id, user=user)


FacilitatedDep = Annotated[Workshop, Depends(facilitator_for_workshop)]
ApiUserDep = Annotated[User, Depends(api_user)]


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "bijeenkomst"


def download(body: bytes | str, *, media_type: str, name: str) -> Response:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


def _sheet(session: SessionDep, workshop: Workshop) -> AgendaSheet:
    return load_sheet(session=session, workshop=workshop, today=local_today())


def _public(item: Any, session: SessionDep) -> AgendaItemPublic:
    public = AgendaItemPublic.model_validate(item, from_attributes=True)
    public.owner_email = email_of(session=session, item=item)
    return public


@router.get("/workshops/{workshop_id}/agenda/items")
def list_items(workshop: FacilitatedDep, session: SessionDep) -> list[AgendaItemPublic]:
    assert workshop.id is not None
    items = service.items_of_workshop(session=session, workshop_id=workshop.id)
    return [_public(i, session) for i in items]


@router.post("/workshops/{workshop_id}/agenda/items", status_code=201)
def create_item(
    workshop: FacilitatedDep, session: SessionDep, publisher: PublisherDep, data: AgendaItemCreate
) -> AgendaItemPublic:
    item = service.create_item(session=session, publisher=publisher, workshop=workshop, data=data)
    return _public(item, session)


@router.patch("/workshops/{workshop_id}/agenda/items/{item_id}")
def edit_item(
    item_id: DbId,
    workshop: FacilitatedDep,
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
    workshop: FacilitatedDep,
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
def agenda_pdf(workshop: FacilitatedDep, session: SessionDep) -> Response:
    body = pdf.agenda_pdf(_sheet(session, workshop))
    return download(
        body, media_type="application/pdf", name=f"doe-agenda-{slug(workshop.title)}.pdf"
    )


@router.get(
    "/workshops/{workshop_id}/agenda.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def agenda_ics(request: Request, workshop: FacilitatedDep, session: SessionDep) -> Response:
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
def agenda_xlsx(workshop: FacilitatedDep, session: SessionDep) -> Response:
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
def agenda_csv(workshop: FacilitatedDep, session: SessionDep) -> Response:
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
def agenda_md(workshop: FacilitatedDep, session: SessionDep) -> Response:
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
def answers_md(workshop: FacilitatedDep, session: SessionDep) -> Response:
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
def answers_pdf(workshop: FacilitatedDep, session: SessionDep) -> Response:
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
def export_json(workshop: FacilitatedDep, session: SessionDep) -> Response:
    data = archive.export_workshop(session=session, workshop=workshop)
    return download(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json",
        name=f"bijeenkomst-{slug(workshop.title)}.json",
    )


@router.post("/import", status_code=201)
def import_workshop(
    session: SessionDep, user: ApiUserDep, payload: Annotated[Any, Body()]
) -> dict[str, Any]:
    workshop = import_archive(session=session, raw=payload, owner=user)
    return {"id": workshop.id, "url": f"/workshops/{workshop.id}"}
