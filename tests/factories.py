"""Factories instead of copied setup: make_user, make_workshop, make_participant, make_item."""

from __future__ import annotations

import secrets
from typing import Any

from sqlmodel import Session, select

from app.agenda_models import AgendaItem, AgendaItemCreate
from app.decks import Deck
from app.events import Event
from app.models import (
    Answer,
    Domain,
    Participant,
    ParticipantCreate,
    User,
    Workshop,
    WorkshopCreate,
    WorkshopKind,
    WorkshopPrompt,
)
from app.services import accounts, agenda, participation, roster, workshops
from app.services.facilitation import Action, apply_action

PASSWORD = "correct horse battery"


class RecordingPublisher:
    """The Publisher interface, keeping what was published so a test can read it."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def publish(self, event: Event) -> None:
        self.events.append(event)


def make_user(session: Session, *, email: str = "begeleider@example.nl") -> User:
    return accounts.create_user(session=session, email=email, password=PASSWORD)


def make_workshop(
    session: Session,
    *,
    owner: User,
    decks: dict[str, Deck],
    deck_slug: str = "nji-beleidsmakers",
    title: str = "Regiobijeenkomst Sociale veiligheid",
    kind: WorkshopKind = WorkshopKind.regional,
    school_year: str = "2026-2027",
) -> Workshop:
    data = WorkshopCreate(title=title, deck_slug=deck_slug, kind=kind, school_year=school_year)
    return workshops.create_workshop(session=session, owner=owner, data=data, decks=decks)


def make_participant(
    session: Session,
    *,
    workshop: Workshop,
    name: str | None = "Sanne",
    organisation: str | None = "OBS De Linde",
    domain: Domain = Domain.onderwijs,
) -> tuple[Participant, str]:
    data = ParticipantCreate(name=name, organisation=organisation, domain=domain)
    return roster.join(
        session=session, publisher=RecordingPublisher(), workshop=workshop, data=data
    )


def open_first_prompt(session: Session, workshop: Workshop) -> Workshop:
    publisher = RecordingPublisher()
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.start)
    return apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.open)


def make_answer(session: Session, *, participant: Participant, text: str) -> Answer:
    """An answer to the workshop's current (open) prompt."""
    workshop = session.get(Workshop, participant.workshop_id)
    assert workshop is not None
    prompt = session.exec(
        select(WorkshopPrompt).where(
            WorkshopPrompt.workshop_id == workshop.id,
            WorkshopPrompt.position == workshop.current_position,
        )
    ).one()
    assert prompt.id is not None
    return participation.submit_answer(
        session=session,
        publisher=RecordingPublisher(),
        participant=participant,
        prompt_id=prompt.id,
        idempotency_key=secrets.token_hex(8),
        text=text,
    ).answer


def make_scale_answers(
    session: Session,
    *,
    workshop: Workshop,
    deck_prompt_id: str,
    values: list[int],
    domain: Domain = Domain.anders,
) -> list[Answer]:
    """Go to one scale prompt, open it, and let one new participant per value answer it."""
    publisher = RecordingPublisher()
    prompt = session.exec(
        select(WorkshopPrompt).where(
            WorkshopPrompt.workshop_id == workshop.id,
            WorkshopPrompt.deck_prompt_id == deck_prompt_id,
        )
    ).one()
    assert prompt.kind == "scale" and prompt.id is not None
    if workshop.current_position is None:
        apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.start)
    apply_action(
        session=session, publisher=publisher, workshop=workshop, action=Action.goto,
        position=prompt.position,
    )  # fmt: skip
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.open)
    out = []
    for value in values:
        person, _token = make_participant(session, workshop=workshop, name=None, domain=domain)
        out.append(
            participation.submit_answer(
                session=session,
                publisher=publisher,
                participant=person,
                prompt_id=prompt.id,
                idempotency_key=secrets.token_hex(8),
                value=value,
            ).answer
        )
    return out


def make_item(
    session: Session, *, workshop: Workshop, title: str = "Visie opschrijven", **fields: Any
) -> AgendaItem:
    data = AgendaItemCreate(title=title, **fields)
    return agenda.create_item(
        session=session, publisher=RecordingPublisher(), workshop=workshop, data=data
    )
