"""The room reacts from their phones to the actiepunt on the terugblik's screen."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, col, select

from app.agenda_models import AgendaItem, ReviewReaction
from app.decks import Deck
from app.events import Topic
from app.models import Participant, User, Workshop, WorkshopStatus
from app.services import privacy, review, review_reactions, review_screen
from app.services.errors import Conflict, InvalidInput, NotFound, WorkshopEnded
from tests.factories import (
    RecordingPublisher,
    make_item,
    make_participant,
    make_user,
    make_workshop,
)

Terugblik = tuple[Workshop, AgendaItem, AgendaItem]


@pytest.fixture
def terugblik(session: Session, decks: dict[str, Deck]) -> Terugblik:
    """A terugblik on last year's two items, the first on the screen."""
    owner = make_user(session)
    start = make_workshop(session, owner=owner, decks=decks, title="Start schooljaar")
    first = make_item(session, workshop=start, title="Visie opschrijven", owner_name="Sanne")
    second = make_item(session, workshop=start, title="Ouders betrekken", owner_name="Ahmed")
    back = make_workshop(session, owner=owner, decks=decks, title="Terugblik")
    assert start.id is not None
    review.start_review(session=session, workshop=back, from_workshop_id=start.id, user=owner)
    review_screen.step(session=session, publisher=RecordingPublisher(), workshop=back, by=1)
    return back, first, second


def _react(session: Session, who, item: AgendaItem, kind: str) -> str | None:  # type: ignore[no-untyped-def]
    assert item.id is not None
    return review_reactions.react(
        session=session, publisher=RecordingPublisher(), participant=who, item_id=item.id, kind=kind
    )


def _counts(session: Session, back: Workshop, item: AgendaItem) -> dict[str, int]:
    assert back.id is not None and item.id is not None
    return review_reactions.tally(session=session, workshop_id=back.id, item_id=item.id).counts


def test_one_reaction_per_participant_that_changes_and_is_taken_back(
    session: Session, terugblik: Terugblik
) -> None:
    back, first, _second = terugblik
    sanne, _ = make_participant(session, workshop=back, name="Sanne")
    ahmed, _ = make_participant(session, workshop=back, name="Ahmed")
    assert _react(session, sanne, first, "noticed") == "noticed"
    assert _react(session, ahmed, first, "noticed") == "noticed"
    assert _counts(session, back, first) == {"noticed": 2}
    # Another kind replaces the first: still one reaction of hers.
    assert _react(session, sanne, first, "join") == "join"
    assert _counts(session, back, first) == {"noticed": 1, "join": 1}
    rows = session.exec(select(ReviewReaction).where(ReviewReaction.participant_id == sanne.id))
    assert [r.kind for r in rows] == ["join"]
    # The same kind again takes it back.
    assert _react(session, sanne, first, "join") is None
    assert _counts(session, back, first) == {"noticed": 1}
    shown = review_screen.load_screen(session=session, workshop=back)
    assert shown.reactions is not None
    assert shown.reactions.rows == [("noticed", "Merk ik", 1), ("not_yet", "Nog niet", 0),
                                    ("join", "Doe ik mee", 0)]  # fmt: skip
    assert (
        shown.reactions.of(ahmed.id or 0) == "noticed" and shown.reactions.of(sanne.id or 0) is None
    )


def test_a_reaction_is_published_for_the_screen_and_the_own_phone(
    session: Session, terugblik: Terugblik
) -> None:
    back, first, _second = terugblik
    sanne, _ = make_participant(session, workshop=back)
    publisher = RecordingPublisher()
    assert first.id is not None and sanne.id is not None
    review_reactions.react(
        session=session, publisher=publisher, participant=sanne, item_id=first.id, kind="not_yet"
    )
    [event] = publisher.events
    assert event.workshop_id == back.id and event.topics == frozenset({Topic.agenda})
    assert event.participant_ids == frozenset({sanne.id})
    session.refresh(back)
    assert event.seq == back.seq


def test_only_the_item_on_the_screen_and_only_known_kinds(
    session: Session, terugblik: Terugblik, decks: dict[str, Deck]
) -> None:
    back, first, second = terugblik
    sanne, _ = make_participant(session, workshop=back)
    with pytest.raises(Conflict, match="niet op het scherm"):
        _react(session, sanne, second, "noticed")
    with pytest.raises(InvalidInput, match="Kies een van de reacties"):
        _react(session, sanne, first, "applaus")
    other = make_workshop(session, owner=make_user(session, email="x@example.nl"), decks=decks)
    foreign = make_item(session, workshop=other, title="Elders")
    with pytest.raises(NotFound, match="bestaat niet"):
        _react(session, sanne, foreign, "noticed")
    stranger, _ = make_participant(session, workshop=other)
    with pytest.raises(NotFound, match="geen terugblik"):
        _react(session, stranger, first, "noticed")
    assert session.exec(select(ReviewReaction)).all() == []
    back.status = WorkshopStatus.ended
    session.add(back)
    session.commit()
    with pytest.raises(WorkshopEnded):
        _react(session, sanne, first, "noticed")


def test_counts_for_the_facilitator_are_of_this_terugblik_only(
    session: Session, terugblik: Terugblik
) -> None:
    back, first, second = terugblik
    assert back.id is not None and first.id is not None and second.id is not None
    for name, kind in (("Sanne", "noticed"), ("Ahmed", "not_yet"), ("Lotte", "not_yet")):
        person, _ = make_participant(session, workshop=back, name=name)
        _react(session, person, first, kind)
    tallies = review_reactions.counts_by_item(
        session=session, workshop_id=back.id, item_ids=[first.id, second.id]
    )
    assert tallies[first.id].counts == {"noticed": 1, "not_yet": 2}
    assert tallies[first.id].total == 3 and tallies[second.id].total == 0
    # Another workshop's participants never count here.
    assert (
        review_reactions.counts_by_item(
            session=session, workshop_id=back.id + 1000, item_ids=[first.id]
        )[first.id].counts
        == {}
    )


def _reactions_of(session: Session, workshop: Workshop) -> int:
    people = select(Participant.id).where(Participant.workshop_id == workshop.id)
    rows = session.exec(
        select(ReviewReaction).where(col(ReviewReaction.participant_id).in_(people))
    ).all()
    return len(rows)


def test_purging_and_deleting_the_terugblik_removes_its_reactions(
    session: Session, terugblik: Terugblik
) -> None:
    back, first, _second = terugblik
    sanne, _ = make_participant(session, workshop=back)
    _react(session, sanne, first, "join")
    assert _reactions_of(session, back) == 1
    privacy.purge_workshop(
        session=session,
        publisher=RecordingPublisher(),
        workshop=back,
        now=datetime(2027, 8, 1, tzinfo=UTC),
    )
    assert _reactions_of(session, back) == 0
    # Again, then the whole workshop goes.
    back.purged_at = None
    session.add(back)
    session.commit()
    _react(session, sanne, first, "noticed")
    facilitator = session.get(User, back.owner_id)
    assert facilitator is not None
    privacy.delete_workshop(session=session, workshop=back, by=facilitator)
    session.expire_all()
    assert session.exec(select(ReviewReaction)).all() == []
