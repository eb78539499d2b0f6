"""One known doe-agenda, the same on every run and every database, for golden-file tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from app.agenda_models import AgendaItem, AgendaLevel, ItemStatus
from app.decks import Deck
from app.models import Domain, Workshop
from app.services import agenda
from app.services.agenda_sheet import AgendaSheet, load_sheet
from tests.factories import (
    RecordingPublisher,
    make_item,
    make_participant,
    make_user,
    make_workshop,
)

GOLDEN = Path(__file__).parent / "golden"
TODAY = date(2026, 12, 1)
SCRIPT = "<script>alert(1)</script>"
FORMULA_TITLE = "=SOM(1;2) telt niet"


@pytest.fixture
def known(session: Session, decks: dict[str, Deck]) -> Workshop:
    workshop = make_workshop(session, owner=make_user(session), decks=decks)
    workshop.created_at = datetime(2026, 9, 15, 10, 0, tzinfo=UTC)
    session.add(workshop)
    session.commit()
    for org, domain in (
        ("OBS De Linde", Domain.onderwijs),
        ("Politie Midden-Nederland", Domain.politie),
        ("Gemeente Utrecht", Domain.gemeente),
        ("obs de linde", Domain.onderwijs),
    ):
        make_participant(session, workshop=workshop, organisation=org, domain=domain)
    agenda.set_dates(
        session=session,
        publisher=RecordingPublisher(),
        workshop=workshop,
        start_date=date(2026, 9, 1),
        checkin_date=date(2027, 1, 20),
        review_date=date(2027, 6, 24),
    )
    make_item(
        session, workshop=workshop, title="Gedeelde visie op sociale veiligheid opschrijven",
        description="Met team en ouders; één A4.\nDaarna delen met de gemeente.",
        owner_name="Sanne", owner_organisation="OBS De Linde", due_date=date(2026, 11, 1),
        theme_key="1", theme_title="Visie en ambitie", level=AgendaLevel.sterke_basis,
    )  # fmt: skip
    formula = make_item(
        session, workshop=workshop, title=FORMULA_TITLE, description="+31 6 12345678",
        owner_name="-Ahmed", owner_organisation="@Gemeente", due_date=date(2027, 2, 10),
        theme_key="2", theme_title="Samenwerking", level=AgendaLevel.preventief,
        notes="@team bellen",
    )  # fmt: skip
    make_item(
        session, workshop=workshop, title=SCRIPT, owner_organisation="Politie Midden-Nederland",
        due_date=date(2027, 3, 15), theme_key="2", theme_title="Samenwerking",
        level=AgendaLevel.incidenten,
    )  # fmt: skip
    make_item(session, workshop=workshop, title="Nog uitzoeken: wie belt de leerplicht?")
    stored = session.get(AgendaItem, formula.id)
    assert stored is not None
    stored.votes, stored.status = 2, ItemStatus.open
    session.add(stored)
    session.commit()
    return workshop


@pytest.fixture
def sheet(session: Session, known: Workshop) -> AgendaSheet:
    return load_sheet(session=session, workshop=known, today=TODAY)


def golden(name: str) -> bytes:
    return (GOLDEN / name).read_bytes()
