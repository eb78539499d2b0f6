"""The acknowledgement rendered from the change's own transaction equals one read afterwards."""

from __future__ import annotations

from sqlmodel import Session

from app.decks import Deck
from app.live.ack import render_receipt
from app.live.personal import render_private
from app.live.state import load_room
from app.services import participation
from app.services.facilitation import Action, apply_action
from app.services.receipts import Receipt
from tests.factories import (
    RecordingPublisher,
    make_answer,
    make_participant,
    make_user,
    make_workshop,
    open_first_prompt,
)


def _read_after(session: Session, workshop_id: int, pid: int, *, with_form: bool) -> str:
    room = load_room(session=session, workshop_id=workshop_id, only_participant=pid)
    assert room is not None
    return render_private(room, pid, with_form=with_form, lang="nl")


def test_each_change_returns_a_receipt_that_renders_like_a_read_after_it(
    session: Session, decks: dict[str, Deck]
) -> None:
    workshop = make_workshop(session, owner=make_user(session), decks=decks)
    sanne, _ = make_participant(session, workshop=workshop, name="Sanne")
    ahmed, _ = make_participant(session, workshop=workshop, name="Ahmed")
    workshop = open_first_prompt(session, workshop)
    assert workshop.id is not None and sanne.id is not None
    theirs = make_answer(session, participant=ahmed, text="meer tijd voor overleg")
    receipts: list[Receipt] = []
    publisher = RecordingPublisher()
    room = load_room(session=session, workshop_id=workshop.id)
    assert room is not None and room.prompt is not None and room.prompt.id is not None
    first = participation.submit_answer(
        session=session,
        publisher=publisher,
        participant=sanne,
        prompt_id=room.prompt.id,
        idempotency_key="receipt-key-1",
        text="wij missen <b>overleg</b>",
        receipts=receipts,
    )
    assert first.answer.id is not None
    (receipt,) = receipts
    # Of exactly the seq the change committed, the one its event carries.
    assert receipt.seq == publisher.events[-1].seq
    assert [a.text for a in receipt.own] == ["wij missen <b>overleg</b>"]
    html = render_receipt(receipt, with_form=True, lang="nl")
    assert html == _read_after(session, workshop.id, sanne.id, with_form=True)
    assert "<b>" not in html  # escaped like every fragment

    receipts.clear()
    participation.edit_answer(
        session=session,
        publisher=publisher,
        participant=sanne,
        answer_id=first.answer.id,
        text="wij missen tijd",
        receipts=receipts,
    )
    assert [a.text for a in receipts[0].own] == ["wij missen tijd"]
    html = render_receipt(receipts[0], with_form=False, lang="en")
    room_after = load_room(session=session, workshop_id=workshop.id, only_participant=sanne.id)
    assert room_after is not None
    assert html == render_private(room_after, sanne.id, with_form=False, lang="en")

    workshop = apply_action(
        session=session, publisher=publisher, workshop=workshop, action=Action.reveal
    )
    assert theirs.id is not None
    receipts.clear()
    participation.react(
        session=session,
        publisher=publisher,
        participant=sanne,
        answer_id=theirs.id,
        receipts=receipts,
    )
    assert receipts[0].reacted == {theirs.id}
    assert render_receipt(receipts[0], with_form=False, lang="nl") == _read_after(
        session, workshop.id, sanne.id, with_form=False
    )


def test_a_repeated_key_commits_nothing_and_gives_no_receipt(
    session: Session, decks: dict[str, Deck]
) -> None:
    workshop = make_workshop(session, owner=make_user(session), decks=decks)
    sanne, _ = make_participant(session, workshop=workshop, name="Sanne")
    workshop = open_first_prompt(session, workshop)
    assert workshop.id is not None
    room = load_room(session=session, workshop_id=workshop.id)
    assert room is not None and room.prompt is not None and room.prompt.id is not None
    receipts: list[Receipt] = []
    for _ in range(2):
        participation.submit_answer(
            session=session,
            publisher=RecordingPublisher(),
            participant=sanne,
            prompt_id=room.prompt.id,
            idempotency_key="receipt-key-2",
            text="Een keer",
            receipts=receipts,
        )
    assert len(receipts) == 1
