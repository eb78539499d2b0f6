"""Anonymous workshops, retention and purging with injected dates, deleting a workshop."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from app.decks import Deck
from app.models import (
    Answer,
    Participant,
    Reaction,
    User,
    Workshop,
    WorkshopCreate,
    WorkshopFacilitator,
    WorkshopKind,
    WorkshopPrompt,
)
from app.services import participation, privacy, workshops
from app.services.errors import Forbidden, InvalidInput, PersonalDataSuspected
from app.services.facilitation import Action, apply_action
from tests.conftest import BACKEND
from tests.factories import (
    RecordingPublisher,
    make_answer,
    make_participant,
    make_user,
    open_first_prompt,
)


def new_workshop(
    session: Session,
    owner: User,
    decks: dict[str, Deck],
    *,
    school_year: str = "2025-2026",
    retention_days: int = 90,
    anonymous: bool = False,
) -> Workshop:
    data = WorkshopCreate(
        title="Regiobijeenkomst",
        deck_slug="nji-beleidsmakers",
        kind=WorkshopKind.regional,
        school_year=school_year,
        anonymous=anonymous,
        retention_days=retention_days,
    )
    return workshops.create_workshop(session=session, owner=owner, data=data, decks=decks)


def answered(session: Session, workshop: Workshop) -> tuple[Participant, Participant]:
    """Two participants, an answer each, and a +1 from one on the other's answer."""
    open_first_prompt(session, workshop)
    publisher = RecordingPublisher()
    sanne, _ = make_participant(session, workshop=workshop, name="Sanne")
    ahmed, _ = make_participant(session, workshop=workshop, name="Ahmed")
    prompt = session.exec(
        select(WorkshopPrompt).where(
            WorkshopPrompt.workshop_id == workshop.id, WorkshopPrompt.position == 0
        )
    ).one()
    assert prompt.id is not None
    first = participation.submit_answer(
        session=session,
        publisher=publisher,
        participant=sanne,
        prompt_id=prompt.id,
        idempotency_key="key-sanne-1",
        text="Meer overleg met de wijkagent",
    )
    participation.submit_answer(
        session=session,
        publisher=publisher,
        participant=ahmed,
        prompt_id=prompt.id,
        idempotency_key="key-ahmed-1",
        text="Leerling Jan belde 06-12345678",
        confirm_personal_data=True,
    )
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.reveal)
    assert first.answer.id is not None
    participation.react(
        session=session, publisher=publisher, participant=ahmed, answer_id=first.answer.id
    )
    return sanne, ahmed


def count(session: Session, model: type[SQLModel], workshop_id: int) -> int:
    if model is Reaction:
        query = (
            select(func.count())
            .select_from(Reaction)
            .join(Answer, Answer.id == Reaction.answer_id)  # type: ignore[arg-type]
            .where(Answer.workshop_id == workshop_id)
        )
    elif model is Workshop:
        query = select(func.count()).select_from(Workshop).where(Workshop.id == workshop_id)
    else:
        column = model.workshop_id  # type: ignore[attr-defined]
        query = select(func.count()).select_from(model).where(column == workshop_id)
    return int(session.exec(query).one())


def test_the_purge_date_is_retention_days_after_31_july() -> None:
    workshop = Workshop(
        title="x",
        deck_slug="x",
        school_year="2026-2027",
        owner_id=1,
        join_code="ABC",
        retention_days=90,
    )
    assert privacy.school_year_end("2026-2027") == date(2027, 7, 31)
    # 31 July + 90 days is 29 October: kept through that day, purged from the next.
    assert privacy.purge_date(workshop) == date(2027, 10, 30)
    workshop.retention_days = 0
    assert privacy.purge_date(workshop) == date(2027, 8, 1)


def test_a_confirmed_answer_is_stored_with_its_kinds_and_an_unconfirmed_one_not_at_all(
    session: Session, decks: dict[str, Deck]
) -> None:
    workshop = new_workshop(session, make_user(session), decks)
    open_first_prompt(session, workshop)
    person, _ = make_participant(session, workshop=workshop)
    prompt_id = session.exec(
        select(WorkshopPrompt.id).where(WorkshopPrompt.workshop_id == workshop.id)
    ).first()
    assert prompt_id is not None
    kwargs = {
        "session": session,
        "publisher": RecordingPublisher(),
        "participant": person,
        "prompt_id": prompt_id,
        "idempotency_key": "key-pii-0001",
        "text": "Mail de moeder via ouder@example.nl",
    }
    with pytest.raises(PersonalDataSuspected) as exc:
        participation.submit_answer(**kwargs)  # type: ignore[arg-type]
    assert exc.value.kinds == ["email"]
    assert exc.value.status == 422
    assert count(session, Answer, workshop.id or 0) == 0
    stored = participation.submit_answer(**kwargs, confirm_personal_data=True)  # type: ignore[arg-type]
    assert stored.answer.pii_reasons == "email"
    # Editing to something harmless clears the flag; to something personal needs consent again.
    assert stored.answer.id is not None
    edit = {
        "session": session,
        "publisher": RecordingPublisher(),
        "participant": person,
        "answer_id": stored.answer.id,
    }
    edited = participation.edit_answer(**edit, text="Mail de ouders via school")  # type: ignore[arg-type]
    assert edited.pii_reasons is None
    with pytest.raises(PersonalDataSuspected):
        participation.edit_answer(**edit, text="BSN 111222333")  # type: ignore[arg-type]


def test_an_anonymous_workshop_stores_no_names(session: Session, decks: dict[str, Deck]) -> None:
    owner = make_user(session)
    workshop = new_workshop(session, owner, decks, anonymous=True)
    person, _ = make_participant(session, workshop=workshop, name="Sanne")
    assert person.name is None
    assert person.organisation == "OBS De Linde"


def test_turning_anonymity_on_forgets_names_given_so_far(
    session: Session, decks: dict[str, Deck]
) -> None:
    owner = make_user(session)
    co = make_user(session, email="mede@example.nl")
    workshop = new_workshop(session, owner, decks)
    make_participant(session, workshop=workshop, name="Sanne")
    workshops.add_cofacilitator(session=session, workshop=workshop, by=owner, email=co.email)
    with pytest.raises(Forbidden):
        privacy.update_settings(
            session=session,
            publisher=RecordingPublisher(),
            workshop=workshop,
            by=co,
            anonymous=True,
            retention_days=30,
        )
    with pytest.raises(InvalidInput, match="Bewaartermijn"):
        privacy.update_settings(
            session=session,
            publisher=RecordingPublisher(),
            workshop=workshop,
            by=owner,
            anonymous=True,
            retention_days=-1,
        )
    session.rollback()
    privacy.update_settings(
        session=session,
        publisher=RecordingPublisher(),
        workshop=workshop,
        by=owner,
        anonymous=True,
        retention_days=30,
    )
    names = session.exec(select(Participant.name).where(Participant.workshop_id == workshop.id))
    assert list(names) == [None]
    assert workshop.retention_days == 30


def test_purge_removes_answers_reactions_and_names_only_past_retention(
    session: Session, decks: dict[str, Deck]
) -> None:
    owner = make_user(session)
    old = new_workshop(session, owner, decks, school_year="2025-2026", retention_days=30)
    recent = new_workshop(session, owner, decks, school_year="2026-2027")
    answered(session, old)
    answered(session, recent)
    assert old.id is not None and recent.id is not None
    publisher = RecordingPublisher()
    # 31 July 2026 + 30 days = 30 August: still kept that day.
    assert (
        privacy.purge_expired(session=session, publisher=publisher, today=date(2026, 8, 30)) == []
    )
    now = datetime(2026, 9, 1, 3, 0, tzinfo=UTC)
    done = privacy.purge_expired(
        session=session, publisher=publisher, today=date(2026, 8, 31), now=now
    )
    assert [p.workshop_id for p in done] == [old.id]
    for model in (Answer, Reaction):
        assert count(session, model, old.id) == 0
        assert count(session, model, recent.id) > 0
    people = session.exec(select(Participant).where(Participant.workshop_id == old.id)).all()
    assert len(people) == 2
    assert {(p.name, p.organisation) for p in people} == {(None, None)}
    # The workshop and its prompts stay, marked as purged; a second run does nothing.
    session.refresh(old)
    assert old.purged_at == now
    assert count(session, WorkshopPrompt, old.id) > 0
    assert privacy.purge_expired(session=session, publisher=publisher, today=date(2027, 1, 1)) == []
    assert any(e.workshop_id == old.id for e in publisher.events)


def test_deleting_a_workshop_removes_every_row_in_it(
    session: Session, decks: dict[str, Deck]
) -> None:
    owner = make_user(session)
    co = make_user(session, email="mede@example.nl")
    doomed = new_workshop(session, owner, decks)
    kept = new_workshop(session, owner, decks)
    workshops.add_cofacilitator(session=session, workshop=doomed, by=owner, email=co.email)
    answered(session, doomed)
    answered(session, kept)
    assert doomed.id is not None and kept.id is not None
    with pytest.raises(Forbidden):
        privacy.delete_workshop(session=session, workshop=doomed, by=co)
    models: list[type[SQLModel]] = [
        Workshop,
        WorkshopPrompt,
        WorkshopFacilitator,
        Participant,
        Answer,
        Reaction,
    ]
    assert all(count(session, m, doomed.id) > 0 for m in models)
    privacy.delete_workshop(session=session, workshop=doomed, by=owner)
    session.expire_all()
    assert {m.__name__: count(session, m, doomed.id) for m in models} == dict.fromkeys(
        (m.__name__ for m in models), 0
    )
    assert all(count(session, m, kept.id) > 0 for m in models if m is not WorkshopFacilitator)
    # The accounts themselves are not part of the workshop.
    assert session.get(User, co.id) is not None


def _files_hold(database_url: str, needle: bytes) -> list[str]:
    """Which of the SQLite database's files still contain `needle`, byte for byte."""
    path = Path(database_url.removeprefix("sqlite:///"))
    files = [path, path.with_name(path.name + "-wal")]
    return [f.name for f in files if f.exists() and needle in f.read_bytes()]


@pytest.mark.skipif(BACKEND != "sqlite", reason="the WAL is SQLite's")
@pytest.mark.parametrize("erase", ["purge", "delete"])
def test_erased_words_do_not_linger_in_the_sqlite_files(
    session: Session, decks: dict[str, Deck], database_url: str, erase: str
) -> None:
    owner = make_user(session)
    workshop = new_workshop(session, owner, decks)
    open_first_prompt(session, workshop)
    person, _ = make_participant(session, workshop=workshop, name="Sanne")
    secret = "Zorgen over de leerling uit groep 7 GEHEIM-4f9c2a"
    make_answer(session, participant=person, text=secret)
    assert _files_hold(database_url, b"GEHEIM-4f9c2a")
    if erase == "purge":
        privacy.purge_workshop(session=session, publisher=RecordingPublisher(), workshop=workshop)
    else:
        privacy.delete_workshop(session=session, workshop=workshop, by=owner)
    assert _files_hold(database_url, b"GEHEIM-4f9c2a") == []


def test_a_withdrawn_answer_loses_its_words(session: Session, decks: dict[str, Deck]) -> None:
    workshop = new_workshop(session, make_user(session), decks)
    open_first_prompt(session, workshop)
    person, _ = make_participant(session, workshop=workshop, name="Sanne")
    answer = make_answer(session, participant=person, text="Toch liever niet gezegd")
    assert answer.id is not None
    participation.withdraw_answer(
        session=session, publisher=RecordingPublisher(), participant=person, answer_id=answer.id
    )
    session.expire_all()
    stored = session.get(Answer, answer.id)
    assert stored is not None and stored.withdrawn
    assert stored.text is None and stored.pii_reasons is None
