"""Dot voting: the facilitator hands out dots, nobody places more than they have."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.decks import Deck
from app.models import AgendaItem
from app.services import agenda, voting
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.facilitation import Action, apply_action
from tests.factories import (
    RecordingPublisher,
    make_answer,
    make_item,
    make_participant,
    make_user,
    make_workshop,
    open_first_prompt,
)


@pytest.fixture
def room(session: Session, decks: dict[str, Deck]):  # type: ignore[no-untyped-def]
    workshop = make_workshop(session, owner=make_user(session), decks=decks)
    sanne, _ = make_participant(session, workshop=workshop)
    item = make_item(session, workshop=workshop)
    return workshop, sanne, item


def test_voting_is_closed_until_the_facilitator_hands_out_dots(session, room) -> None:  # type: ignore[no-untyped-def]
    _, sanne, item = room
    with pytest.raises(Conflict):
        voting.place_dot(
            session=session, publisher=RecordingPublisher(), participant=sanne, item_id=item.id
        )


def test_a_participant_cannot_exceed_their_dots(session, room) -> None:  # type: ignore[no-untyped-def]
    workshop, sanne, item = room
    publisher = RecordingPublisher()
    voting.set_dots(session=session, publisher=publisher, workshop=workshop, dots=2)
    assert (
        voting.place_dot(session=session, publisher=publisher, participant=sanne, item_id=item.id)
        == 1
    )
    assert (
        voting.place_dot(session=session, publisher=publisher, participant=sanne, item_id=item.id)
        == 0
    )
    with pytest.raises(Conflict) as exc:
        voting.place_dot(session=session, publisher=publisher, participant=sanne, item_id=item.id)
    assert "stippen" in exc.value.message
    session.expire_all()
    assert session.get(AgendaItem, item.id).votes == 2  # type: ignore[union-attr]
    assert voting.dots_used(session=session, participant_id=sanne.id) == 2
    # Taking one back frees it again.
    voting.remove_dot(session=session, publisher=publisher, participant=sanne, item_id=item.id)
    assert (
        voting.place_dot(session=session, publisher=publisher, participant=sanne, item_id=item.id)
        == 0
    )
    assert publisher.events[-1].participant_ids == frozenset({sanne.id})


def test_removing_a_dot_you_did_not_place_is_refused(session, room) -> None:  # type: ignore[no-untyped-def]
    workshop, sanne, item = room
    voting.set_dots(session=session, publisher=RecordingPublisher(), workshop=workshop, dots=3)
    with pytest.raises(Conflict):
        voting.remove_dot(
            session=session, publisher=RecordingPublisher(), participant=sanne, item_id=item.id
        )
    session.expire_all()
    assert session.get(AgendaItem, item.id).votes == 0  # type: ignore[union-attr]


@pytest.mark.parametrize("dots", [-1, 21])
def test_dots_per_participant_are_bounded(session, room, dots: int) -> None:  # type: ignore[no-untyped-def]
    workshop, _, _ = room
    with pytest.raises(InvalidInput):
        voting.set_dots(
            session=session, publisher=RecordingPublisher(), workshop=workshop, dots=dots
        )


def test_votes_on_answers_only_when_shown_and_results_sort_the_list(session, room) -> None:  # type: ignore[no-untyped-def]
    workshop, sanne, item = room
    publisher = RecordingPublisher()
    other = make_item(session, workshop=workshop, title="Tweede")
    voting.set_dots(session=session, publisher=publisher, workshop=workshop, dots=5)
    open_first_prompt(session, workshop)
    ahmed, _ = make_participant(session, workshop=workshop, name="Ahmed")
    answer = make_answer(session, participant=ahmed, text="Samen optrekken")
    with pytest.raises(Conflict):
        voting.place_dot(
            session=session, publisher=publisher, participant=sanne, answer_id=answer.id
        )
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.reveal)
    voting.place_dot(session=session, publisher=publisher, participant=sanne, answer_id=answer.id)
    voting.place_dot(session=session, publisher=publisher, participant=sanne, item_id=other.id)
    result = voting.results(session=session, workshop_id=workshop.id)
    assert result.answer_votes == {answer.id: 1}
    assert result.item_votes == {other.id: 1}
    titles = [i.title for i in agenda.items_of_workshop(session=session, workshop_id=workshop.id)]
    assert titles[0] == "Tweede" and item.title in titles


def test_a_dot_needs_exactly_one_target_in_the_own_workshop(session, room, decks) -> None:  # type: ignore[no-untyped-def]
    workshop, sanne, _item = room
    voting.set_dots(session=session, publisher=RecordingPublisher(), workshop=workshop, dots=3)
    with pytest.raises(InvalidInput):
        voting.place_dot(session=session, publisher=RecordingPublisher(), participant=sanne)
    other = make_workshop(session, owner=make_user(session, email="b@example.nl"), decks=decks)
    foreign = make_item(session, workshop=other)
    with pytest.raises(NotFound):
        voting.place_dot(
            session=session, publisher=RecordingPublisher(), participant=sanne, item_id=foreign.id
        )
