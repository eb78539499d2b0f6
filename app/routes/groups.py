"""The console's Groeperen panel: plain forms that also work through htmx.

Each route checks the facilitator, calls one service function and comes back to the console;
the panel itself updates over the websocket (Topic.groups) for every facilitator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.deps import FacilitatedWorkshop, PublisherDep, SessionDep, verify_csrf
from app.i18n import N_, language_of, translate
from app.ids import DbId
from app.models import Workshop
from app.services import group_edits, groups
from app.services.errors import DomainError, InvalidInput
from app.web import is_htmx, redirect

router = APIRouter(dependencies=[Depends(verify_csrf)])
Label = Annotated[str, Form(max_length=500)]


def _run(
    request: Request,
    workshop: Workshop,
    change: Callable[[], object],
    done: str | None = None,
) -> Response:
    """Carry out one change; a plain form comes back to the console with a message."""
    lang = language_of(request)
    try:
        change()
    except DomainError as exc:
        if is_htmx(request):
            raise
        request.session["flash"] = exc.translated(lang)
    else:
        if done is not None and not is_htmx(request):
            request.session["flash"] = translate(lang, done)
    if is_htmx(request):
        return Response(status_code=204)
    return redirect(f"/workshops/{workshop.id}#console-groups")


@router.post("/workshops/{workshop_id}/prompts/{prompt_id}/groups/regroup")
def regroup(
    request: Request,
    workshop: FacilitatedWorkshop,
    prompt_id: DbId,
    session: SessionDep,
    publisher: PublisherDep,
) -> Response:
    return _run(
        request,
        workshop,
        lambda: groups.regroup(
            session=session, publisher=publisher, workshop=workshop, prompt_id=prompt_id
        ),
    )


@router.post("/workshops/{workshop_id}/prompts/{prompt_id}/groups/accept")
def accept_all(
    request: Request,
    workshop: FacilitatedWorkshop,
    prompt_id: DbId,
    session: SessionDep,
    publisher: PublisherDep,
) -> Response:
    return _run(
        request,
        workshop,
        lambda: group_edits.accept_all(
            session=session, publisher=publisher, workshop=workshop, prompt_id=prompt_id
        ),
    )


@router.post("/workshops/{workshop_id}/groups/{group_id}/accept")
def accept(
    request: Request,
    workshop: FacilitatedWorkshop,
    group_id: DbId,
    session: SessionDep,
    publisher: PublisherDep,
) -> Response:
    return _run(
        request,
        workshop,
        lambda: group_edits.edit(
            session=session, publisher=publisher, workshop=workshop, group_id=group_id, fixed=True
        ),
    )


@router.post("/workshops/{workshop_id}/groups/{group_id}/rename")
def rename(
    request: Request,
    workshop: FacilitatedWorkshop,
    group_id: DbId,
    session: SessionDep,
    publisher: PublisherDep,
    label: Label = "",
) -> Response:
    return _run(
        request,
        workshop,
        lambda: group_edits.edit(
            session=session, publisher=publisher, workshop=workshop, group_id=group_id, label=label
        ),
    )


@router.post("/workshops/{workshop_id}/groups/{group_id}/merge")
def merge(
    request: Request,
    workshop: FacilitatedWorkshop,
    group_id: DbId,
    session: SessionDep,
    publisher: PublisherDep,
    into: Annotated[str, Form(max_length=12)] = "",
) -> Response:

    def change() -> object:
        if not into.isdigit():
            raise InvalidInput("Kies de groep om mee samen te voegen.")
        return group_edits.merge(
            session=session,
            publisher=publisher,
            workshop=workshop,
            group_id=group_id,
            into_id=int(into),
        )

    return _run(request, workshop, change)


@router.post("/workshops/{workshop_id}/groups/{group_id}/split")
def split(
    request: Request,
    workshop: FacilitatedWorkshop,
    group_id: DbId,
    session: SessionDep,
    publisher: PublisherDep,
    label: Label = "",
    answer_ids: Annotated[list[DbId] | None, Form()] = None,
) -> Response:
    return _run(
        request,
        workshop,
        lambda: group_edits.split(
            session=session,
            publisher=publisher,
            workshop=workshop,
            group_id=group_id,
            answer_ids=answer_ids or [],
            label=label,
        ),
    )


@router.post("/workshops/{workshop_id}/groups/{group_id}/delete")
def delete(
    request: Request,
    workshop: FacilitatedWorkshop,
    group_id: DbId,
    session: SessionDep,
    publisher: PublisherDep,
) -> Response:
    return _run(
        request,
        workshop,
        lambda: group_edits.delete_group(
            session=session, publisher=publisher, workshop=workshop, group_id=group_id
        ),
    )


@router.post("/workshops/{workshop_id}/answers/{answer_id}/group")
def move(
    request: Request,
    workshop: FacilitatedWorkshop,
    answer_id: DbId,
    session: SessionDep,
    publisher: PublisherDep,
    group_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Move an answer to the chosen group; an empty choice takes it out of the groups."""

    def change() -> None:
        if group_id and not group_id.isdigit():
            raise InvalidInput("Kies een groep uit de lijst.")
        group_edits.move(
            session=session,
            publisher=publisher,
            workshop=workshop,
            answer_id=answer_id,
            group_id=int(group_id) if group_id else None,
        )

    return _run(request, workshop, change)


@router.post("/workshops/{workshop_id}/groups/{group_id}/agenda-item")
def make_item(
    request: Request,
    workshop: FacilitatedWorkshop,
    group_id: DbId,
    session: SessionDep,
    publisher: PublisherDep,
) -> Response:
    """Maak actiepunt from a group; it appears in the agenda list over the websocket."""
    return _run(
        request,
        workshop,
        lambda: group_edits.item_from_group(
            session=session, publisher=publisher, workshop=workshop, group_id=group_id
        ),
        N_("Het actiepunt is gemaakt."),
    )
