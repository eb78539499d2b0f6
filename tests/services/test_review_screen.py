"""The terugblik on the room's screen: the facilitator steps through the reviewed items."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.agenda_models import ItemStatus
from app.decks import Deck
from app.services import review, review_screen
from app.services.errors import Conflict, NotFound
from tests.factories import RecordingPublisher, make_item, make_user, make_workshop


@pytest.fixture
def terugblik(session: Session, decks: dict[str, Deck]):  # type: ignore[no-untyped-def]
    owner = make_user(session)
    start = make_workshop(session, owner=owner, decks=decks, title="Start schooljaar")
    first = make_item(session, workshop=start, title="Visie opschrijven", owner_name="Sanne")
    second = make_item(session, workshop=start, title="Ouders betrekken", owner_name="Ahmed")
    back = make_workshop(session, owner=owner, decks=decks, title="Terugblik")
    review.start_review(session=session, workshop=back, from_workshop_id=start.id, user=owner)
    return back, first, second


def test_the_screen_steps_through_the_items_and_shows_the_lesson(session, terugblik) -> None:  # type: ignore[no-untyped-def]
    back, first, second = terugblik
    publisher = RecordingPublisher()
    empty = review_screen.load_screen(session=session, workshop=back)
    assert empty.view is None and empty.total == 2
    review_screen.step(session=session, publisher=publisher, workshop=back, by=1)
    shown = review_screen.load_screen(session=session, workshop=back)
    assert shown.view is not None and shown.view.id == first.id and shown.position == 1
    assert publisher.events, "the step is published like any change the room can see"
    review_screen.step(session=session, publisher=publisher, workshop=back, by=1)
    review_screen.step(session=session, publisher=publisher, workshop=back, by=1)
    last = review_screen.load_screen(session=session, workshop=back)
    assert last.view is not None and last.view.id == second.id and last.position == 2
    review.review_item(
        session=session, publisher=publisher, workshop=back, item_id=second.id,
        version=second.version, status=ItemStatus.bezig, lesson="Eerder beginnen",
    )  # fmt: skip
    lesson = review_screen.load_screen(session=session, workshop=back)
    assert lesson.lesson == "Eerder beginnen"
    assert lesson.view is not None and lesson.view.item.status is ItemStatus.bezig
    review_screen.show_item(session=session, publisher=publisher, workshop=back, item_id=first.id)
    again = review_screen.load_screen(session=session, workshop=back)
    assert again.view is not None and again.view.id == first.id and again.lesson is None


def test_only_items_of_the_reviewed_agenda_and_only_in_a_terugblik(
    session: Session,
    terugblik,
    decks: dict[str, Deck],  # type: ignore[no-untyped-def]
) -> None:
    back, _first, _second = terugblik
    other = make_workshop(session, owner=make_user(session, email="x@example.nl"), decks=decks)
    foreign = make_item(session, workshop=other, title="Elders")
    with pytest.raises(NotFound):
        review_screen.show_item(
            session=session, publisher=RecordingPublisher(), workshop=back, item_id=foreign.id
        )
    with pytest.raises(NotFound):
        review_screen.load_screen(session=session, workshop=other)
    with pytest.raises(Conflict):
        review_screen.step(session=session, publisher=RecordingPublisher(), workshop=other, by=1)
