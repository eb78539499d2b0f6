"""The wall's choices: order, mode, pause, page turns and the spotlight, held per prompt."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.decks import Deck
from app.events import Topic
from app.live.state import load_room
from app.models import Domain, Workshop
from app.services import groups
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.facilitation import Action, apply_action, set_answer_hidden
from app.services.groups import GroupInput
from app.services.wall import ProjectorMode, WallOp, WallOrder, change_wall, ordered
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
    return open_first_prompt(session, make_workshop(session, owner=make_user(session), decks=decks))


def _answers(session: Session, workshop: Workshop) -> list[int]:
    """Three answers: a teacher's, a police officer's, a parent's (in that order)."""
    ids = []
    for domain in (Domain.politie, Domain.onderwijs, Domain.ouders):
        person, _ = make_participant(session, workshop=workshop, name=None, domain=domain)
        answer = make_answer(session, participant=person, text=f"Antwoord uit {domain.value}")
        assert answer.id is not None
        ids.append(answer.id)
    return ids


def _wall(session: Session, workshop: Workshop) -> list[int]:
    apply_action(
        session=session, publisher=RecordingPublisher(), workshop=workshop, action=Action.reveal
    )
    assert workshop.id is not None
    room = load_room(session=session, workshop_id=workshop.id)
    assert room is not None
    return [a.id for a in room.wall_answers]


def test_the_wall_follows_the_order_the_facilitator_chooses(
    session: Session, workshop: Workshop, publisher: RecordingPublisher
) -> None:
    politie, onderwijs, ouders = _answers(session, workshop)
    assert _wall(session, workshop) == [politie, onderwijs, ouders]
    change_wall(
        session=session, publisher=publisher, workshop=workshop, op=WallOp.order, order="newest"
    )
    assert _wall(session, workshop) == [ouders, onderwijs, politie]
    change_wall(
        session=session, publisher=publisher, workshop=workshop, op=WallOp.order, order="domain"
    )
    assert _wall(session, workshop) == [onderwijs, politie, ouders]
    # The projector's list changes order: the event says so, for the hub to push it.
    assert publisher.events[-1].topics == frozenset({Topic.wall, Topic.answers})


def test_pause_turns_and_mode_hold_for_the_prompt_they_were_made_at(
    session: Session, workshop: Workshop, publisher: RecordingPublisher
) -> None:
    for op in (WallOp.pause, WallOp.next, WallOp.next, WallOp.previous):
        view = change_wall(session=session, publisher=publisher, workshop=workshop, op=op)
    assert view.paused and view.turn == 1
    view = change_wall(
        session=session, publisher=publisher, workshop=workshop, op=WallOp.mode, mode="agenda"
    )
    assert view.mode is ProjectorMode.agenda
    assert publisher.events[-1].topics == frozenset({Topic.wall})
    change_wall(
        session=session, publisher=publisher, workshop=workshop, op=WallOp.order, order="newest"
    )

    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.next)
    assert workshop.id is not None
    room = load_room(session=session, workshop_id=workshop.id)
    assert room is not None
    # A new prompt: back to its answers, paging; the order is a preference and stays.
    assert room.wall.mode is ProjectorMode.answers and not room.wall.paused
    assert room.wall.order is WallOrder.newest and room.wall.turn == 1


def test_only_a_shown_answer_of_this_prompt_can_be_spotlighted(
    session: Session, workshop: Workshop, publisher: RecordingPublisher
) -> None:
    first, second, _third = _answers(session, workshop)
    view = change_wall(
        session=session, publisher=publisher, workshop=workshop, op=WallOp.spotlight,
        answer_id=first,
    )  # fmt: skip
    assert view.spotlight_answer_id == first
    assert workshop.id is not None
    room = load_room(session=session, workshop_id=workshop.id)
    assert room is not None and room.spotlight is not None and room.spotlight.id == first
    # Hiding it takes it out of the spotlight at once.
    set_answer_hidden(
        session=session, publisher=publisher, workshop=workshop, answer_id=first, hidden=True
    )
    room = load_room(session=session, workshop_id=workshop.id)
    assert room is not None and room.spotlight is None
    with pytest.raises(Conflict, match="verborgen"):
        change_wall(
            session=session, publisher=publisher, workshop=workshop, op=WallOp.spotlight,
            answer_id=first,
        )  # fmt: skip
    for bad in (None, 0, 10**9):
        with pytest.raises((InvalidInput, NotFound)):
            change_wall(
                session=session, publisher=publisher, workshop=workshop, op=WallOp.spotlight,
                answer_id=bad,
            )  # fmt: skip
    change_wall(
        session=session, publisher=publisher, workshop=workshop, op=WallOp.spotlight,
        answer_id=second,
    )  # fmt: skip
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.next)
    room = load_room(session=session, workshop_id=workshop.id)
    assert room is not None and room.wall.spotlight_answer_id is None
    with pytest.raises(Conflict, match="huidige vraag"):
        change_wall(
            session=session, publisher=publisher, workshop=workshop, op=WallOp.spotlight,
            answer_id=second,
        )  # fmt: skip


def test_an_unknown_order_or_mode_is_refused_and_changes_nothing(
    session: Session, workshop: Workshop, publisher: RecordingPublisher
) -> None:
    for op, field in ((WallOp.order, "order"), (WallOp.mode, "mode")):
        for value in (None, "", "random", "wordcloud"):
            with pytest.raises(InvalidInput):
                change_wall(
                    session=session, publisher=publisher, workshop=workshop, op=op,
                    **{field: value},
                )  # fmt: skip
            session.rollback()
    assert publisher.events == []
    assert workshop.id is not None
    room = load_room(session=session, workshop_id=workshop.id)
    assert room is not None and room.wall.order is WallOrder.reactions


def test_ordered_keeps_arrival_order_among_equals() -> None:
    class A:
        def __init__(self, id: int, plus_ones: int, domain: Domain) -> None:
            self.id, self.plus_ones, self.domain = id, plus_ones, domain

    answers = [A(1, 0, Domain.politie), A(2, 3, Domain.onderwijs), A(3, 3, Domain.politie)]
    assert [a.id for a in ordered(answers, WallOrder.reactions)] == [2, 3, 1]
    assert [a.id for a in ordered(answers, WallOrder.domain)] == [2, 1, 3]
    assert [a.id for a in ordered(answers, WallOrder.newest)] == [3, 2, 1]


def test_an_answer_held_for_review_cannot_be_spotlit(
    session: Session, workshop: Workshop, publisher: RecordingPublisher
) -> None:
    person, _ = make_participant(session, workshop=workshop, name=None, domain=Domain.politie)
    answer = make_answer(session, participant=person, text="Een gewoon antwoord")
    answer.held = True
    session.add(answer)
    session.commit()
    with pytest.raises(Conflict):
        change_wall(
            session=session,
            publisher=publisher,
            workshop=workshop,
            op=WallOp.spotlight,
            answer_id=answer.id,
        )


def test_by_group_follows_the_groups_positions_with_ungrouped_answers_last(
    session: Session, workshop: Workshop, publisher: RecordingPublisher
) -> None:
    politie, onderwijs, ouders = _answers(session, workshop)
    extra, _ = make_participant(session, workshop=workshop, name=None, domain=Domain.anders)
    loose = make_answer(session, participant=extra, text="In geen enkele groep").id
    assert workshop.id is not None
    prompt_id = load_room(session=session, workshop_id=workshop.id).prompt.id  # type: ignore[union-attr]
    assert prompt_id is not None
    groups.save_groups(
        session=session,
        publisher=publisher,
        workshop=workshop,
        prompt_id=prompt_id,
        groups=[
            GroupInput("Ouders", (ouders,)),
            GroupInput("School en politie", (onderwijs, politie)),
        ],
    )
    change_wall(
        session=session, publisher=publisher, workshop=workshop, op=WallOp.order, order="group"
    )
    # The first group first, each group in order of arrival, no group last.
    assert _wall(session, workshop) == [ouders, politie, onderwijs, loose]


def test_ordered_by_group_without_groups_is_arrival_order() -> None:
    class A:
        def __init__(self, id: int) -> None:
            self.id, self.plus_ones, self.domain = id, 0, Domain.anders

    answers = [A(3), A(1), A(2)]
    assert [a.id for a in ordered(answers, WallOrder.group)] == [1, 2, 3]
    assert [a.id for a in ordered(answers, WallOrder.group, {2: 0, 3: 1})] == [2, 3, 1]
