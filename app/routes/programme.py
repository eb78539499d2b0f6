"""Preparing a workshop's programme: choose, order and add prompts (docs/console.md)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.decks import Deck
from app.deps import (
    DecksDep,
    FacilitatedWorkshop,
    PublisherDep,
    ReadSessionDep,
    SessionDep,
    UserDep,
    verify_csrf,
)
from app.events import Publisher
from app.i18n import language_of
from app.ids import DbId
from app.models import User, Workshop
from app.services import own_decks, programme
from app.services.errors import DomainError, InvalidInput
from app.web import is_htmx, redirect, render

router = APIRouter(dependencies=[Depends(verify_csrf)])


class Op(StrEnum):
    up = "up"
    down = "down"
    remove = "remove"
    add_deck = "add_deck"
    add_own = "add_own"


def _deck(session: Session, user: User, decks: dict[str, Deck], workshop: Workshop) -> Deck | None:
    return own_decks.decks_for_user(session=session, user=user, file_decks=decks).get(
        workshop.deck_slug
    )


def _page(
    request: Request,
    session: Session,
    user: User,
    workshop: Workshop,
    deck: Deck | None,
    *,
    error: DomainError | None = None,
    draft: dict[str, Any] | None = None,
) -> Response:
    context = {
        "user": user,
        "workshop": workshop,
        "deck": deck,
        "view": programme.programme_view(session=session, workshop=workshop, deck=deck),
        "error": error.translated(language_of(request)) if error else None,
        # What the facilitator typed for an own prompt, kept when it is refused.
        "draft": draft or {},
    }
    # htmx swaps only the editor; a plain form post gets the whole page.
    name = "partials/_programme_editor.html" if is_htmx(request) else "programme.html"
    return render(request, name, context, status=error.status if error else 200)


@router.get("/workshops/{workshop_id}/programme")
def programme_page(
    request: Request,
    workshop: FacilitatedWorkshop,
    session: ReadSessionDep,
    user: UserDep,
    decks: DecksDep,
) -> Response:
    return _page(request, session, user, workshop, _deck(session, user, decks, workshop))


def _step(
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    deck: Deck | None,
    op: Op,
    form: dict[str, Any],
) -> None:
    common: dict[str, Any] = {
        "session": session,
        "publisher": publisher,
        "workshop": workshop,
        "deck": deck,
    }
    prompt_id = form["prompt_id"]
    if op in {Op.up, Op.down, Op.remove} and prompt_id is None:
        raise InvalidInput("Kies een vraag uit het programma.")
    if op is Op.up or op is Op.down:
        programme.move_prompt(**common, prompt_id=prompt_id, step=-1 if op is Op.up else 1)
    elif op is Op.remove:
        programme.remove_prompt(**common, prompt_id=prompt_id)
    elif op is Op.add_deck:
        programme.add_prompt(**common, item=programme.DeckPick(form["deck_prompt_id"] or ""))
    else:
        own = programme.OwnPrompt(
            text=form["text"] or "", kind=form["kind"] or "", theme=form["theme"] or ""
        )
        programme.add_prompt(**common, item=own)


@router.post("/workshops/{workshop_id}/programme")
def change_programme(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
    user: UserDep,
    decks: DecksDep,
    op: Annotated[Op, Form()],
    prompt_id: Annotated[int | None, Form()] = None,
    deck_prompt_id: Annotated[str | None, Form(max_length=80)] = None,
    # Longer than a prompt may be, so the service can say so in words.
    text: Annotated[str | None, Form(max_length=10_000)] = None,
    kind: Annotated[str | None, Form(max_length=10)] = None,
    theme: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    """One step of preparing: move a prompt, remove it, or add a deck or own prompt."""
    deck = _deck(session, user, decks, workshop)
    form = {
        "prompt_id": prompt_id,
        "deck_prompt_id": deck_prompt_id,
        "text": text,
        "kind": kind,
        "theme": theme,
    }
    try:
        _step(session, publisher, workshop, deck, op, form)
    except DomainError as exc:
        session.rollback()
        draft = form if op is Op.add_own else None
        return _page(request, session, user, workshop, deck, error=exc, draft=draft)
    if is_htmx(request):
        return _page(request, session, user, workshop, deck)
    # Without JavaScript the page comes back at the prompt just moved.
    anchor = f"#prompt-{prompt_id}" if op in {Op.up, Op.down} else ""
    return redirect(f"/workshops/{workshop_id}/programme{anchor}")
