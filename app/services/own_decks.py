"""Own decks: a facilitator copies a deck, edits it in the browser, exports and imports it.

Who sees what: an own deck is visible to its owner and to every facilitator who co-facilitates
one of the owner's workshops; they may use it for a workshop, copy it and download it. Only the
owner edits it. A workshop copies the prompts when it is created, so editing a deck later never
changes a workshop that was made from it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml
from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.decks import Deck, PromptKind, PromptSource
from app.i18n import N_
from app.models import OwnDeck, User, Workshop, WorkshopFacilitator, utcnow
from app.services.deck_problems import parse_yaml, validate_deck
from app.services.errors import InvalidInput, NotFound

MAX_UPLOAD_BYTES = 256 * 1024


@dataclass
class PromptForm:
    id: str
    text: str
    kind: str = "open"
    scale_low: str = ""
    scale_high: str = ""
    remove: bool = False
    # Where the facilitator wants it (1 = first); None keeps its place. Typed, not dragged.
    position: int | None = None


@dataclass
class ThemeForm:
    id: str
    title: str
    wie_zijn_aan_zet: bool = True
    remove: bool = False
    position: int | None = None
    prompts: list[PromptForm] = field(default_factory=list)


@dataclass
class DeckForm:
    title: str
    audience: str
    intro: str
    tip: str
    themes: list[ThemeForm] = field(default_factory=list)


def deck_to_yaml(deck: Deck) -> str:
    """The deck in exactly the cards/ schema; `gesprekskaarten decks check` accepts it."""
    data = deck.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def deck_of(own: OwnDeck) -> Deck:
    return Deck.model_validate(yaml.safe_load(own.content))


def visible_decks(*, session: Session, user: User) -> list[OwnDeck]:
    """The user's own decks and those of the owners of workshops the user co-facilitates."""
    owners = (
        select(Workshop.owner_id)
        .join(WorkshopFacilitator, col(WorkshopFacilitator.workshop_id) == col(Workshop.id))
        .where(WorkshopFacilitator.user_id == user.id)
    )
    query = (
        select(OwnDeck)
        .where(or_(col(OwnDeck.owner_id) == user.id, col(OwnDeck.owner_id).in_(owners)))
        .order_by(col(OwnDeck.title), col(OwnDeck.id))
    )
    return list(session.exec(query).all())


def decks_for_user(*, session: Session, user: User, file_decks: dict[str, Deck]) -> dict[str, Deck]:
    """Every deck the user may make a workshop from, by slug."""
    own = {o.slug: deck_of(o) for o in visible_decks(session=session, user=user)}
    return {**file_decks, **own}


def own_deck_for(*, session: Session, user: User, deck_id: int, edit: bool = False) -> OwnDeck:
    """A deck the user may see (or, with edit, change); others get the same 404."""
    own = session.get(OwnDeck, deck_id)
    if own is None or (edit and own.owner_id != user.id):
        raise NotFound(N_("Deze kaartset bestaat niet of is niet van jou."))
    visible = {d.id for d in visible_decks(session=session, user=user)}
    if own.id not in visible:
        raise NotFound(N_("Deze kaartset bestaat niet of is niet van jou."))
    return own


def _free_slug(session: Session, base: str, file_decks: dict[str, Deck]) -> str:
    base = base[:45].rstrip("-")
    while True:
        slug = f"{base}-{secrets.token_hex(3)}"
        taken = session.exec(select(OwnDeck.id).where(OwnDeck.slug == slug)).first()
        if slug not in file_decks and taken is None:
            return slug


def _store(session: Session, owner: User, deck: Deck) -> OwnDeck:
    assert owner.id is not None
    own = OwnDeck(owner_id=owner.id, slug=deck.slug, title=deck.title, content=deck_to_yaml(deck))
    session.add(own)
    session.commit()
    session.refresh(own)
    return own


def copy_deck(*, session: Session, user: User, file_decks: dict[str, Deck], slug: str) -> OwnDeck:
    """A new own deck from any deck the user can see; prompts keep their source."""
    deck = decks_for_user(session=session, user=user, file_decks=file_decks).get(slug)
    if deck is None:
        raise NotFound(N_("Deze kaartset bestaat niet of is niet van jou."))
    title = f"{deck.title[:1990]} (kopie)"
    copy = deck.model_copy(
        update={"slug": _free_slug(session, deck.slug, file_decks), "title": title}
    )
    return _store(session, user, copy)


def import_deck(
    *, session: Session, user: User, file_decks: dict[str, Deck], filename: str, raw: bytes
) -> OwnDeck:
    """An uploaded YAML file becomes a new own deck; a taken slug gets a fresh one."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise InvalidInput(N_("Dit bestand is te groot voor een kaartset (hoogstens 256 kB)."))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            N_("Dit bestand is geen tekst (UTF-8); kies een .yaml-bestand.")
        ) from exc
    deck = parse_yaml(text, filename=filename)
    taken = session.exec(select(OwnDeck.id).where(OwnDeck.slug == deck.slug)).first()
    if deck.slug in file_decks or taken is not None:
        deck = deck.model_copy(update={"slug": _free_slug(session, deck.slug, file_decks)})
    return _store(session, user, deck)


def _clean(text: str) -> str:
    """One line of text, as the cards/ files fold theirs: a textarea's line breaks become spaces."""
    return " ".join(text.split())


def _next_id(prefix: str, taken: set[str]) -> str:
    n = 1
    while f"{prefix}-{n}" in taken:
        n += 1
    taken.add(f"{prefix}-{n}")
    return f"{prefix}-{n}"


def _prompt(entry: PromptForm, old: dict[str, Any] | None, taken: set[str]) -> dict[str, Any]:
    scale = entry.kind == PromptKind.scale.value
    new: dict[str, Any] = {
        "id": old["id"] if old else _next_id("eigen", taken),
        "text": _clean(entry.text),
        "kind": entry.kind,
        "scale_low": (_clean(entry.scale_low) or None) if scale else None,
        "scale_high": (_clean(entry.scale_high) or None) if scale else None,
    }
    same = old is not None and all(
        (old.get(k) or None) == (new[k] or None)
        for k in ("text", "kind", "scale_low", "scale_high")
    )
    if old is not None and same:
        new["source"], new["derived_from"] = old["source"], old.get("derived_from")
    else:
        # Changed or new wording is the facilitator's own, not the NJi's or a derivation.
        new["source"], new["derived_from"] = PromptSource.own.value, None
    return {k: v for k, v in new.items() if v is not None}


def form_of(deck: Deck) -> DeckForm:
    """The edit form filled from a deck, for the first load of the page."""
    return DeckForm(
        title=deck.title,
        audience=deck.audience,
        intro=deck.intro,
        tip=deck.tip,
        themes=[
            ThemeForm(
                id=t.id,
                title=t.title,
                wie_zijn_aan_zet=t.wie_zijn_aan_zet,
                prompts=[
                    PromptForm(p.id, p.text, p.kind.value, p.scale_low or "", p.scale_high or "")
                    for p in t.prompts
                ],
            )
            for t in deck.themes
        ],
    )


_Entry = TypeVar("_Entry", PromptForm, ThemeForm)


def _ordered(entries: list[_Entry]) -> list[_Entry]:
    """By the typed position. On a tie the one that was moved goes first, so typing 1 puts an
    entry at the top; blanks and the rest keep their order on the page."""
    keyed = []
    for i, entry in enumerate(entries):
        position = entry.position if entry.position is not None else i + 1
        keyed.append((position, 0 if position != i + 1 else 1, i, entry))
    return [entry for *_key, entry in sorted(keyed, key=lambda k: k[:3])]


def apply_form(deck: Deck, form: DeckForm) -> dict[str, Any]:
    """The edited deck as raw data, before validation; ids stay, changed prompts become own."""
    old_prompts = {p.id: p.model_dump(mode="json") for t in deck.themes for p in t.prompts}
    old_themes = {t.id for t in deck.themes}
    taken = set(old_prompts) | old_themes
    themes = []
    for entry in _ordered(form.themes):
        prompts = [
            _prompt(p, old_prompts.get(p.id), taken)
            for p in _ordered(entry.prompts)
            if not p.remove and (p.id in old_prompts or p.text.strip())
        ]
        if entry.remove or (entry.id not in old_themes and not entry.title.strip() and not prompts):
            continue
        theme_id = entry.id if entry.id in old_themes else _next_id("thema", taken)
        themes.append(
            {
                "id": theme_id,
                "title": _clean(entry.title),
                "wie_zijn_aan_zet": entry.wie_zijn_aan_zet,
                "prompts": prompts,
            }
        )
    data = deck.model_dump(mode="json", exclude_none=True)
    data.update(
        title=_clean(form.title),
        audience=_clean(form.audience),
        intro=_clean(form.intro),
        tip=_clean(form.tip),
    )
    data["themes"] = themes
    return data


def update_deck(*, session: Session, user: User, deck_id: int, form: DeckForm) -> OwnDeck:
    """Save the edit form; on any problem raise InvalidInput in Dutch and store nothing."""
    own = own_deck_for(session=session, user=user, deck_id=deck_id, edit=True)
    deck = validate_deck(apply_form(deck_of(own), form))
    own.title, own.content, own.updated_at = deck.title, deck_to_yaml(deck), utcnow()
    session.add(own)
    session.commit()
    session.refresh(own)
    return own


def delete_deck(*, session: Session, user: User, deck_id: int) -> str:
    """Only the owner removes a deck; workshops made from it keep their copied prompts."""
    own = own_deck_for(session=session, user=user, deck_id=deck_id, edit=True)
    title = own.title
    session.delete(own)
    session.commit()
    return title
