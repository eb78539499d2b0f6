"""Steering a workshop: navigation, opening and closing, reveal, timer, moderation."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from app.events import Publisher, Topic
from app.ids import is_db_id
from app.models import (
    Answer,
    PromptPhase,
    Workshop,
    WorkshopPrompt,
    WorkshopStatus,
    utcnow,
)
from app.services.errors import Conflict, InvalidInput, NotFound, WorkshopEnded
from app.services.sequence import commit_change

MAX_TIMER_SECONDS = 60 * 60
# What "+1 minuut" adds to a running timer.
EXTEND_SECONDS = 60


class Action(StrEnum):
    start = "start"
    next = "next"
    previous = "previous"
    goto = "goto"
    open = "open"
    close = "close"
    reveal = "reveal"
    hide = "hide"
    timer = "timer"
    # "+1 minuut": more time on the running timer.
    extend = "extend"
    end = "end"
    # Undo "end": the room carries on where it stopped (docs/console.md).
    reopen = "reopen"
    # Open on arrival: next/previous/goto open answering on a prompt not opened before.
    auto_open = "auto_open"
    manual_open = "manual_open"
    # No new participants (the code stops working); those inside carry on.
    lock = "lock"
    unlock = "unlock"


def _prompt_at(session: Session, workshop_id: int, position: int) -> WorkshopPrompt | None:
    return session.exec(
        select(WorkshopPrompt).where(
            WorkshopPrompt.workshop_id == workshop_id, WorkshopPrompt.position == position
        )
    ).first()


def _last_position(session: Session, workshop_id: int) -> int:
    positions = session.exec(
        select(WorkshopPrompt.position)
        .where(WorkshopPrompt.workshop_id == workshop_id)
        .order_by(col(WorkshopPrompt.position).desc())
    ).first()
    return -1 if positions is None else int(positions)


def _move_to(session: Session, workshop: Workshop, position: int) -> None:
    assert workshop.id is not None
    if not 0 <= position <= _last_position(session, workshop.id):
        raise InvalidInput("Die vraag bestaat niet in deze bijeenkomst.")
    if workshop.current_position is not None and workshop.current_position != position:
        # Answering happens on the prompt the room sees; leaving one closes it.
        left = _prompt_at(session, workshop.id, workshop.current_position)
        if left is not None and left.phase is PromptPhase.open:
            left.phase = PromptPhase.closed
            session.add(left)
    workshop.current_position = position
    workshop.timer_ends_at = None
    if workshop.status is WorkshopStatus.lobby:
        workshop.status = WorkshopStatus.running
    if workshop.open_on_arrival:
        arrived = _prompt_at(session, workshop.id, position)
        # Only a prompt never opened: coming back to one the room finished leaves it closed.
        if arrived is not None and arrived.phase is PromptPhase.pending:
            arrived.phase = PromptPhase.open
            session.add(arrived)


def _current(session: Session, workshop: Workshop) -> WorkshopPrompt:
    assert workshop.id is not None
    if workshop.current_position is None:
        raise Conflict("Start eerst de bijeenkomst.")
    prompt = _prompt_at(session, workshop.id, workshop.current_position)
    if prompt is None:
        raise NotFound("De huidige vraag bestaat niet meer.")
    return prompt


def apply_action(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    action: Action,
    position: int | None = None,
    seconds: int | None = None,
) -> Workshop:
    """Carry out one facilitator action, commit, then tell every view."""
    assert workshop.id is not None
    if action is Action.reopen:
        _reopen(workshop)
    elif workshop.status is WorkshopStatus.ended:
        raise WorkshopEnded()
    _navigate(session, workshop, action, position)
    _change_prompt(session, workshop, action, seconds)
    _change_room(session, workshop, action)
    session.add(workshop)
    session.flush()
    commit_change(session=session, publisher=publisher, workshop_id=workshop.id, topics=Topic)
    session.refresh(workshop)
    return workshop


def _navigate(session: Session, workshop: Workshop, action: Action, position: int | None) -> None:
    """Start, next, previous, goto: move the room to another prompt."""
    assert workshop.id is not None
    match action:
        case Action.start:
            _move_to(session, workshop, workshop.current_position or 0)
        case Action.next:
            current = -1 if workshop.current_position is None else workshop.current_position
            if current >= _last_position(session, workshop.id):
                raise Conflict("Dit is de laatste vraag.")
            _move_to(session, workshop, current + 1)
        case Action.previous:
            if not workshop.current_position:
                raise Conflict("Dit is de eerste vraag.")
            _move_to(session, workshop, workshop.current_position - 1)
        case Action.goto:
            if position is None:
                raise InvalidInput("Geef aan naar welke vraag je wilt.")
            _move_to(session, workshop, position)


def _change_prompt(
    session: Session, workshop: Workshop, action: Action, seconds: int | None
) -> None:
    """Open, close, reveal, hide, timer: change the current prompt."""
    match action:
        case Action.open:
            prompt = _current(session, workshop)
            prompt.phase = PromptPhase.open
            session.add(prompt)
            _set_timer(workshop, seconds)
        case Action.close:
            prompt = _current(session, workshop)
            prompt.phase = PromptPhase.closed
            workshop.timer_ends_at = None
            session.add(prompt)
        case Action.reveal | Action.hide:
            prompt = _current(session, workshop)
            prompt.revealed = action is Action.reveal
            session.add(prompt)
        case Action.timer:
            _current(session, workshop)
            _set_timer(workshop, seconds)


def _change_room(session: Session, workshop: Workshop, action: Action) -> None:
    """Extend, lock, arrival, end: change the workshop itself."""
    match action:
        case Action.extend:
            _extend_timer(workshop)
        case Action.lock | Action.unlock:
            workshop.locked = action is Action.lock
        case Action.auto_open | Action.manual_open:
            workshop.open_on_arrival = action is Action.auto_open
        case Action.end:
            if workshop.current_position is not None:
                prompt = _current(session, workshop)
                if prompt.phase is PromptPhase.open:
                    prompt.phase = PromptPhase.closed
                    session.add(prompt)
            workshop.status = WorkshopStatus.ended
            workshop.timer_ends_at = None


def _reopen(workshop: Workshop) -> None:
    """The rule: an ended workshop can be reopened until its answers are purged. It comes
    back where it stopped, with answering closed; nothing else changes."""
    if workshop.status is not WorkshopStatus.ended:
        raise Conflict("Deze bijeenkomst loopt nog.")
    if workshop.purged_at is not None:
        raise Conflict("De antwoorden van deze bijeenkomst zijn gewist: heropenen kan niet meer.")
    started = workshop.current_position is not None
    workshop.status = WorkshopStatus.running if started else WorkshopStatus.lobby


def _extend_timer(workshop: Workshop) -> None:
    if workshop.timer_ends_at is None:
        raise Conflict("Er loopt geen timer.")
    ends = max(workshop.timer_ends_at, utcnow()) + timedelta(seconds=EXTEND_SECONDS)
    if ends - utcnow() > timedelta(seconds=MAX_TIMER_SECONDS):
        raise InvalidInput("Een timer loopt van 1 seconde tot 60 minuten.")
    workshop.timer_ends_at = ends


def _set_timer(workshop: Workshop, seconds: int | None) -> None:
    if seconds is None or seconds == 0:
        workshop.timer_ends_at = None
        return
    if not 0 < seconds <= MAX_TIMER_SECONDS:
        raise InvalidInput("Een timer loopt van 1 seconde tot 60 minuten.")
    workshop.timer_ends_at = utcnow() + timedelta(seconds=seconds)


def set_answer_hidden(
    *, session: Session, publisher: Publisher, workshop: Workshop, answer_id: int, hidden: bool
) -> Answer:
    """Moderation: keep one answer off the projector and the phones, or show it.

    Either choice is a facilitator's review, so it ends holding: showing a held answer
    ("Vrijgeven") publishes it like a new arrival, hiding it ("Verbergen") keeps it off."""
    assert workshop.id is not None
    answer = session.get(Answer, answer_id) if is_db_id(answer_id) else None
    if answer is None or answer.workshop_id != workshop.id:
        raise NotFound("Dit antwoord bestaat niet.")
    answer.hidden = hidden
    answer.held = False
    answer.updated_at = utcnow()
    session.add(answer)
    session.flush()
    commit_change(
        session=session,
        publisher=publisher,
        workshop_id=workshop.id,
        topics={Topic.answers},
        participant_ids={answer.participant_id},
    )
    return answer
