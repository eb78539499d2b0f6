"""The hub's held room, followed change by change, equals the room read whole."""

from __future__ import annotations

from sqlmodel import Session

from app.decks import Deck
from app.events import Event, Topic
from app.live.delta import apply_changes, followable, needs_reading
from app.live.render import _stable
from app.live.room import Room
from app.live.state import load_room
from app.models import Workshop
from app.services import participation, roster
from app.services.facilitation import Action, apply_action, set_answer_hidden
from tests.factories import (
    RecordingPublisher,
    make_answer,
    make_participant,
    make_user,
    make_workshop,
    open_first_prompt,
)


def _whole(session: Session, workshop_id: int) -> Room:
    room = load_room(session=session, workshop_id=workshop_id, with_agenda=False)
    assert room is not None
    return room


def _same(followed: Room, whole: Room) -> None:
    assert followed.seq == whole.seq
    assert followed.answers == whole.answers
    assert followed.own == whole.own
    assert followed.reacted == whole.reacted
    assert followed.presence == whole.presence
    assert followed.visible_answers == whole.visible_answers
    assert followed.answered == whole.answered
    assert followed.hidden_count == whole.hidden_count


def _follow(session: Session, room: Room, events: list[Event]) -> Room:
    """What the hub does with the events since its room: read only what they name."""
    assert events and all(followable(e) for e in events)
    upto = needs_reading(room, {e.seq for e in events})
    assert upto == events[-1].seq
    pids = frozenset(p for e in events for p in e.participant_ids)
    presence = any(Topic.presence in e.topics for e in events)
    followed = apply_changes(session, room, seq=upto, participant_ids=pids, presence=presence)
    assert followed is not None
    return followed


def test_answers_edits_withdrawals_plus_ones_hides_and_joins_are_followed(
    session: Session, decks: dict[str, Deck]
) -> None:
    workshop = make_workshop(session, owner=make_user(session), decks=decks)
    sanne, _ = make_participant(session, workshop=workshop, name="Sanne")
    ahmed, _ = make_participant(session, workshop=workshop, name="Ahmed")
    workshop = open_first_prompt(session, workshop)
    assert workshop.id is not None
    wid = workshop.id
    publisher = RecordingPublisher()
    room = _whole(session, wid)

    def step(change: object) -> None:
        nonlocal room
        before = len(publisher.events)
        assert callable(change)
        change()
        room = _follow(session, room, publisher.events[before:])
        _same(room, _whole(session, wid))

    mine = make_answer(session, participant=sanne, text="meer tijd voor overleg")
    theirs = make_answer(session, participant=ahmed, text="een gedeelde agenda")
    room = _whole(session, wid)  # the factories publish nowhere: read whole once
    assert mine.id is not None and theirs.id is not None
    step(
        lambda: participation.edit_answer(
            session=session,
            publisher=publisher,
            participant=sanne,
            answer_id=mine.id,
            text="meer tijd voor <b>overleg</b>",
        )
    )
    assert room.own[sanne.id or 0][0].text == "meer tijd voor <b>overleg</b>"
    workshop = apply_action(
        session=session, publisher=publisher, workshop=workshop, action=Action.reveal
    )
    room = _whole(session, wid)  # a stage change: the hub reads whole
    step(
        lambda: participation.react(
            session=session, publisher=publisher, participant=sanne, answer_id=theirs.id
        )
    )
    assert next(a for a in room.answers if a.id == theirs.id).plus_ones == 1
    # Taken back: the count of an answer of someone else goes down again.
    step(
        lambda: participation.react(
            session=session, publisher=publisher, participant=sanne, answer_id=theirs.id
        )
    )
    step(
        lambda: set_answer_hidden(
            session=session,
            publisher=publisher,
            workshop=workshop,
            answer_id=theirs.id,
            hidden=True,
        )
    )
    assert room.hidden_count == 1 and [a.id for a in room.visible_answers] == [mine.id]
    step(lambda: roster.join(session=session, publisher=publisher, workshop=workshop, data=_bo()))
    assert room.presence.joined == 3
    step(
        lambda: participation.withdraw_answer(
            session=session, publisher=publisher, participant=sanne, answer_id=mine.id
        )
    )
    assert room.answers == [a for a in room.answers if a.id != mine.id]


def _bo() -> object:
    from app.models import Domain, ParticipantCreate

    return ParticipantCreate(name="Bo", organisation="Wijkteam", domain=Domain.jeugdhulp)


def test_a_missing_seq_or_an_unheard_change_means_reading_the_room_whole(
    session: Session, decks: dict[str, Deck]
) -> None:
    workshop = make_workshop(session, owner=make_user(session), decks=decks)
    sanne, _ = make_participant(session, workshop=workshop, name="Sanne")
    workshop = open_first_prompt(session, workshop)
    assert workshop.id is not None and sanne.id is not None
    room = _whole(session, workshop.id)
    s = room.seq
    assert needs_reading(room, {s - 1, s}) == 0  # heard of already: nothing to read
    assert needs_reading(room, {s + 1, s + 2}) == s + 2
    assert needs_reading(room, {s + 2}) is None  # s + 1 was lost or is on its way
    make_answer(session, participant=sanne, text="een gedeelde agenda")  # published nowhere
    # The database moved on past what the events say: not followed.
    assert (
        apply_changes(session, room, seq=s, participant_ids=frozenset({sanne.id}), presence=False)
        is None
    )
    fresh = session.get(Workshop, workshop.id)
    assert fresh is not None
    followed = apply_changes(
        session, room, seq=fresh.seq, participant_ids=frozenset({sanne.id}), presence=False
    )
    assert followed is not None
    _same(followed, _whole(session, workshop.id))


def test_only_answer_and_presence_events_that_name_their_rows_are_followed() -> None:
    def event(topics: set[Topic], pids: set[int] = frozenset()) -> Event:  # type: ignore[assignment]
        return Event(
            workshop_id=1, seq=2, topics=frozenset(topics), participant_ids=frozenset(pids)
        )

    assert followable(event({Topic.answers}, {3}))
    assert followable(event({Topic.presence}))
    assert not followable(event({Topic.answers}))  # the wall's: whose answers is not said
    assert not followable(event({Topic.answers, Topic.groups}, {3}))
    assert not followable(event({Topic.stage}))
    assert not followable(Event(workshop_id=1, seq=0, topics=frozenset(), resync=True))


def test_stable_keeps_a_longest_run_that_need_not_move() -> None:
    # Nothing moved: all stay, in one pass.
    assert _stable([(10, 0), (11, 1), (12, 5)]) == {10, 11, 12}
    # Answer 12 moved up to the front: only it moves.
    assert _stable([(12, 2), (10, 0), (11, 1)]) == {10, 11}
    # Reversed: one stays, whichever.
    assert len(_stable([(3, 2), (2, 1), (1, 0)])) == 1
    assert _stable([]) == set()
    kept = _stable([(1, 3), (2, 0), (3, 4), (4, 1), (5, 2)])
    assert kept == {2, 4, 5}
