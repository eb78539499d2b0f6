"""Answering: idempotent, only while open, own answers only, "+1" once on revealed answers."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from app.decks import Deck
from app.events import Topic
from app.live.state import load_room
from app.models import Answer, WorkshopPrompt
from app.services import participation
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound, PromptClosed
from app.services.facilitation import Action, apply_action
from tests.factories import (
    RecordingPublisher,
    make_participant,
    make_user,
    make_workshop,
    open_first_prompt,
)


@pytest.fixture
def room(session: Session, decks: dict[str, Deck]):  # type: ignore[no-untyped-def]
    owner = make_user(session)
    workshop = make_workshop(session, owner=owner, decks=decks)
    open_first_prompt(session, workshop)
    prompt = session.exec(
        select(WorkshopPrompt).where(
            WorkshopPrompt.workshop_id == workshop.id, WorkshopPrompt.position == 0
        )
    ).one()
    sanne, _ = make_participant(session, workshop=workshop)
    ahmed, _ = make_participant(session, workshop=workshop, name="Ahmed", organisation="Politie")
    return workshop, prompt, sanne, ahmed


def _count(session: Session, prompt_id: int) -> int:
    return len(session.exec(select(Answer).where(Answer.prompt_id == prompt_id)).all())


def test_an_answer_is_stored_and_published_after_commit(
    session, publisher: RecordingPublisher, room
) -> None:  # type: ignore[no-untyped-def]
    workshop, prompt, sanne, _ = room
    result = participation.submit_answer(
        session=session, publisher=publisher, participant=sanne, prompt_id=prompt.id,
        idempotency_key="key-0001", text="  Een gedeelde visie ontbreekt nog.  ",
    )  # fmt: skip
    assert result.created
    assert result.answer.text == "Een gedeelde visie ontbreekt nog."
    [event] = publisher.events
    assert event.topics == frozenset({Topic.answers})
    assert event.participant_ids == frozenset({sanne.id})
    session.expire_all()
    assert event.seq == session.get(type(workshop), workshop.id).seq  # type: ignore[union-attr]


def test_a_resent_idempotency_key_returns_the_first_answer(session, publisher, room) -> None:  # type: ignore[no-untyped-def]
    _, prompt, sanne, _ = room
    first = participation.submit_answer(
        session=session, publisher=publisher, participant=sanne, prompt_id=prompt.id,
        idempotency_key="same-key-1", text="Eerste versie",
    )  # fmt: skip
    again = participation.submit_answer(
        session=session, publisher=publisher, participant=sanne, prompt_id=prompt.id,
        idempotency_key="same-key-1", text="Eerste versie",
    )  # fmt: skip
    assert not again.created
    assert again.answer.id == first.answer.id
    assert _count(session, prompt.id) == 1
    assert len(publisher.events) == 1


def test_the_same_key_from_two_people_makes_two_answers(session, publisher, room) -> None:  # type: ignore[no-untyped-def]
    _, prompt, sanne, ahmed = room
    for person in (sanne, ahmed):
        participation.submit_answer(
            session=session, publisher=publisher, participant=person, prompt_id=prompt.id,
            idempotency_key="shared-key", text=f"van deelnemer {person.id}",
        )  # fmt: skip
    assert _count(session, prompt.id) == 2


def test_a_closed_prompt_refuses_answers_and_keeps_what_is_stored(session, publisher, room) -> None:  # type: ignore[no-untyped-def]
    workshop, prompt, sanne, _ = room
    participation.submit_answer(
        session=session, publisher=publisher, participant=sanne, prompt_id=prompt.id,
        idempotency_key="before-close", text="Op tijd",
    )  # fmt: skip
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.close)
    with pytest.raises(PromptClosed):
        participation.submit_answer(
            session=session, publisher=publisher, participant=sanne, prompt_id=prompt.id,
            idempotency_key="after-close", text="Te laat",
        )  # fmt: skip
    assert [a.text for a in session.exec(select(Answer)).all()] == ["Op tijd"]


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "x" * 2001])
def test_empty_or_overlong_text_is_refused_in_dutch(session, publisher, room, text: str) -> None:  # type: ignore[no-untyped-def]
    _, prompt, sanne, _ = room
    with pytest.raises(InvalidInput) as exc:
        participation.submit_answer(
            session=session, publisher=publisher, participant=sanne, prompt_id=prompt.id,
            idempotency_key="bad-input-1", text=text,
        )  # fmt: skip
    assert "antwoord" in exc.value.message.lower()
    assert _count(session, prompt.id) == 0


def test_script_payload_is_stored_as_text(session, publisher, room) -> None:  # type: ignore[no-untyped-def]
    _, prompt, sanne, _ = room
    payload = "<script>alert('x')</script> 👩🏽‍🏫 coördinatie"
    result = participation.submit_answer(
        session=session, publisher=publisher, participant=sanne, prompt_id=prompt.id,
        idempotency_key="script-key", text=payload,
    )  # fmt: skip
    assert result.answer.text == payload


def test_nobody_edits_or_withdraws_someone_elses_answer(session, publisher, room) -> None:  # type: ignore[no-untyped-def]
    _, prompt, sanne, ahmed = room
    answer = participation.submit_answer(
        session=session, publisher=publisher, participant=sanne, prompt_id=prompt.id,
        idempotency_key="sannes-key", text="Van de eerste",
    ).answer  # fmt: skip
    with pytest.raises(Forbidden):
        participation.edit_answer(
            session=session,
            publisher=publisher,
            participant=ahmed,
            answer_id=answer.id,
            text="Gekaapt",
        )
    with pytest.raises(Forbidden):
        participation.withdraw_answer(
            session=session, publisher=publisher, participant=ahmed, answer_id=answer.id
        )
    session.refresh(answer)
    assert answer.text == "Van de eerste" and not answer.withdrawn


def test_own_answer_can_be_edited_then_withdrawn_while_open(session, publisher, room) -> None:  # type: ignore[no-untyped-def]
    _, prompt, sanne, _ = room
    answer = participation.submit_answer(
        session=session, publisher=publisher, participant=sanne, prompt_id=prompt.id,
        idempotency_key="edit-me-1", text="Eerst",
    ).answer  # fmt: skip
    participation.edit_answer(
        session=session, publisher=publisher, participant=sanne, answer_id=answer.id, text="Daarna"
    )
    session.refresh(answer)
    assert answer.text == "Daarna"
    participation.withdraw_answer(
        session=session, publisher=publisher, participant=sanne, answer_id=answer.id
    )
    session.refresh(answer)
    assert answer.withdrawn
    with pytest.raises(NotFound):
        participation.edit_answer(
            session=session,
            publisher=publisher,
            participant=sanne,
            answer_id=answer.id,
            text="Weer",
        )


def test_plus_one_only_on_revealed_answers_and_a_second_tap_undoes_it(
    session, publisher, room
) -> None:  # type: ignore[no-untyped-def]
    workshop, prompt, sanne, ahmed = room
    answer = participation.submit_answer(
        session=session, publisher=publisher, participant=sanne, prompt_id=prompt.id,
        idempotency_key="plus-one-1", text="Herkenbaar",
    ).answer  # fmt: skip
    with pytest.raises(Conflict):
        participation.react(
            session=session, publisher=publisher, participant=ahmed, answer_id=answer.id
        )
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.reveal)
    assert participation.react(
        session=session, publisher=publisher, participant=ahmed, answer_id=answer.id
    )
    given = load_room(session=session, workshop_id=workshop.id)
    assert given is not None and given.reacted == {ahmed.id: {answer.id}}
    assert given.answers[0].plus_ones == 1
    assert not participation.react(
        session=session, publisher=publisher, participant=ahmed, answer_id=answer.id
    )
    undone = load_room(session=session, workshop_id=workshop.id)
    assert undone is not None and undone.reacted == {} and undone.answers[0].plus_ones == 0
    assert participation.react(
        session=session, publisher=publisher, participant=ahmed, answer_id=answer.id
    )
    with pytest.raises(Conflict):
        participation.react(
            session=session, publisher=publisher, participant=sanne, answer_id=answer.id
        )


def test_a_scale_prompt_keeps_one_value_per_person(session, publisher, decks) -> None:  # type: ignore[no-untyped-def]
    owner = make_user(session)
    workshop = make_workshop(session, owner=owner, decks=decks)
    scale = session.exec(
        select(WorkshopPrompt)
        .where(WorkshopPrompt.workshop_id == workshop.id, WorkshopPrompt.kind == "scale")
        .order_by(col(WorkshopPrompt.position))
    ).first()
    assert scale is not None
    apply_action(
        session=session,
        publisher=publisher,
        workshop=workshop,
        action=Action.goto,
        position=scale.position,
    )
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.open)
    sanne, _ = make_participant(session, workshop=workshop)
    for key, value in (("scale-key-1", 2), ("scale-key-2", 4)):
        participation.submit_answer(
            session=session, publisher=publisher, participant=sanne, prompt_id=scale.id,
            idempotency_key=key, value=value,
        )  # fmt: skip
    live = session.exec(
        select(Answer).where(Answer.prompt_id == scale.id, col(Answer.withdrawn).is_(False))
    ).all()
    assert [a.value for a in live] == [4]
    with pytest.raises(InvalidInput):
        participation.submit_answer(
            session=session, publisher=publisher, participant=sanne, prompt_id=scale.id,
            idempotency_key="scale-key-3", value=6,
        )  # fmt: skip


def test_a_participant_cannot_answer_in_another_workshop(session, publisher, decks, room) -> None:  # type: ignore[no-untyped-def]
    _, prompt, _, _ = room
    other_owner = make_user(session, email="ander@example.nl")
    other = make_workshop(session, owner=other_owner, decks=decks)
    stranger, _ = make_participant(session, workshop=other)
    with pytest.raises(NotFound):
        participation.submit_answer(
            session=session, publisher=publisher, participant=stranger, prompt_id=prompt.id,
            idempotency_key="stranger-1", text="Ik hoor hier niet",
        )  # fmt: skip
