"""A workshop's programme: which prompts it runs, in which order, with the facilitator's own.

The programme is the workshop's WorkshopPrompt rows in `position` order; the deck file is
never changed. Every view (stage, projector, phones, results, exports) reads those rows in
that order, so changing them here is all it takes for the room to follow.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.decks import Deck, PromptKind, PromptSource
from app.events import Publisher, Topic
from app.i18n import N_
from app.models import Answer, PromptPhase, Workshop, WorkshopPrompt, WorkshopStatus
from app.services.errors import Conflict, InvalidInput, WorkshopEnded
from app.services.sequence import commit_change
from app.services.text import clean_text
from app.services.workshops import prompts_from_deck, prompts_of

# More than any deck holds (the biggest has 29 prompts), with room for own prompts.
MAX_PROGRAMME = 80
MAX_PROMPT_LENGTH = 2000


@dataclass(frozen=True)
class OwnPrompt:
    """A new prompt written by the facilitator; `theme` is a theme number, id or title."""

    text: str
    kind: str
    theme: int | str


@dataclass(frozen=True)
class DeckPick:
    """A prompt of the workshop's deck that is not (or no longer) in the programme."""

    deck_prompt_id: str


Item = int | OwnPrompt | DeckPick


@dataclass(frozen=True)
class Theme:
    number: int
    id: str
    title: str


@dataclass(frozen=True)
class ProgrammeView:
    """What the preparation page shows: the programme, what can come back, the themes."""

    prompts: list[tuple[WorkshopPrompt, int]]
    available: list[WorkshopPrompt]
    themes: list[Theme]


def themes_of(deck: Deck | None, prompts: Sequence[WorkshopPrompt]) -> list[Theme]:
    """The deck's themes; without the deck, the themes the programme's prompts name."""
    if deck is not None:
        return [Theme(n, t.id, t.title) for n, t in enumerate(deck.themes, start=1)]
    seen = {p.theme_number: p.theme_title for p in prompts}
    return [Theme(n, str(n), seen[n]) for n in sorted(seen)]


def answer_counts(session: Session, workshop_id: int) -> dict[int, int]:
    """Answers per prompt, withdrawn ones not counted (as everywhere the facilitator looks)."""
    rows = session.execute(
        select(Answer.prompt_id, func.count())
        .where(Answer.workshop_id == workshop_id, col(Answer.withdrawn).is_(False))
        .group_by(col(Answer.prompt_id))
    ).all()
    return {int(prompt_id): int(n) for prompt_id, n in rows}


def programme_view(*, session: Session, workshop: Workshop, deck: Deck | None) -> ProgrammeView:
    assert workshop.id is not None
    prompts = prompts_of(session=session, workshop_id=workshop.id)
    counts = answer_counts(session, workshop.id)
    used = {p.deck_prompt_id for p in prompts}
    available = (
        [] if deck is None else [p for p in prompts_from_deck(deck) if p.deck_prompt_id not in used]
    )
    return ProgrammeView(
        prompts=[(p, counts.get(p.id or 0, 0)) for p in prompts],
        available=available,
        themes=themes_of(deck, prompts),
    )


def _theme(themes: list[Theme], wanted: int | str) -> Theme:
    for theme in themes:
        if wanted in (theme.number, theme.id, theme.title) or str(wanted) == str(theme.number):
            return theme
    raise InvalidInput(N_("Kies een thema van de kaartset voor je eigen vraag."))


def _own_prompt(item: OwnPrompt, themes: list[Theme]) -> WorkshopPrompt:
    text = clean_text(item.text, limit=MAX_PROMPT_LENGTH, field=N_("De vraag"))
    if not text:
        raise InvalidInput(N_("Schrijf de tekst van je eigen vraag."))
    if item.kind not in {k.value for k in PromptKind}:
        raise InvalidInput(N_("Een vraag is open of een schaalvraag (1-5)."))
    theme = _theme(themes, item.theme)
    return WorkshopPrompt(
        workshop_id=0,
        position=0,
        theme_number=theme.number,
        theme_title=theme.title,
        # Never a deck's id: results compare prompts across years by this id.
        deck_prompt_id=f"own-{secrets.token_hex(6)}",
        text=text,
        kind=item.kind,
        source=PromptSource.own.value,
    )


def _resolve(
    items: Sequence[Item], current: list[WorkshopPrompt], deck: Deck | None
) -> list[WorkshopPrompt]:
    """The programme asked for, as prompts (new ones not yet stored); refuses bad input."""
    if not items:
        raise InvalidInput(N_("Een programma heeft minstens één vraag."))
    if len(items) > MAX_PROGRAMME:
        raise InvalidInput(N_("Een programma heeft hoogstens %(most)s vragen."), most=MAX_PROGRAMME)
    by_id = {p.id: p for p in current}
    from_deck = {} if deck is None else {p.deck_prompt_id: p for p in prompts_from_deck(deck)}
    themes = themes_of(deck, current)
    out: list[WorkshopPrompt] = []
    for item in items:
        if isinstance(item, OwnPrompt):
            out.append(_own_prompt(item, themes))
        elif isinstance(item, DeckPick):
            picked = from_deck.get(item.deck_prompt_id)
            if picked is None:
                raise InvalidInput(N_("Deze vraag staat niet in de kaartset."))
            out.append(picked)
        elif item in by_id:
            out.append(by_id[item])
        else:
            raise InvalidInput(N_("Vraag %(id)s hoort niet bij deze bijeenkomst."), id=item)
    ids = [p.deck_prompt_id for p in out]
    if len(set(ids)) != len(ids):
        raise InvalidInput(N_("Elke vraag staat maar één keer in het programma."))
    return out


def _refuse_answered(session: Session, removed: list[WorkshopPrompt], workshop_id: int) -> None:
    counts = answer_counts(session, workshop_id)
    for prompt in removed:
        if counts.get(prompt.id or 0):
            raise Conflict(
                N_(
                    "De vraag “%(text)s” heeft al antwoorden en blijft daarom in het programma. "
                    "Verplaats haar naar het eind als ze niet meer aan bod komt."
                ),
                text=prompt.text,
            )
    for prompt in removed:
        if prompt.phase is PromptPhase.open:
            # Answers may be on their way to it: close it first, then nothing is lost.
            raise Conflict(
                N_("De vraag “%(text)s” staat open voor antwoorden. Sluit haar eerst."),
                text=prompt.text,
            )


def set_programme(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    items: Sequence[Item],
    deck: Deck | None,
) -> Workshop:
    """Make `items` the programme, in that order: commit, then tell every view.

    A prompt left out is removed, unless it has answers (409). The current prompt stays
    current wherever it moves; if it was removed, the prompt now at its place is current."""
    _lock(session, workshop)
    assert workshop.id is not None
    if workshop.status is WorkshopStatus.ended:
        raise WorkshopEnded()
    current = prompts_of(session=session, workshop_id=workshop.id)
    wanted = _resolve(items, current, deck)
    kept = {p.id for p in wanted if p.id is not None}
    removed = [p for p in current if p.id not in kept]
    _refuse_answered(session, removed, workshop.id)
    shown = next((p for p in current if p.position == workshop.current_position), None)
    for prompt in removed:
        session.delete(prompt)
    session.flush()
    # Two passes, so UNIQUE(workshop_id, position) holds after every single UPDATE:
    # first every kept prompt to a free negative place, then to its place in the programme.
    for index, prompt in enumerate(p for p in wanted if p.id is not None):
        prompt.position = -1 - index
        session.add(prompt)
    session.flush()
    for index, prompt in enumerate(wanted):
        prompt.workshop_id = workshop.id
        prompt.position = index
        session.add(prompt)
    session.flush()
    _follow_current(workshop, shown, removed, len(wanted))
    session.add(workshop)
    session.flush()
    commit_change(session=session, publisher=publisher, workshop_id=workshop.id, topics=Topic)
    session.refresh(workshop)
    return workshop


def _follow_current(
    workshop: Workshop, shown: WorkshopPrompt | None, removed: list[WorkshopPrompt], total: int
) -> None:
    if workshop.current_position is None or shown is None:
        return
    if any(shown is p for p in removed):
        # The prompt now at its place (or the last one) is current; its timer is gone.
        workshop.current_position = min(workshop.current_position, total - 1)
        workshop.timer_ends_at = None
    else:
        workshop.current_position = shown.position


# --- One step at a time, as the preparation page's buttons take them ---------------------------


def _lock(session: Session, workshop: Workshop) -> None:
    """One change of the programme at a time (PostgreSQL; SQLite has one writer anyway): a
    second facilitator's change waits for the first, then reads the programme it left."""
    session.exec(select(Workshop.id).where(Workshop.id == workshop.id).with_for_update()).one()
    session.refresh(workshop)


def _ids(session: Session, workshop: Workshop) -> list[Item]:
    """The programme as it is now, read under the lock, so a step builds on the latest one."""
    _lock(session, workshop)
    assert workshop.id is not None
    return [p.id for p in prompts_of(session=session, workshop_id=workshop.id) if p.id is not None]


def move_prompt(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    deck: Deck | None,
    prompt_id: int,
    step: int,
) -> Workshop:
    """Move one prompt `step` places (-1 up, +1 down); at either end it stays put."""
    items = _ids(session, workshop)
    if prompt_id not in items:
        raise InvalidInput(N_("Vraag %(id)s hoort niet bij deze bijeenkomst."), id=prompt_id)
    at = items.index(prompt_id)
    to = max(0, min(len(items) - 1, at + step))
    items.insert(to, items.pop(at))
    return set_programme(
        session=session, publisher=publisher, workshop=workshop, items=items, deck=deck
    )


def remove_prompt(
    *, session: Session, publisher: Publisher, workshop: Workshop, deck: Deck | None, prompt_id: int
) -> Workshop:
    items = [i for i in _ids(session, workshop) if i != prompt_id]
    return set_programme(
        session=session, publisher=publisher, workshop=workshop, items=items, deck=deck
    )


def add_prompt(
    *, session: Session, publisher: Publisher, workshop: Workshop, deck: Deck | None, item: Item
) -> Workshop:
    """Add an own prompt or a deck prompt at the end of the programme."""
    items = [*_ids(session, workshop), item]
    return set_programme(
        session=session, publisher=publisher, workshop=workshop, items=items, deck=deck
    )
