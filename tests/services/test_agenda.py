"""Actiepunten: made from answers or fresh, edited with a version check, listed by votes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, col, select

from app.agenda_models import (
    AgendaItem,
    AgendaItemCreate,
    AgendaItemSource,
    AgendaItemUpdate,
    AgendaLevel,
    HistoryKind,
    ItemHistory,
    ItemStatus,
)
from app.decks import Deck
from app.events import Topic
from app.services import agenda
from app.services.errors import InvalidInput, NotFound
from app.services.item_changes import StaleEdit
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
def workshop(session: Session, decks: dict[str, Deck]):  # type: ignore[no-untyped-def]
    return make_workshop(session, owner=make_user(session), decks=decks)


def _history(session: Session, item_id: int) -> list[ItemHistory]:
    return list(
        session.exec(
            select(ItemHistory).where(ItemHistory.item_id == item_id).order_by(col(ItemHistory.id))
        ).all()
    )


def test_an_item_made_from_answers_keeps_prompt_and_theme(session, workshop) -> None:  # type: ignore[no-untyped-def]
    open_first_prompt(session, workshop)
    sanne, _ = make_participant(session, workshop=workshop)
    ahmed, _ = make_participant(session, workshop=workshop, name="Ahmed")
    first = make_answer(session, participant=sanne, text="Geen gedeelde visie")
    second = make_answer(session, participant=ahmed, text="Visie ontbreekt")
    publisher = RecordingPublisher()
    item = agenda.create_item(
        session=session,
        publisher=publisher,
        workshop=workshop,
        data=AgendaItemCreate(title="  Visie opschrijven ", answer_ids=[first.id, second.id]),
    )
    assert item.title == "Visie opschrijven"
    assert item.theme_key == "1" and item.theme_title
    sources = session.exec(
        select(AgendaItemSource).where(AgendaItemSource.item_id == item.id)
    ).all()
    assert {s.answer_id for s in sources} == {first.id, second.id}
    assert all(s.prompt_text and s.theme_title == item.theme_title for s in sources)
    [event] = publisher.events
    assert event.topics == frozenset({Topic.agenda})
    assert [h.kind for h in _history(session, item.id)] == [HistoryKind.created]  # type: ignore[arg-type]


def test_answers_of_another_workshop_are_refused(session, workshop, decks) -> None:  # type: ignore[no-untyped-def]
    other = make_workshop(session, owner=make_user(session, email="b@example.nl"), decks=decks)
    open_first_prompt(session, other)
    stranger, _ = make_participant(session, workshop=other)
    answer = make_answer(session, participant=stranger, text="Elders gezegd")
    with pytest.raises(NotFound):
        agenda.create_item(
            session=session,
            publisher=RecordingPublisher(),
            workshop=workshop,
            data=AgendaItemCreate(title="Gekaapt", answer_ids=[answer.id]),
        )
    assert session.exec(select(AgendaItem)).all() == []


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_a_title_is_required_and_limited(session, workshop, title: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as exc:
        agenda.create_item(
            session=session,
            publisher=RecordingPublisher(),
            workshop=workshop,
            data=AgendaItemCreate.model_construct(title=title, answer_ids=[]),
        )
    assert "titel" in exc.value.message.lower()


def test_an_edit_bumps_the_version_and_records_history(session, workshop) -> None:  # type: ignore[no-untyped-def]
    item = make_item(session, workshop=workshop)
    edited = agenda.edit_item(
        session=session,
        publisher=RecordingPublisher(),
        workshop=workshop,
        item_id=item.id,
        data=AgendaItemUpdate(
            version=1, owner_name="Ahmed", due_date=date(2027, 3, 1), status=ItemStatus.bezig
        ),
    )
    assert edited.version == 2
    assert (edited.owner_name, edited.due_date, edited.status) == (
        "Ahmed",
        date(2027, 3, 1),
        ItemStatus.bezig,
    )
    kinds = [h.kind for h in _history(session, item.id)]
    assert kinds == [HistoryKind.created, HistoryKind.status_changed, HistoryKind.edited]


def test_a_stale_edit_is_refused_and_changes_nothing(session, workshop) -> None:  # type: ignore[no-untyped-def]
    item = make_item(session, workshop=workshop, level=AgendaLevel.preventief)
    publisher = RecordingPublisher()
    # Two facilitators opened version 1; the first one saves.
    agenda.edit_item(
        session=session,
        publisher=publisher,
        workshop=workshop,
        item_id=item.id,
        data=AgendaItemUpdate(version=1, title="Eerste versie"),
    )
    with pytest.raises(StaleEdit) as exc:
        agenda.edit_item(
            session=session,
            publisher=publisher,
            workshop=workshop,
            item_id=item.id,
            data=AgendaItemUpdate(version=1, title="Tweede versie", level=None),
        )
    assert exc.value.status == 409
    assert exc.value.message.startswith("Dit actiepunt is intussen door iemand anders gewijzigd.")
    session.expire_all()
    stored = session.get(AgendaItem, item.id)
    assert stored is not None
    assert (stored.title, stored.level, stored.version) == (
        "Eerste versie",
        AgendaLevel.preventief,
        2,
    )
    assert len(publisher.events) == 1


def test_sending_null_clears_an_optional_field_but_not_the_title(session, workshop) -> None:  # type: ignore[no-untyped-def]
    item = make_item(session, workshop=workshop, owner_name="Sanne", due_date=date(2027, 1, 5))
    edited = agenda.edit_item(
        session=session,
        publisher=RecordingPublisher(),
        workshop=workshop,
        item_id=item.id,
        data=AgendaItemUpdate(version=1, due_date=None),
    )
    assert edited.due_date is None and edited.owner_name == "Sanne"
    with pytest.raises(InvalidInput):
        agenda.edit_item(
            session=session,
            publisher=RecordingPublisher(),
            workshop=workshop,
            item_id=item.id,
            data=AgendaItemUpdate(version=2, title=None),
        )


def test_items_of_another_workshop_cannot_be_edited_or_deleted(session, workshop, decks) -> None:  # type: ignore[no-untyped-def]
    other = make_workshop(session, owner=make_user(session, email="b@example.nl"), decks=decks)
    item = make_item(session, workshop=other)
    with pytest.raises(NotFound):
        agenda.edit_item(
            session=session,
            publisher=RecordingPublisher(),
            workshop=workshop,
            item_id=item.id,
            data=AgendaItemUpdate(version=1, title="Niet van jou"),
        )
    with pytest.raises(NotFound):
        agenda.delete_item(
            session=session, publisher=RecordingPublisher(), workshop=workshop, item_id=item.id
        )
    assert session.get(AgendaItem, item.id) is not None


def test_delete_checks_the_version_when_given(session, workshop) -> None:  # type: ignore[no-untyped-def]
    item = make_item(session, workshop=workshop)
    with pytest.raises(StaleEdit):
        agenda.delete_item(
            session=session,
            publisher=RecordingPublisher(),
            workshop=workshop,
            item_id=item.id,
            version=7,
        )
    agenda.delete_item(
        session=session, publisher=RecordingPublisher(), workshop=workshop, item_id=item.id
    )
    assert session.get(AgendaItem, item.id) is None


def test_the_list_is_sorted_by_votes_then_due_date(session, workshop) -> None:  # type: ignore[no-untyped-def]
    late = make_item(session, workshop=workshop, title="Laat", due_date=date(2027, 6, 1))
    early = make_item(session, workshop=workshop, title="Vroeg", due_date=date(2026, 9, 1))
    popular = make_item(session, workshop=workshop, title="Populair")
    popular.votes = 3
    session.add(popular)
    session.commit()
    titles = [i.title for i in agenda.items_of_workshop(session=session, workshop_id=workshop.id)]
    assert titles == ["Populair", "Vroeg", "Laat"]
    assert {late.id, early.id} <= {
        i.id for i in agenda.items_of_workshop(session=session, workshop_id=workshop.id)
    }


def test_agenda_dates_must_follow_each_other(session, workshop) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput):
        agenda.set_dates(
            session=session,
            publisher=RecordingPublisher(),
            workshop=workshop,
            start_date=date(2026, 9, 1),
            checkin_date=date(2026, 8, 1),
            review_date=None,
        )
    saved = agenda.set_dates(
        session=session,
        publisher=RecordingPublisher(),
        workshop=workshop,
        start_date=date(2026, 9, 1),
        checkin_date=date(2027, 1, 15),
        review_date=date(2027, 6, 20),
    )
    assert saved.school_year == "2026-2027"
    assert saved.review_date == date(2027, 6, 20)
