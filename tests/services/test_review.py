"""Terugblik: per item a status and a lesson; open items carried to next year with history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, col, select

from app.agenda_models import AgendaItem, AgendaItemSource, HistoryKind, ItemHistory, ItemStatus
from app.decks import Deck
from app.models import Workshop
from app.services import agenda, review
from app.services.agenda_sheet import load_sheet
from app.services.errors import Conflict, NotFound
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
def year(session: Session, decks: dict[str, Deck]):  # type: ignore[no-untyped-def]
    owner = make_user(session)
    start = make_workshop(session, owner=owner, decks=decks, title="Start schooljaar")
    open_first_prompt(session, start)
    sanne, _ = make_participant(session, workshop=start)
    answer = make_answer(session, participant=sanne, text="Ouders eerder betrekken")
    done = make_item(session, workshop=start, title="Klaar")
    busy = make_item(session, workshop=start, title="Loopt nog", answer_ids=[answer.id])
    untouched = make_item(session, workshop=start, title="Niet aan toegekomen")
    terugblik = make_workshop(
        session, owner=owner, decks=decks, title="Terugblik", school_year="2026-2027"
    )
    review.start_review(session=session, workshop=terugblik, from_workshop_id=start.id, user=owner)
    return owner, start, terugblik, done, busy, untouched, answer


def _history(session: Session, item_id: int) -> list[ItemHistory]:
    return list(
        session.exec(
            select(ItemHistory).where(ItemHistory.item_id == item_id).order_by(col(ItemHistory.id))
        ).all()
    )


def test_a_review_records_status_and_lesson_in_the_review_workshop(session, year) -> None:  # type: ignore[no-untyped-def]
    _, _, terugblik, done, _, _, _ = year
    reviewed = review.review_item(
        session=session,
        publisher=RecordingPublisher(),
        workshop=terugblik,
        item_id=done.id,
        version=done.version,
        status=ItemStatus.gedaan,
        lesson="Vaste contactpersoon werkt",
    )
    assert reviewed.status is ItemStatus.gedaan and reviewed.version == 2
    last = _history(session, done.id)[-1]
    assert (last.kind, last.status, last.note, last.workshop_id) == (
        HistoryKind.reviewed,
        ItemStatus.gedaan,
        "Vaste contactpersoon werkt",
        terugblik.id,
    )


def test_carry_over_moves_unfinished_items_once_keeping_history(session, year) -> None:  # type: ignore[no-untyped-def]
    _, start, terugblik, done, busy, _untouched, answer = year
    publisher = RecordingPublisher()
    for item, status in ((done, ItemStatus.gedaan), (busy, ItemStatus.bezig)):
        review.review_item(
            session=session, publisher=publisher, workshop=terugblik, item_id=item.id,
            version=item.version, status=status, lesson=f"les over {item.title}",
        )  # fmt: skip
    made = review.carry_over(session=session, publisher=publisher, workshop=terugblik)
    assert sorted(i.title for i in made) == ["Loopt nog", "Niet aan toegekomen"]
    # The second press carries nothing twice.
    assert review.carry_over(session=session, publisher=publisher, workshop=terugblik) == []
    target = agenda.agenda_of(session=session, workshop_id=terugblik.id)
    assert target is not None and target.school_year == "2027-2028"
    copy = next(i for i in made if i.title == "Loopt nog")
    assert copy.carried_from_item_id == busy.id and copy.status is ItemStatus.bezig
    assert copy.agenda_id == target.id
    # Its history: where it came from, what the terugblik said, and the move itself.
    kinds = [(h.kind, h.workshop_id) for h in _history(session, copy.id)]
    assert kinds == [
        (HistoryKind.created, start.id),
        (HistoryKind.reviewed, terugblik.id),
        (HistoryKind.carried_over, terugblik.id),
    ]
    assert _history(session, copy.id)[1].note == "les over Loopt nog"
    [source] = session.exec(
        select(AgendaItemSource).where(AgendaItemSource.item_id == copy.id)
    ).all()
    assert source.answer_id == answer.id and source.prompt_text
    # The old item stays, marked as carried over.
    assert _history(session, busy.id)[-1].kind is HistoryKind.carried_over


def test_history_survives_deleting_last_years_workshop(session, year) -> None:  # type: ignore[no-untyped-def]
    _, start, terugblik, _, _, _, _ = year
    made = review.carry_over(session=session, publisher=RecordingPublisher(), workshop=terugblik)
    assert len(made) == 3
    copy = made[0]
    session.delete(session.get(Workshop, start.id))
    session.commit()
    session.expire_all()
    kept = session.get(AgendaItem, copy.id)
    assert kept is not None and kept.carried_from_item_id is None
    assert next(h.kind for h in _history(session, copy.id)) is HistoryKind.created


def test_only_items_of_the_reviewed_agenda_can_be_reviewed(session, year, decks) -> None:  # type: ignore[no-untyped-def]
    owner, _, terugblik, _, _, _, _ = year
    own_item = make_item(session, workshop=terugblik, title="Nieuw dit jaar")
    with pytest.raises(NotFound):
        review.review_item(
            session=session, publisher=RecordingPublisher(), workshop=terugblik,
            item_id=own_item.id, version=1, status=ItemStatus.gedaan, lesson=None,
        )  # fmt: skip
    lone = make_workshop(session, owner=owner, decks=decks, title="Zonder terugblik")
    with pytest.raises(Conflict):
        review.carry_over(session=session, publisher=RecordingPublisher(), workshop=lone)


def test_nobody_reviews_an_agenda_they_cannot_facilitate(session, year, decks) -> None:  # type: ignore[no-untyped-def]
    _, start, _, _, _, _, _ = year
    stranger = make_user(session, email="ander@example.nl")
    theirs = make_workshop(session, owner=stranger, decks=decks)
    with pytest.raises(NotFound):
        review.start_review(
            session=session, workshop=theirs, from_workshop_id=start.id, user=stranger
        )


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (None, None),
        (date(2027, 3, 15), date(2028, 3, 15)),
        (date(2026, 9, 1), date(2027, 9, 1)),
        # A date that had already slipped a year stays inside the new school year.
        (date(2025, 10, 1), date(2027, 8, 1)),
        (date(2028, 12, 1), date(2028, 7, 31)),
        (date(2024, 2, 29), date(2027, 8, 1)),
        (date(2028, 2, 29), date(2028, 7, 31)),
    ],
)
def test_carried_due_date_lands_in_the_new_school_year(
    due: date | None, expected: date | None
) -> None:
    assert review.carried_due_date(due, "2027-2028") == expected


def test_carried_items_get_a_date_in_the_new_school_year(session, year) -> None:  # type: ignore[no-untyped-def]
    _, _, terugblik, _done, busy, _untouched, _ = year
    busy.due_date = date(2027, 3, 15)
    session.add(busy)
    session.commit()
    made = review.carry_over(session=session, publisher=RecordingPublisher(), workshop=terugblik)
    copy = next(i for i in made if i.title == "Loopt nog")
    assert copy.due_date == date(2028, 3, 15)
    sheet = load_sheet(session=session, workshop=terugblik, today=date(2027, 9, 1))
    assert [v.id for v in sheet.timeline.outside] == []
