"""A workshop's programme: choose, order and add prompts; answered prompts stay."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session

from app.db import Database
from app.decks import Deck
from app.events import Topic
from app.live.state import load_room
from app.models import Workshop
from app.services import programme
from app.services.errors import Conflict, InvalidInput, WorkshopEnded
from app.services.facilitation import Action, apply_action
from app.services.programme import DeckPick, OwnPrompt, set_programme
from app.services.workshops import prompts_of
from tests.factories import (
    RecordingPublisher,
    make_answer,
    make_participant,
    make_user,
    make_workshop,
    open_first_prompt,
)


@pytest.fixture
def deck(decks: dict[str, Deck]) -> Deck:
    return decks["nji-beleidsmakers"]


@pytest.fixture
def workshop(session: Session, decks: dict[str, Deck]) -> Workshop:
    return make_workshop(session, owner=make_user(session), decks=decks)


def ids(session: Session, workshop: Workshop) -> list[int]:
    assert workshop.id is not None
    return [p.id or 0 for p in prompts_of(session=session, workshop_id=workshop.id)]


def texts(session: Session, workshop: Workshop) -> list[str]:
    assert workshop.id is not None
    return [p.text for p in prompts_of(session=session, workshop_id=workshop.id)]


def program(
    session: Session, workshop: Workshop, deck: Deck, items: list[programme.Item]
) -> RecordingPublisher:
    publisher = RecordingPublisher()
    set_programme(session=session, publisher=publisher, workshop=workshop, items=items, deck=deck)
    return publisher


def go(session: Session, workshop: Workshop, action: Action, **extra: int) -> None:
    apply_action(
        session=session,
        publisher=RecordingPublisher(),
        workshop=workshop,
        action=action,
        **extra,  # type: ignore[arg-type]
    )


def test_a_reorder_and_a_choice_become_the_programme_in_order(
    session: Session, workshop: Workshop, deck: Deck
) -> None:
    before = ids(session, workshop)
    chosen = [before[5], before[0], before[2]]

    publisher = program(session, workshop, deck, list(chosen))

    assert ids(session, workshop) == chosen
    assert [p.position for p in prompts_of(session=session, workshop_id=workshop.id or 0)] == [
        0,
        1,
        2,
    ]
    session.refresh(workshop)
    assert [e.seq for e in publisher.events] == [workshop.seq]
    assert Topic.stage in publisher.events[0].topics


def test_an_own_prompt_takes_its_place_with_source_own_and_the_chosen_theme(
    session: Session, workshop: Workshop, deck: Deck
) -> None:
    before = ids(session, workshop)
    own = OwnPrompt(text="Wat gaat er goed in onze regio?", kind="scale", theme="in-beeld")

    program(session, workshop, deck, [before[0], own, before[1]])

    prompts = prompts_of(session=session, workshop_id=workshop.id or 0)
    added = prompts[1]
    assert added.text == "Wat gaat er goed in onze regio?"
    assert (added.source, added.kind, added.theme_number) == ("own", "scale", 2)
    assert added.theme_title == deck.themes[1].title
    assert added.deck_prompt_id.startswith("own-")
    assert [p.id for p in prompts][::2] == before[:2]


def test_the_room_counts_the_programme_not_the_deck(
    session: Session, workshop: Workshop, deck: Deck
) -> None:
    before = ids(session, workshop)
    own = OwnPrompt(text="Eigen vraag", kind="open", theme=1)
    program(session, workshop, deck, [*before[:7], own])
    go(session, workshop, Action.start)

    room = load_room(session=session, workshop_id=workshop.id or 0)

    assert room is not None and room.total_prompts == 8
    assert [e.text for e in room.programme][-1] == "Eigen vraag"


def test_a_removed_deck_prompt_can_come_back_from_the_deck(
    session: Session, workshop: Workshop, deck: Deck
) -> None:
    first = prompts_of(session=session, workshop_id=workshop.id or 0)[0]
    program(session, workshop, deck, ids(session, workshop)[1:])
    assert first.text not in texts(session, workshop)

    view = programme.programme_view(session=session, workshop=workshop, deck=deck)
    assert [p.deck_prompt_id for p in view.available] == [first.deck_prompt_id]

    program(session, workshop, deck, [DeckPick(first.deck_prompt_id), *ids(session, workshop)])
    assert texts(session, workshop)[0] == first.text


def test_a_prompt_with_answers_cannot_be_removed_and_nothing_changes(
    session: Session, workshop: Workshop, deck: Deck
) -> None:
    open_first_prompt(session, workshop)
    person, _token = make_participant(session, workshop=workshop)
    make_answer(session, participant=person, text="Wij zien meer verharding.")
    before = ids(session, workshop)

    with pytest.raises(Conflict) as refused:
        program(session, workshop, deck, before[1:])

    assert refused.value.status == 409
    assert "heeft al antwoorden" in refused.value.message
    session.rollback()
    assert ids(session, workshop) == before


def test_a_prompt_without_answers_is_removed_beside_an_answered_one(
    session: Session, workshop: Workshop, deck: Deck
) -> None:
    open_first_prompt(session, workshop)
    person, _token = make_participant(session, workshop=workshop)
    make_answer(session, participant=person, text="Wij zien meer verharding.")
    before = ids(session, workshop)

    program(session, workshop, deck, [before[2], before[0]])

    assert ids(session, workshop) == [before[2], before[0]]
    answered = programme.answer_counts(session, workshop.id or 0)
    assert answered == {before[0]: 1}


def test_the_current_prompt_stays_current_after_a_reorder(
    session: Session, workshop: Workshop, deck: Deck
) -> None:
    go(session, workshop, Action.start)
    go(session, workshop, Action.goto, position=3)
    before = ids(session, workshop)

    program(session, workshop, deck, list(reversed(before)))

    room = load_room(session=session, workshop_id=workshop.id or 0)
    assert room is not None and room.prompt is not None
    assert room.prompt.id == before[3]
    assert workshop.current_position == len(before) - 4


def test_removing_the_current_prompt_makes_the_one_in_its_place_current(
    session: Session, workshop: Workshop, deck: Deck
) -> None:
    go(session, workshop, Action.start)
    go(session, workshop, Action.goto, position=2)
    before = ids(session, workshop)

    program(session, workshop, deck, before[:2] + before[3:])

    assert workshop.current_position == 2
    room = load_room(session=session, workshop_id=workshop.id or 0)
    assert room is not None and room.prompt is not None and room.prompt.id == before[3]


def test_next_follows_the_programme(session: Session, workshop: Workshop, deck: Deck) -> None:
    before = ids(session, workshop)
    program(session, workshop, deck, [before[4], before[1]])
    go(session, workshop, Action.start)
    go(session, workshop, Action.next)

    room = load_room(session=session, workshop_id=workshop.id or 0)
    assert room is not None and room.prompt is not None and room.prompt.id == before[1]
    with pytest.raises(Conflict):
        go(session, workshop, Action.next)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([], "minstens één"),
        ([999_999], "hoort niet bij"),
        ([OwnPrompt(text="  ", kind="open", theme=1)], "tekst van je eigen vraag"),
        ([OwnPrompt(text="Vraag", kind="ja-nee", theme=1)], "open of een schaalvraag"),
        ([OwnPrompt(text="Vraag", kind="open", theme=99)], "thema"),
        ([DeckPick("bestaat-niet")], "niet in de kaartset"),
    ],
)
def test_bad_input_is_refused_with_a_dutch_message(
    session: Session,
    workshop: Workshop,
    deck: Deck,
    items: list[programme.Item],
    message: str,
) -> None:
    before = ids(session, workshop)
    with pytest.raises(InvalidInput) as refused:
        program(session, workshop, deck, items)
    assert message in refused.value.message
    assert ids(session, workshop) == before


def test_a_prompt_twice_is_refused(session: Session, workshop: Workshop, deck: Deck) -> None:
    first = ids(session, workshop)[0]
    with pytest.raises(InvalidInput, match="één keer"):
        program(session, workshop, deck, [first, first])


def test_an_ended_workshop_keeps_its_programme(
    session: Session, workshop: Workshop, deck: Deck
) -> None:
    go(session, workshop, Action.start)
    go(session, workshop, Action.end)
    with pytest.raises(WorkshopEnded):
        program(session, workshop, deck, ids(session, workshop)[:1])


def test_moving_a_prompt_one_step(session: Session, workshop: Workshop, deck: Deck) -> None:
    before = ids(session, workshop)
    publisher = RecordingPublisher()
    programme.move_prompt(
        session=session,
        publisher=publisher,
        workshop=workshop,
        deck=deck,
        prompt_id=before[1],
        step=-1,
    )
    assert ids(session, workshop)[:2] == [before[1], before[0]]
    # At the top it stays put.
    programme.move_prompt(
        session=session,
        publisher=publisher,
        workshop=workshop,
        deck=deck,
        prompt_id=before[1],
        step=-1,
    )
    assert ids(session, workshop)[:2] == [before[1], before[0]]


def test_an_open_prompt_is_closed_before_it_can_leave(
    session: Session, workshop: Workshop, deck: Deck
) -> None:
    open_first_prompt(session, workshop)
    before = ids(session, workshop)

    with pytest.raises(Conflict, match="staat open voor antwoorden"):
        program(session, workshop, deck, before[1:])
    session.rollback()
    go(session, workshop, Action.close)
    program(session, workshop, deck, before[1:])

    assert ids(session, workshop) == before[1:]
    assert workshop.current_position == 0


def test_two_facilitators_adding_at_once_both_keep_their_prompt(
    db: Database, session: Session, workshop: Workshop, deck: Deck
) -> None:
    """PostgreSQL: the second change waits for the first and reads it (the workshop row is
    locked first); SQLite serialises writers. Without that, both would claim one position."""
    errors: list[BaseException] = []
    start = threading.Barrier(3)
    workshop_id = workshop.id
    session.rollback()  # this session's own transaction must not hold SQLite's write lock

    def worker(text: str) -> None:
        try:
            start.wait()
            with db.writing() as own:
                mine = own.get(Workshop, workshop_id)
                assert mine is not None
                programme.add_prompt(
                    session=own,
                    publisher=RecordingPublisher(),
                    workshop=mine,
                    deck=deck,
                    item=OwnPrompt(text=text, kind="open", theme=1),
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"Eigen vraag {n}",)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    session.expire_all()
    found = texts(session, workshop)
    assert len(found) == 25
    assert sorted(found[22:]) == ["Eigen vraag 0", "Eigen vraag 1", "Eigen vraag 2"]
