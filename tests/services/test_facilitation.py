"""Steering a workshop: the timer that closes answering, +1 minuut, end and reopen, goto and
open on arrival."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import Session

from app.db import Database
from app.decks import Deck
from app.live.state import load_room
from app.models import PromptPhase, Workshop, WorkshopStatus, utcnow
from app.services.errors import Conflict, InvalidInput, WorkshopEnded
from app.services.facilitation import EXTEND_SECONDS, Action, apply_action
from app.services.timers import close_due_timers
from tests.factories import (
    RecordingPublisher,
    make_answer,
    make_participant,
    make_user,
    make_workshop,
    open_first_prompt,
)


@pytest.fixture
def workshop(session: Session, decks: dict[str, Deck]) -> Workshop:
    return make_workshop(session, owner=make_user(session), decks=decks)


def act(session: Session, workshop: Workshop, action: Action, **extra: int) -> Workshop:
    return apply_action(
        session=session,
        publisher=RecordingPublisher(),
        workshop=workshop,
        action=action,
        **extra,  # type: ignore[arg-type]
    )


def current_phase(session: Session, workshop: Workshop) -> PromptPhase:
    session.expire_all()
    room = load_room(session=session, workshop_id=workshop.id or 0)
    assert room is not None and room.prompt is not None
    return room.prompt.phase


def run_out(session: Session, workshop: Workshop) -> None:
    """Let the running timer end a moment ago, as if its time passed."""
    workshop.timer_ends_at = utcnow() - timedelta(seconds=1)
    session.add(workshop)
    session.commit()


def test_a_due_timer_closes_answering_and_tells_every_view(
    session: Session, workshop: Workshop
) -> None:
    open_first_prompt(session, workshop)
    act(session, workshop, Action.timer, seconds=60)
    run_out(session, workshop)
    publisher = RecordingPublisher()

    closed = close_due_timers(session=session, publisher=publisher)

    assert closed == [workshop.id]
    assert current_phase(session, workshop) is PromptPhase.closed
    session.refresh(workshop)
    assert workshop.timer_ends_at is None
    assert [e.workshop_id for e in publisher.events] == [workshop.id]
    assert publisher.events[0].seq == workshop.seq


def test_a_running_timer_is_left_alone(session: Session, workshop: Workshop) -> None:
    open_first_prompt(session, workshop)
    act(session, workshop, Action.timer, seconds=60)
    publisher = RecordingPublisher()

    assert close_due_timers(session=session, publisher=publisher) == []
    assert current_phase(session, workshop) is PromptPhase.open
    assert publisher.events == []


def test_closing_a_due_timer_twice_closes_once(session: Session, workshop: Workshop) -> None:
    open_first_prompt(session, workshop)
    act(session, workshop, Action.timer, seconds=60)
    run_out(session, workshop)
    publisher = RecordingPublisher()

    first = close_due_timers(session=session, publisher=publisher)
    second = close_due_timers(session=session, publisher=publisher)

    assert (first, second) == ([workshop.id], [])
    assert len(publisher.events) == 1


def test_two_workers_racing_for_one_timer_close_it_once(
    db: Database, session: Session, workshop: Workshop
) -> None:
    """Every worker runs the watcher: only one may close and publish (PostgreSQL makes the
    second UPDATE wait for the first; SQLite serialises writers)."""
    open_first_prompt(session, workshop)
    act(session, workshop, Action.timer, seconds=60)
    run_out(session, workshop)
    publisher = RecordingPublisher()
    results: list[list[int]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker() -> None:
        try:
            start.wait()
            with db.writing() as own:
                results.append(close_due_timers(session=own, publisher=publisher))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sorted(results) == [[], [], [], [workshop.id]]
    assert len(publisher.events) == 1


def test_a_timer_that_ran_out_on_a_closed_prompt_only_clears(
    session: Session, workshop: Workshop
) -> None:
    open_first_prompt(session, workshop)
    act(session, workshop, Action.timer, seconds=60)
    run_out(session, workshop)
    act(session, workshop, Action.close)  # closing clears the timer itself
    assert close_due_timers(session=session, publisher=RecordingPublisher()) == []


def test_plus_one_minute_extends_the_running_timer(session: Session, workshop: Workshop) -> None:
    open_first_prompt(session, workshop)
    act(session, workshop, Action.timer, seconds=30)
    before = workshop.timer_ends_at
    assert before is not None

    act(session, workshop, Action.extend)

    assert workshop.timer_ends_at == before + timedelta(seconds=EXTEND_SECONDS)
    run_out(session, workshop)
    assert close_due_timers(session=session, publisher=RecordingPublisher()) == [workshop.id]


def test_plus_one_minute_needs_a_running_timer(session: Session, workshop: Workshop) -> None:
    open_first_prompt(session, workshop)
    with pytest.raises(Conflict):
        act(session, workshop, Action.extend)


def test_plus_one_minute_stays_within_the_hour(session: Session, workshop: Workshop) -> None:
    open_first_prompt(session, workshop)
    act(session, workshop, Action.timer, seconds=3600)
    with pytest.raises(InvalidInput):
        act(session, workshop, Action.extend)


def test_an_ended_workshop_can_be_reopened_where_it_stopped(
    session: Session, workshop: Workshop
) -> None:
    open_first_prompt(session, workshop)
    act(session, workshop, Action.next)
    act(session, workshop, Action.end)
    with pytest.raises(WorkshopEnded):
        act(session, workshop, Action.next)

    act(session, workshop, Action.reopen)

    assert workshop.status is WorkshopStatus.running
    assert workshop.current_position == 1
    # Reopening does not open answering: the facilitator decides that.
    assert current_phase(session, workshop) is not PromptPhase.open
    act(session, workshop, Action.next)
    assert workshop.current_position == 2


def test_reopening_from_the_lobby_goes_back_to_the_lobby(
    session: Session, workshop: Workshop
) -> None:
    act(session, workshop, Action.end)
    act(session, workshop, Action.reopen)
    assert workshop.status is WorkshopStatus.lobby


def test_only_an_ended_workshop_can_be_reopened(session: Session, workshop: Workshop) -> None:
    open_first_prompt(session, workshop)
    with pytest.raises(Conflict):
        act(session, workshop, Action.reopen)


def test_a_purged_workshop_cannot_be_reopened(session: Session, workshop: Workshop) -> None:
    act(session, workshop, Action.end)
    workshop.purged_at = utcnow()
    session.add(workshop)
    session.commit()
    with pytest.raises(Conflict):
        act(session, workshop, Action.reopen)
    assert workshop.status is WorkshopStatus.ended


def test_goto_jumps_to_any_prompt_and_closes_the_one_left(
    session: Session, workshop: Workshop
) -> None:
    open_first_prompt(session, workshop)
    act(session, workshop, Action.goto, position=5)
    assert workshop.current_position == 5
    room = load_room(session=session, workshop_id=workshop.id or 0)
    assert room is not None
    assert room.programme[0].phase is PromptPhase.closed
    with pytest.raises(InvalidInput):
        act(session, workshop, Action.goto, position=999)


def test_open_on_arrival_opens_a_new_prompt_in_one_step(
    session: Session, workshop: Workshop
) -> None:
    act(session, workshop, Action.auto_open)
    assert workshop.open_on_arrival
    act(session, workshop, Action.start)
    assert current_phase(session, workshop) is PromptPhase.open
    act(session, workshop, Action.next)
    assert current_phase(session, workshop) is PromptPhase.open
    # Back to a prompt the room finished: it stays closed.
    act(session, workshop, Action.previous)
    assert current_phase(session, workshop) is PromptPhase.closed


def test_without_open_on_arrival_a_new_prompt_waits(session: Session, workshop: Workshop) -> None:
    act(session, workshop, Action.auto_open)
    act(session, workshop, Action.manual_open)
    act(session, workshop, Action.start)
    assert current_phase(session, workshop) is PromptPhase.pending


def test_the_programme_lists_every_prompt_with_its_answer_count(
    session: Session, workshop: Workshop
) -> None:
    open_first_prompt(session, workshop)
    for name in ("Sanne", "Ahmed"):
        person, _ = make_participant(session, workshop=workshop, name=name)
        make_answer(session, participant=person, text=f"Antwoord uit de {len(name)}e rij")
    room = load_room(session=session, workshop_id=workshop.id or 0)
    assert room is not None
    assert [p.position for p in room.programme] == list(range(room.total_prompts))
    assert room.programme[0].answers == 2
    assert room.programme[1].answers == 0
    assert room.programme[0].phase is PromptPhase.open
