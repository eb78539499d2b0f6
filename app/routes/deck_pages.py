"""Kaartsets: the file decks and own decks, copying, editing, YAML download and upload."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app.deps import DecksDep, ReadSessionDep, SessionDep, UserDep, verify_csrf
from app.i18n import N_, language_of, translate
from app.ids import DbId
from app.models import User
from app.services import own_decks as service
from app.services.errors import DomainError
from app.web import redirect, render

router = APIRouter(dependencies=[Depends(verify_csrf)])

# Bounds on what one edit form may hold; a cards/ deck has at most 12 themes.
MAX_THEMES = 13
MAX_PROMPTS = 60


def _list(
    request: Request,
    session: Session,
    user: User,
    decks: DecksDep,
    *,
    error: DomainError | None = None,
) -> Response:
    context = {
        "user": user,
        "file_decks": sorted(decks.values(), key=lambda d: d.title),
        "own_decks": [
            (own, service.deck_of(own)) for own in service.visible_decks(session=session, user=user)
        ],
        "error": error.translated(language_of(request)) if error else None,
    }
    return render(request, "decks.html", context, status=error.status if error else 200)


@router.get("/decks")
def list_decks(
    request: Request, session: ReadSessionDep, user: UserDep, decks: DecksDep
) -> Response:
    return _list(request, session, user, decks)


@router.post("/decks/copy")
def copy_deck(
    request: Request,
    session: SessionDep,
    user: UserDep,
    decks: DecksDep,
    slug: Annotated[str, Form(max_length=60)],
) -> Response:
    try:
        own = service.copy_deck(session=session, user=user, file_decks=decks, slug=slug)
    except DomainError as exc:
        return _list(request, session, user, decks, error=exc)
    return redirect(f"/decks/{own.id}/edit")


@router.post("/decks/import")
async def import_deck(
    request: Request,
    session: SessionDep,
    user: UserDep,
    decks: DecksDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    raw = await file.read(service.MAX_UPLOAD_BYTES + 1)
    try:
        own = service.import_deck(
            session=session,
            user=user,
            file_decks=decks,
            filename=file.filename or "kaartset.yaml",
            raw=raw,
        )
    except DomainError as exc:
        return _list(request, session, user, decks, error=exc)
    request.session["flash"] = translate(language_of(request), N_("Kaartset geïmporteerd."))
    return redirect(f"/decks/{own.id}/edit")


@router.post("/decks/{deck_id}/delete")
def delete_deck(request: Request, deck_id: DbId, session: SessionDep, user: UserDep) -> Response:
    title = service.delete_deck(session=session, user=user, deck_id=deck_id)
    request.session["flash"] = translate(
        language_of(request), N_("Kaartset “%(title)s” verwijderd."), title=title
    )
    return redirect("/decks")


@router.get("/decks/{deck_id}/export.yaml")
def export_deck(deck_id: DbId, session: ReadSessionDep, user: UserDep) -> Response:
    own = service.own_deck_for(session=session, user=user, deck_id=deck_id)
    return Response(
        own.content,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{own.slug}.yaml"'},
    )


def _edit_page(
    request: Request,
    own_id: int,
    session: Session,
    user: User,
    form: service.DeckForm | None = None,
    error: str | None = None,
) -> Response:
    own = service.own_deck_for(session=session, user=user, deck_id=own_id, edit=True)
    deck = service.deck_of(own)
    sources = {p.id: p for t in deck.themes for p in t.prompts}
    context = {
        "user": user,
        "own": own,
        "form": form or service.form_of(deck),
        "sources": sources,
        "error": error,
    }
    return render(request, "deck_edit.html", context, status=422 if error else 200)


@router.get("/decks/{deck_id}/edit")
def edit_deck(request: Request, deck_id: DbId, session: ReadSessionDep, user: UserDep) -> Response:
    return _edit_page(request, deck_id, session, user)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _position(form: FormData, name: str) -> int | None:
    value = _text(form, name).strip()
    # isascii: "²".isdigit() is true too, and int() refuses it.
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 4 else None


def _parse(form: FormData) -> service.DeckForm:
    """The indexed fields of the edit form (themes-0-prompts-1-text, ...) as a DeckForm."""
    themes = []
    for i in range(MAX_THEMES):
        t = f"themes-{i}"
        if f"{t}-id" not in form:
            break
        prompts = []
        for j in range(MAX_PROMPTS):
            p = f"{t}-prompts-{j}"
            if f"{p}-id" not in form:
                break
            if not _text(form, f"{p}-id") and not _text(form, f"{p}-text").strip():
                continue  # the empty "new prompt" slot
            prompts.append(
                service.PromptForm(
                    id=_text(form, f"{p}-id"),
                    text=_text(form, f"{p}-text"),
                    kind=_text(form, f"{p}-kind") or "open",
                    scale_low=_text(form, f"{p}-scale_low"),
                    scale_high=_text(form, f"{p}-scale_high"),
                    remove=f"{p}-remove" in form,
                    position=_position(form, f"{p}-position"),
                )
            )
        if not _text(form, f"{t}-id") and not _text(form, f"{t}-title").strip() and not prompts:
            continue  # the empty "new theme" slot
        themes.append(
            service.ThemeForm(
                id=_text(form, f"{t}-id"),
                title=_text(form, f"{t}-title"),
                wie_zijn_aan_zet=f"{t}-wie" in form,
                remove=f"{t}-remove" in form,
                position=_position(form, f"{t}-position"),
                prompts=prompts,
            )
        )
    return service.DeckForm(
        title=_text(form, "title"),
        audience=_text(form, "audience"),
        intro=_text(form, "intro"),
        tip=_text(form, "tip"),
        themes=themes,
    )


@router.post("/decks/{deck_id}")
async def save_deck(
    request: Request, deck_id: DbId, session: SessionDep, user: UserDep
) -> Response:
    form = _parse(await request.form())
    try:
        service.update_deck(session=session, user=user, deck_id=deck_id, form=form)
    except DomainError as exc:
        if exc.status == 404:
            raise
        error = exc.translated(language_of(request))
        return _edit_page(request, deck_id, session, user, form=form, error=error)
    request.session["flash"] = translate(language_of(request), N_("Kaartset opgeslagen."))
    return redirect(f"/decks/{deck_id}/edit")
