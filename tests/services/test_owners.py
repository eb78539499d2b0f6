"""Owner links: a trekker sees and updates only their own items, until the link is revoked."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from app.agenda_models import HistoryKind, ItemHistory, ItemStatus
from app.decks import Deck
from app.services import owners
from app.services.errors import InvalidInput, NotFound
from app.services.item_changes import StaleEdit
from tests.factories import RecordingPublisher, make_item, make_user, make_workshop


@pytest.fixture
def agenda(session: Session, decks: dict[str, Deck]):  # type: ignore[no-untyped-def]
    workshop = make_workshop(session, owner=make_user(session), decks=decks)
    mine = make_item(session, workshop=workshop, title="Wijkagent op school", owner_name="Ahmed",
                     owner_organisation="Politie")  # fmt: skip
    also_mine = make_item(session, workshop=workshop, title="Spreekuur", owner_name=" ahmed ",
                          owner_organisation="POLITIE")  # fmt: skip
    theirs = make_item(session, workshop=workshop, title="Ouderavond", owner_name="Sanne",
                       owner_organisation="OBS De Linde")  # fmt: skip
    return workshop, mine, also_mine, theirs


def test_a_link_sees_only_its_owners_items(session, agenda) -> None:  # type: ignore[no-untyped-def]
    workshop, mine, also_mine, _ = agenda
    link, token = owners.create_link(
        session=session, workshop=workshop, owner_name="Ahmed", owner_organisation="Politie"
    )
    assert link.token_hash != token and len(token) >= 40
    found = owners.link_by_token(session=session, token=token)
    assert {i.id for i in owners.owner_items(session=session, link=found)} == {
        mine.id,
        also_mine.id,
    }


def test_an_owner_updates_status_and_notes_of_own_items_only(session, agenda) -> None:  # type: ignore[no-untyped-def]
    workshop, mine, _, theirs = agenda
    link, _ = owners.create_link(
        session=session, workshop=workshop, owner_name="Ahmed", owner_organisation="Politie"
    )
    updated = owners.owner_update(
        session=session, publisher=RecordingPublisher(), link=link, item_id=mine.id,
        version=1, status=ItemStatus.bezig, notes="Eerste gesprek gepland",
    )  # fmt: skip
    assert (updated.status, updated.notes, updated.title) == (
        ItemStatus.bezig,
        "Eerste gesprek gepland",
        "Wijkagent op school",
    )
    history = session.exec(
        select(ItemHistory).where(ItemHistory.item_id == mine.id).order_by(col(ItemHistory.id))
    ).all()
    assert [(h.kind, h.note) for h in history[1:]] == [
        (HistoryKind.status_changed, "door de trekker"),
        (HistoryKind.edited, "notes (door de trekker)"),
    ]
    with pytest.raises(NotFound):
        owners.owner_update(
            session=session, publisher=RecordingPublisher(), link=link, item_id=theirs.id,
            version=1, status=ItemStatus.gedaan, notes=None,
        )  # fmt: skip
    with pytest.raises(StaleEdit):
        owners.owner_update(
            session=session, publisher=RecordingPublisher(), link=link, item_id=mine.id,
            version=1, status=ItemStatus.gedaan, notes=None,
        )  # fmt: skip
    session.refresh(theirs)
    assert theirs.status is ItemStatus.open


def test_a_revoked_link_stops_working(session, agenda) -> None:  # type: ignore[no-untyped-def]
    workshop, _, _, _ = agenda
    link, token = owners.create_link(
        session=session, workshop=workshop, owner_name="Sanne", owner_organisation="OBS De Linde"
    )
    owners.revoke_link(session=session, workshop=workshop, link_id=link.id)
    with pytest.raises(NotFound) as exc:
        owners.link_by_token(session=session, token=token)
    assert "werkt niet" in exc.value.message
    with pytest.raises(NotFound):
        owners.link_by_token(session=session, token="verzonnen-token")


def test_a_link_needs_a_name_or_organisation(session, agenda) -> None:  # type: ignore[no-untyped-def]
    workshop, _, _, _ = agenda
    with pytest.raises(InvalidInput):
        owners.create_link(
            session=session, workshop=workshop, owner_name=" ", owner_organisation=None
        )


def test_revoking_needs_the_own_workshop(session, agenda, decks) -> None:  # type: ignore[no-untyped-def]
    workshop, _, _, _ = agenda
    link, token = owners.create_link(
        session=session, workshop=workshop, owner_name="Sanne", owner_organisation=None
    )
    other = make_workshop(session, owner=make_user(session, email="b@example.nl"), decks=decks)
    with pytest.raises(NotFound):
        owners.revoke_link(session=session, workshop=other, link_id=link.id)
    assert owners.link_by_token(session=session, token=token).id == link.id


def test_owners_in_lists_each_trekker_once(session, agenda) -> None:  # type: ignore[no-untyped-def]
    workshop, _, _, _ = agenda
    assert owners.owners_in(session=session, workshop=workshop) == [
        ("Ahmed", "Politie"),
        ("Sanne", "OBS De Linde"),
    ]
