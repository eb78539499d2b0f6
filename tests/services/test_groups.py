"""Answer groups: saving, Groeperen again, the facilitator's edits, late answers, removal."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.agenda_models import AgendaItemSource
from app.decks import Deck
from app.events import Topic
from app.models import Answer, AnswerGroup, AnswerGroupMember, User, Workshop, WorkshopPrompt
from app.services import group_edits, groups, privacy
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.groups import GroupInput, GroupView
from tests.factories import (
    RecordingPublisher,
    make_answer,
    make_participant,
    make_scale_answers,
    make_user,
    make_workshop,
    open_first_prompt,
)

TEXTS = [
    "De wijkagent komt vaker langs bij school",
    "Wijkagent zichtbaar op het plein",
    "Sexting in de klas bespreken",
    "Sexting en de groepsapp in de gaten houden",
    "Een vast aanspreekpunt voor ouders",
    "Ouders eerder betrekken bij incidenten",
]


@pytest.fixture
def room(session: Session, decks: dict[str, Deck]) -> tuple[Workshop, int, list[int]]:
    """A workshop whose first (open) prompt has the six answers above, by six people."""
    owner = make_user(session)
    workshop = open_first_prompt(session, make_workshop(session, owner=owner, decks=decks))
    ids = []
    for text in TEXTS:
        person, _ = make_participant(session, workshop=workshop, name=None)
        ids.append(make_answer(session, participant=person, text=text).id or 0)
    prompt_id = session.exec(select(Answer.prompt_id).where(Answer.id == ids[0])).one()
    return workshop, prompt_id, ids


def saved(
    session: Session, workshop: Workshop, prompt_id: int, ids: list[int], *, fixed: bool = False
) -> list[GroupView]:
    """Three groups of two: wijkagent, sexting, ouders."""
    given = [
        GroupInput("Wijkagent", (ids[0], ids[1]), fixed),
        GroupInput("Sexting", (ids[2], ids[3]), fixed),
        GroupInput("Ouders", (ids[4], ids[5]), fixed),
    ]
    return groups.save_groups(
        session=session,
        publisher=RecordingPublisher(),
        workshop=workshop,
        prompt_id=prompt_id,
        groups=given,
    )


def placements(session: Session, prompt_id: int) -> dict[int, str]:
    return {
        a: g.label
        for g in groups.groups_of(session=session, prompt_id=prompt_id)
        for a in g.answer_ids
    }


def test_a_suggestion_stores_nothing_and_puts_each_answer_in_at_most_one_group(
    session: Session, room: tuple[Workshop, int, list[int]]
) -> None:
    workshop, prompt_id, ids = room
    found = groups.suggest(session=session, workshop=workshop, prompt_id=prompt_id)
    members = [i for s in found for i in s.answer_ids]
    assert found and len(members) == len(set(members)) and set(members) <= set(ids)
    assert session.exec(select(func.count()).select_from(AnswerGroup)).one() == 0


def test_hidden_answers_are_left_out_of_a_suggestion(
    session: Session, room: tuple[Workshop, int, list[int]]
) -> None:
    workshop, prompt_id, ids = room
    answer = session.get(Answer, ids[0])
    assert answer is not None
    answer.hidden = True
    session.add(answer)
    session.commit()
    found = groups.suggest(session=session, workshop=workshop, prompt_id=prompt_id)
    assert ids[0] not in {i for s in found for i in s.answer_ids}


def test_a_scale_prompt_cannot_be_grouped(session: Session, decks: dict[str, Deck]) -> None:
    owner = make_user(session)
    workshop = make_workshop(session, owner=owner, decks=decks)
    scale = session.exec(
        select(WorkshopPrompt).where(
            WorkshopPrompt.workshop_id == workshop.id, WorkshopPrompt.kind == "scale"
        )
    ).first()
    assert scale is not None and scale.id is not None
    make_scale_answers(session, workshop=workshop, deck_prompt_id=scale.deck_prompt_id, values=[3])
    with pytest.raises(Conflict):
        groups.suggest(session=session, workshop=workshop, prompt_id=scale.id)


def test_saving_replaces_the_groups_and_publishes_after_commit(
    session: Session, room: tuple[Workshop, int, list[int]]
) -> None:
    workshop, prompt_id, ids = room
    publisher = RecordingPublisher()
    saved(session, workshop, prompt_id, ids)
    result = groups.save_groups(
        session=session,
        publisher=publisher,
        workshop=workshop,
        prompt_id=prompt_id,
        groups=[GroupInput("Alles", tuple(ids), True)],
    )
    assert [(g.label, g.answer_ids, g.fixed) for g in result] == [("Alles", tuple(ids), True)]
    assert session.exec(select(func.count()).select_from(AnswerGroup)).one() == 1
    assert publisher.events[-1].topics == frozenset({Topic.groups})
    assert publisher.events[-1].seq == session.get(Workshop, workshop.id).seq  # type: ignore[union-attr]


def test_an_answer_in_two_groups_is_refused_and_nothing_changes(
    session: Session, room: tuple[Workshop, int, list[int]]
) -> None:
    workshop, prompt_id, ids = room
    saved(session, workshop, prompt_id, ids)
    twice = [GroupInput("A", (ids[0],)), GroupInput("B", (ids[0], ids[1]))]
    with pytest.raises(InvalidInput, match="maar in één groep"):
        groups.save_groups(
            session=session,
            publisher=RecordingPublisher(),
            workshop=workshop,
            prompt_id=prompt_id,
            groups=twice,
        )
    session.rollback()
    assert placements(session, prompt_id)[ids[0]] == "Wijkagent"


def test_the_database_refuses_a_second_membership(
    session: Session, room: tuple[Workshop, int, list[int]]
) -> None:
    workshop, prompt_id, ids = room
    views = saved(session, workshop, prompt_id, ids)
    session.add(AnswerGroupMember(prompt_id=prompt_id, group_id=views[1].id, answer_id=ids[0]))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_answers_of_another_prompt_or_workshop_are_refused(
    session: Session, decks: dict[str, Deck], room: tuple[Workshop, int, list[int]]
) -> None:
    workshop, prompt_id, ids = room
    other = open_first_prompt(
        session, make_workshop(session, owner=make_user(session, email="b@example.nl"), decks=decks)
    )
    person, _ = make_participant(session, workshop=other)
    foreign = make_answer(session, participant=person, text="Wijkagent elders").id or 0
    with pytest.raises(NotFound):
        groups.save_groups(
            session=session,
            publisher=RecordingPublisher(),
            workshop=workshop,
            prompt_id=prompt_id,
            groups=[GroupInput("Wijkagent", (ids[0], foreign))],
        )
    with pytest.raises(NotFound):
        groups.suggest(session=session, workshop=other, prompt_id=prompt_id)


def test_accept_rename_merge_split_move_and_delete(
    session: Session, room: tuple[Workshop, int, list[int]]
) -> None:
    workshop, prompt_id, ids = room
    pub = RecordingPublisher()
    wijk, sext, ouders = saved(session, workshop, prompt_id, ids)
    kw = {"session": session, "publisher": pub, "workshop": workshop}

    group_edits.accept(**kw, group_ids=[wijk.id])
    group_edits.edit(**kw, group_id=sext.id, label="  Online gedrag ")
    views = {g.id: g for g in groups.groups_of(session=session, prompt_id=prompt_id)}
    assert views[wijk.id].fixed and views[sext.id].fixed and not views[ouders.id].fixed
    assert views[sext.id].label == "Online gedrag"

    merged = group_edits.merge(**kw, group_id=ouders.id, into_id=wijk.id)
    assert merged.answer_ids == (ids[0], ids[1], ids[4], ids[5])
    assert session.get(AnswerGroup, ouders.id) is None

    new = group_edits.split(**kw, group_id=wijk.id, answer_ids=[ids[4], ids[5]], label="Ouders")
    order = [
        (g.label, g.answer_ids) for g in groups.groups_of(session=session, prompt_id=prompt_id)
    ]
    assert order == [
        ("Wijkagent", (ids[0], ids[1])),
        ("Ouders", (ids[4], ids[5])),
        ("Online gedrag", (ids[2], ids[3])),
    ]

    group_edits.move(**kw, answer_id=ids[0], group_id=new.id)
    group_edits.move(**kw, answer_id=ids[1], group_id=None)
    now = placements(session, prompt_id)
    assert now[ids[0]] == "Ouders" and ids[1] not in now

    group_edits.delete_group(**kw, group_id=new.id)
    assert set(placements(session, prompt_id)) == {ids[2], ids[3]}
    assert all(e.topics == frozenset({Topic.groups}) for e in pub.events)
    assert len(pub.events) == 7


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("merge_self", "andere groep"),
        ("split_none", "Vink"),
        ("split_all", "minstens één"),
        ("split_foreign", "uit deze groep"),
        ("rename_empty", "naam"),
    ],
)
def test_bad_edits_say_what_is_wrong(
    session: Session, room: tuple[Workshop, int, list[int]], how: str, message: str
) -> None:
    workshop, prompt_id, ids = room
    wijk, _sext, _ouders = saved(session, workshop, prompt_id, ids)
    kw = {"session": session, "publisher": RecordingPublisher(), "workshop": workshop}
    with pytest.raises(InvalidInput, match=message):
        match how:
            case "merge_self":
                group_edits.merge(**kw, group_id=wijk.id, into_id=wijk.id)
            case "split_none":
                group_edits.split(**kw, group_id=wijk.id, answer_ids=[], label="X")
            case "split_all":
                group_edits.split(**kw, group_id=wijk.id, answer_ids=[ids[0], ids[1]], label="X")
            case "split_foreign":
                group_edits.split(**kw, group_id=wijk.id, answer_ids=[ids[2]], label="X")
            case "rename_empty":
                group_edits.edit(**kw, group_id=wijk.id, label="   ")


def test_groeperen_again_keeps_fixed_groups_and_answers_taken_out(
    session: Session, room: tuple[Workshop, int, list[int]]
) -> None:
    workshop, prompt_id, ids = room
    pub = RecordingPublisher()
    kw = {"session": session, "publisher": pub, "workshop": workshop}
    wijk, _sext, _ouders = saved(session, workshop, prompt_id, ids)
    group_edits.edit(**kw, group_id=wijk.id, label="Politie in de wijk")
    group_edits.move(**kw, answer_id=ids[4], group_id=None)
    regrouped = groups.regroup(**kw, prompt_id=prompt_id)
    assert regrouped[0].id == wijk.id and regrouped[0].answer_ids == (ids[0], ids[1])
    others = [g for g in regrouped if g.id != wijk.id]
    assert all(not g.fixed for g in others)
    members = [i for g in regrouped for i in g.answer_ids]
    assert len(members) == len(set(members))
    assert ids[4] not in members
    assert ids[0] not in {i for g in others for i in g.answer_ids}


def test_a_late_answer_joins_a_group_without_moving_anything_else(
    session: Session, room: tuple[Workshop, int, list[int]]
) -> None:
    workshop, prompt_id, ids = room
    saved(session, workshop, prompt_id, ids, fixed=True)
    before = placements(session, prompt_id)
    person, _ = make_participant(session, workshop=workshop, name=None)
    late = make_answer(session, participant=person, text="Sexting en de groepsapp bespreken").id
    odd = make_answer(session, participant=person, text="Koffie").id
    after = placements(session, prompt_id)
    assert after[late or 0] == "Sexting"
    assert odd not in after
    assert {k: v for k, v in after.items() if k in before} == before


def test_without_groups_a_new_answer_is_placed_nowhere(
    session: Session, room: tuple[Workshop, int, list[int]]
) -> None:
    workshop, _prompt_id, _ids = room
    person, _ = make_participant(session, workshop=workshop, name=None)
    make_answer(session, participant=person, text="Wijkagent op school")
    assert session.exec(select(func.count()).select_from(AnswerGroupMember)).one() == 0


def test_a_group_becomes_an_agenda_item_with_every_answer_as_source(
    session: Session, room: tuple[Workshop, int, list[int]]
) -> None:
    workshop, prompt_id, ids = room
    _wijk, sext, _ouders = saved(session, workshop, prompt_id, ids)
    item = group_edits.item_from_group(
        session=session, publisher=RecordingPublisher(), workshop=workshop, group_id=sext.id
    )
    assert item.title == "Sexting"
    sources = session.exec(
        select(AgendaItemSource.answer_id).where(AgendaItemSource.item_id == item.id)
    ).all()
    assert sorted(s for s in sources if s is not None) == [ids[2], ids[3]]


def test_groups_of_another_workshop_are_not_found(
    session: Session, decks: dict[str, Deck], room: tuple[Workshop, int, list[int]]
) -> None:
    workshop, prompt_id, ids = room
    wijk, _s, _o = saved(session, workshop, prompt_id, ids)
    other = make_workshop(session, owner=make_user(session, email="c@example.nl"), decks=decks)
    with pytest.raises(NotFound):
        group_edits.edit(
            session=session,
            publisher=RecordingPublisher(),
            workshop=other,
            group_id=wijk.id,
            label="X",
        )
    with pytest.raises(NotFound):
        group_edits.item_from_group(
            session=session, publisher=RecordingPublisher(), workshop=other, group_id=wijk.id
        )


def test_purge_and_deletion_remove_every_group(
    session: Session, room: tuple[Workshop, int, list[int]]
) -> None:
    workshop, prompt_id, ids = room
    saved(session, workshop, prompt_id, ids)
    group_edits.move(
        session=session,
        publisher=RecordingPublisher(),
        workshop=workshop,
        answer_id=ids[0],
        group_id=None,
    )
    privacy.purge_workshop(session=session, publisher=RecordingPublisher(), workshop=workshop)
    assert session.exec(select(func.count()).select_from(AnswerGroup)).one() == 0
    assert session.exec(select(func.count()).select_from(AnswerGroupMember)).one() == 0


def test_deleting_a_workshop_removes_its_groups(
    session: Session, room: tuple[Workshop, int, list[int]]
) -> None:
    workshop, prompt_id, ids = room
    saved(session, workshop, prompt_id, ids)
    owner = session.get(User, workshop.owner_id)
    assert owner is not None
    privacy.delete_workshop(session=session, workshop=workshop, by=owner)
    assert session.exec(select(func.count()).select_from(AnswerGroup)).one() == 0
    assert session.exec(select(func.count()).select_from(AnswerGroupMember)).one() == 0


def test_a_late_answer_that_joins_a_group_tells_the_groups_views(
    session: Session, room: tuple[Workshop, int, list[int]]
) -> None:
    from app.services import participation

    workshop, prompt_id, ids = room
    saved(session, workshop, prompt_id, ids, fixed=True)
    person, _ = make_participant(session, workshop=workshop, name=None)
    publisher = RecordingPublisher()
    for key, text in (("late-0001", "Wijkagent op het plein"), ("late-0002", "Koffie")):
        participation.submit_answer(
            session=session,
            publisher=publisher,
            participant=person,
            prompt_id=prompt_id,
            idempotency_key=key,
            text=text,
        )
    assert [e.topics for e in publisher.events] == [
        frozenset({Topic.answers, Topic.groups}),
        frozenset({Topic.answers}),
    ]
