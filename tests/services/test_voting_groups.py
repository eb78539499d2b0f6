"""Dot voting on answer groups: dots on a group, the ranking by label, and a group that goes
takes its dots with it."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.agenda_models import DotVote
from app.decks import Deck
from app.models import AnswerGroup, Participant, Workshop
from app.services import group_edits, groups, voting
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.facilitation import Action, apply_action
from app.services.groups import GroupInput
from tests.factories import (
    RecordingPublisher,
    make_answer,
    make_item,
    make_participant,
    make_user,
    make_workshop,
    open_first_prompt,
)

Room = tuple[Workshop, Participant, Participant, list[int]]


@pytest.fixture
def room(session: Session, decks: dict[str, Deck]) -> Room:
    workshop = make_workshop(session, owner=make_user(session), decks=decks)
    sanne, _ = make_participant(session, workshop=workshop)
    ahmed, _ = make_participant(session, workshop=workshop, name="Ahmed")
    open_first_prompt(session, workshop)
    first = make_answer(session, participant=sanne, text="Samen optrekken met de wijk")
    second = make_answer(session, participant=ahmed, text="Een vast aanspreekpunt")
    publisher = RecordingPublisher()
    saved = groups.save_groups(
        session=session,
        publisher=publisher,
        workshop=workshop,
        prompt_id=first.prompt_id,
        groups=[
            GroupInput(label="Samenwerken", answer_ids=(first.id or 0,)),
            GroupInput(label="Aanspreekpunt", answer_ids=(second.id or 0,)),
        ],
    )
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.reveal)
    voting.set_dots(
        session=session, publisher=publisher, workshop=workshop, dots=3, vote_on="groups"
    )
    return workshop, sanne, ahmed, [g.id for g in saved]


def _dots(session: Session) -> list[DotVote]:
    return list(session.exec(select(DotVote)).all())


def test_dots_go_on_groups_within_the_limit_and_rank_by_label(session: Session, room: Room) -> None:
    workshop, sanne, ahmed, (together, contact) = room
    publisher = RecordingPublisher()
    place = voting.place_dot
    assert place(session=session, publisher=publisher, participant=sanne, group_id=contact) == 2
    assert place(session=session, publisher=publisher, participant=sanne, group_id=contact) == 1
    assert place(session=session, publisher=publisher, participant=sanne, group_id=together) == 0
    with pytest.raises(Conflict) as exc:
        place(session=session, publisher=publisher, participant=sanne, group_id=together)
    assert "stippen gebruikt" in exc.value.message
    place(session=session, publisher=publisher, participant=ahmed, group_id=together)
    place(session=session, publisher=publisher, participant=ahmed, group_id=together)
    # One row per participant and group, counting up.
    assert sorted((v.participant_id, v.group_id, v.count) for v in _dots(session)) == sorted(
        [(sanne.id, contact, 2), (sanne.id, together, 1), (ahmed.id, together, 2)]
    )
    assert voting.ranking(session=session, workshop_id=workshop.id or 0) == [
        voting.Ranked(together, "Samenwerken", 3),
        voting.Ranked(contact, "Aanspreekpunt", 2),
    ]
    voting.remove_dot(session=session, publisher=publisher, participant=sanne, group_id=contact)
    result = voting.results(session=session, workshop_id=workshop.id or 0)
    assert result.group_votes == {together: 3, contact: 1}
    assert result.own[sanne.id or 0][(None, None, contact)] == 1


def test_a_dot_on_the_wrong_kind_is_refused_in_dutch(session: Session, room: Room) -> None:
    workshop, sanne, _, (together, _contact) = room
    publisher = RecordingPublisher()
    item = make_item(session, workshop=workshop)
    with pytest.raises(Conflict) as exc:
        voting.place_dot(session=session, publisher=publisher, participant=sanne, item_id=item.id)
    assert exc.value.message == "Er wordt nu gestemd op groepen, niet hierop."
    with pytest.raises(InvalidInput) as two:
        voting.place_dot(
            session=session,
            publisher=publisher,
            participant=sanne,
            item_id=item.id,
            group_id=together,
        )
    assert "één groep" in two.value.message
    with pytest.raises(NotFound):
        voting.place_dot(session=session, publisher=publisher, participant=sanne, group_id=99_999)
    voting.set_dots(session=session, publisher=publisher, workshop=workshop, dots=3)
    with pytest.raises(Conflict) as items:
        voting.place_dot(session=session, publisher=publisher, participant=sanne, group_id=together)
    assert "actiepunten" in items.value.message
    assert _dots(session) == []


def test_a_merged_or_deleted_group_takes_its_dots_along(session: Session, room: Room) -> None:
    workshop, sanne, ahmed, (together, contact) = room
    publisher = RecordingPublisher()
    voting.place_dot(session=session, publisher=publisher, participant=sanne, group_id=together)
    voting.place_dot(session=session, publisher=publisher, participant=ahmed, group_id=contact)
    voting.place_dot(session=session, publisher=publisher, participant=ahmed, group_id=together)
    group_edits.merge(
        session=session,
        publisher=publisher,
        workshop=workshop,
        group_id=together,
        into_id=contact,
    )
    session.expire_all()
    assert session.get(AnswerGroup, together) is None
    assert [(v.participant_id, v.group_id) for v in _dots(session)] == [(ahmed.id, contact)]
    # The dots come back to the voters: Sanne has all three again.
    assert voting.dots_used(session=session, participant_id=sanne.id or 0) == 0
    group_edits.delete_group(
        session=session, publisher=publisher, workshop=workshop, group_id=contact
    )
    session.expire_all()
    assert _dots(session) == []
    assert voting.ranking(session=session, workshop_id=workshop.id or 0) == []
