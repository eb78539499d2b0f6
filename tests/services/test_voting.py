"""Dot voting: the facilitator hands out dots, nobody places more than they have."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.agenda_models import AgendaItem
from app.decks import Deck
from app.services import agenda, voting
from app.services.errors import Conflict, InvalidInput, NotFound, WorkshopEnded
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


def test_votes_go_on_the_kind_the_facilitator_chose_never_a_mix(session, room) -> None:  # type: ignore[no-untyped-def]
    workshop, sanne, item = room
    publisher = RecordingPublisher()
    other = make_item(session, workshop=workshop, title="Tweede")
    voting.set_dots(session=session, publisher=publisher, workshop=workshop, dots=5)
    open_first_prompt(session, workshop)
    ahmed, _ = make_participant(session, workshop=workshop, name="Ahmed")
    answer = make_answer(session, participant=ahmed, text="Samen optrekken")
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.reveal)
    # Voting on items: an answer is refused, though shown.
    with pytest.raises(Conflict) as exc:
        voting.place_dot(
            session=session, publisher=publisher, participant=sanne, answer_id=answer.id
        )
    assert "actiepunten" in exc.value.message
    voting.place_dot(session=session, publisher=publisher, participant=sanne, item_id=other.id)
    titles = [i.title for i in agenda.items_of_workshop(session=session, workshop_id=workshop.id)]
    assert titles[0] == "Tweede" and item.title in titles
    assert voting.ranking(session=session, workshop_id=workshop.id) == [
        voting.Ranked(other.id, "Tweede", 1)
    ]
    # Voting on answers: now an item is refused and the ranking lists answers.
    voting.set_dots(
        session=session, publisher=publisher, workshop=workshop, dots=5, vote_on="answers"
    )
    with pytest.raises(Conflict):
        voting.place_dot(session=session, publisher=publisher, participant=sanne, item_id=item.id)
    voting.place_dot(session=session, publisher=publisher, participant=sanne, answer_id=answer.id)
    voting.place_dot(session=session, publisher=publisher, participant=ahmed, answer_id=answer.id)
    assert voting.ranking(session=session, workshop_id=workshop.id) == [
        voting.Ranked(answer.id, "Samen optrekken", 2)
    ]
    with pytest.raises(InvalidInput):
        voting.set_dots(
            session=session, publisher=publisher, workshop=workshop, dots=5, vote_on="beide"
        )


def test_answers_can_be_voted_on_only_when_shown(session, room) -> None:  # type: ignore[no-untyped-def]
    workshop, sanne, _item = room
    publisher = RecordingPublisher()
    voting.set_dots(
        session=session, publisher=publisher, workshop=workshop, dots=5, vote_on="answers"
    )
    open_first_prompt(session, workshop)
    ahmed, _ = make_participant(session, workshop=workshop, name="Ahmed")
    answer = make_answer(session, participant=ahmed, text="Samen optrekken")
    with pytest.raises(Conflict):
        voting.place_dot(
            session=session, publisher=publisher, participant=sanne, answer_id=answer.id
        )
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.reveal)
    voting.place_dot(session=session, publisher=publisher, participant=sanne, answer_id=answer.id)
    result = voting.results(session=session, workshop_id=workshop.id)
    assert result.answer_votes == {answer.id: 1}


def test_voting_closes_with_the_meeting_and_the_views_say_so(session, room) -> None:  # type: ignore[no-untyped-def]
    from app.live.render import partial
    from app.live.state import load_room

    workshop, sanne, item = room
    publisher = RecordingPublisher()
    voting.set_dots(session=session, publisher=publisher, workshop=workshop, dots=3)
    open_room = load_room(session=session, workshop_id=workshop.id)
    assert open_room is not None and open_room.agenda is not None
    assert open_room.agenda.voting_open
    banner = partial("_vote_banner", room=open_room, pid=sanne.id)
    assert "Stemmen is open" in banner and "Je hebt nog 3 stippen." in banner
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.end)
    with pytest.raises(WorkshopEnded):
        voting.place_dot(session=session, publisher=publisher, participant=sanne, item_id=item.id)
    ended = load_room(session=session, workshop_id=workshop.id)
    assert ended is not None and ended.agenda is not None
    assert not ended.agenda.voting_open
    assert "Stemmen is gesloten." in partial("_vote_banner", room=ended, pid=sanne.id)
    assert 'id="dot-vote"' in partial("_dot_vote", room=ended, pid=sanne.id)
    assert "stip" not in partial("_dot_vote", room=ended, pid=sanne.id)
    listing = partial("_agenda_items", room=ended, audience="projector")
    assert "Stemmen is gesloten." in listing and "Stemmen is open" not in listing


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
