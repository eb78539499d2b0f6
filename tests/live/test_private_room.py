"""The narrow room read for a participant's own fragments matches the full one."""

from __future__ import annotations

from sqlmodel import Session

from app.decks import Deck
from app.live.personal import render_private
from app.live.state import load_room
from app.services import participation
from app.services.facilitation import Action, apply_action
from tests.factories import (
    RecordingPublisher,
    make_answer,
    make_participant,
    make_user,
    make_workshop,
    open_first_prompt,
)


def test_own_answers_read_alone_render_like_the_whole_room(
    session: Session, decks: dict[str, Deck]
) -> None:
    workshop = make_workshop(session, owner=make_user(session), decks=decks)
    sanne, _ = make_participant(session, workshop=workshop, name="Sanne")
    ahmed, _ = make_participant(session, workshop=workshop, name="Ahmed")
    workshop = open_first_prompt(session, workshop)
    assert workshop.id is not None and sanne.id is not None
    full = load_room(session=session, workshop_id=workshop.id)
    assert full is not None and full.prompt is not None and full.prompt.id is not None
    for person, text, key in [
        (sanne, "Eerste een", "key-sanne-1"),
        (ahmed, "Tweede een", "key-ahmed-1"),
        (sanne, "Eerste twee", "key-sanne-2"),
    ]:
        participation.submit_answer(
            session=session,
            publisher=RecordingPublisher(),
            participant=person,
            prompt_id=full.prompt.id,
            idempotency_key=key,
            text=text,
        )
    full = load_room(session=session, workshop_id=workshop.id)
    narrow = load_room(session=session, workshop_id=workshop.id, only_participant=sanne.id)
    assert full is not None and narrow is not None
    assert [a.text for a in narrow.answers] == ["Eerste een", "Eerste twee"]
    for with_form in (True, False):
        narrow_html = render_private(narrow, sanne.id, with_form=with_form, lang="nl")
        assert narrow_html == render_private(full, sanne.id, with_form=with_form, lang="nl")


def test_the_narrow_read_counts_plus_ones_of_own_answers_like_the_whole_room(
    session: Session, decks: dict[str, Deck]
) -> None:
    workshop = make_workshop(session, owner=make_user(session), decks=decks)
    people = [make_participant(session, workshop=workshop, name=n)[0] for n in ("A", "B", "C")]
    workshop = open_first_prompt(session, workshop)
    sanne, ahmed, bo = people
    mine = make_answer(session, participant=sanne, text="Van de eerste")
    theirs = make_answer(session, participant=ahmed, text="Van de tweede")
    workshop = apply_action(
        session=session, publisher=RecordingPublisher(), workshop=workshop, action=Action.reveal
    )
    for person, answer in [(ahmed, mine), (bo, mine), (bo, theirs)]:
        assert answer.id is not None
        participation.react(
            session=session, publisher=RecordingPublisher(), participant=person, answer_id=answer.id
        )
    assert workshop.id is not None and sanne.id is not None
    full = load_room(session=session, workshop_id=workshop.id)
    narrow = load_room(session=session, workshop_id=workshop.id, only_participant=sanne.id)
    assert full is not None and narrow is not None
    (own,) = narrow.answers
    assert own.plus_ones == 2
    assert own == next(a for a in full.answers if a.id == mine.id)
