"""A change committed in another thread whose event has not reached the hub yet: the flush
waits a moment for it instead of reading the whole room, and reads whole only if it never
comes. Either way the push carries every committed answer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlmodel import select

from app.db import Database
from app.decks import Deck
from app.events import Event, Topic
from app.live import frames
from app.live.broadcast import MemoryBroadcast
from app.live.client import Client
from app.live.hub import Hub
from app.live.render import Audience
from app.models import Participant, WorkshopPrompt
from app.services import participation
from tests.factories import (
    RecordingPublisher,
    make_participant,
    make_user,
    make_workshop,
    open_first_prompt,
)


def _room(db: Database, decks: dict[str, Deck]) -> tuple[int, int, list[int]]:
    with db.writing() as session:
        workshop = make_workshop(session, owner=make_user(session), decks=decks)
        people = [
            make_participant(session, workshop=workshop, name=name)[0].id
            for name in ("Sanne", "Ahmed")
        ]
        workshop = open_first_prompt(session, workshop)
        prompt = session.exec(
            select(WorkshopPrompt).where(
                WorkshopPrompt.workshop_id == workshop.id,
                WorkshopPrompt.position == workshop.current_position,
            )
        ).one()
        assert workshop.id is not None and prompt.id is not None
        return workshop.id, prompt.id, [p for p in people if p is not None]


def _answer(db: Database, pid: int, prompt_id: int, text: str) -> Event:
    publisher = RecordingPublisher()
    with db.writing() as session:
        person = session.get(Participant, pid)
        assert person is not None
        participation.submit_answer(
            session=session,
            publisher=publisher,
            participant=person,
            prompt_id=prompt_id,
            idempotency_key=f"in-flight-{pid}-{len(text):04d}",
            text=text,
        )
    (event,) = publisher.events
    return event


async def _settle(hub: Hub) -> None:
    while hub._tasks:
        await asyncio.wait(set(hub._tasks))


def _queued(client: Client) -> list[str]:
    return client.take_queued()


def _count_whole_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reads: list[int] = []
    real: Callable[..., object] = frames.load_room

    def counted(**kwargs: object) -> object:
        reads.append(1)
        return real(**kwargs)

    monkeypatch.setattr(frames, "load_room", counted)
    return reads


def test_a_flush_waits_for_the_event_still_on_its_way(
    db: Database, decks: dict[str, Deck], monkeypatch: pytest.MonkeyPatch
) -> None:
    wid, prompt_id, (sanne, ahmed) = _room(db, decks)
    reads = _count_whole_reads(monkeypatch)

    async def run() -> tuple[list[str], list[str]]:
        hub = Hub(db=db, broadcast=MemoryBroadcast(), tick=0.0)
        console = Client(None, workshop_id=wid, audience=Audience.facilitator)  # type: ignore[arg-type]
        hub._clients[wid] = {console}
        hub._mark(wid, set(Topic), set(), everyone=True)
        await _settle(hub)
        assert len(reads) == 1  # the first flush reads the room whole; the hub holds it
        _queued(console)
        first = _answer(db, sanne, prompt_id, "Een vaste contactpersoon per school")
        second = _answer(db, ahmed, prompt_id, "Samen de signalen bespreken")
        hub.on_event(second)  # the first answer's event is still on its way
        await asyncio.sleep(0.002)
        before = _queued(console)
        hub.on_event(first)
        await _settle(hub)
        return before, _queued(console)

    before, after = asyncio.run(run())
    assert before == []  # nothing pushed that would miss the first answer
    assert len(after) == 1
    assert "Een vaste contactpersoon per school" in after[0]
    assert "Samen de signalen bespreken" in after[0]
    assert len(reads) == 1  # followed from the two events, not read whole again


def test_an_event_that_never_comes_means_reading_the_room_whole(
    db: Database, decks: dict[str, Deck], monkeypatch: pytest.MonkeyPatch
) -> None:
    wid, prompt_id, (sanne, ahmed) = _room(db, decks)
    reads = _count_whole_reads(monkeypatch)

    async def run() -> list[str]:
        hub = Hub(db=db, broadcast=MemoryBroadcast(), tick=0.0)
        console = Client(None, workshop_id=wid, audience=Audience.facilitator)  # type: ignore[arg-type]
        hub._clients[wid] = {console}
        hub._mark(wid, set(Topic), set(), everyone=True)
        await _settle(hub)
        _queued(console)
        _answer(db, sanne, prompt_id, "Een vaste contactpersoon per school")  # event lost
        hub.on_event(_answer(db, ahmed, prompt_id, "Samen de signalen bespreken"))
        await _settle(hub)
        return _queued(console)

    pushed = asyncio.run(run())
    assert len(reads) == 2  # after waiting MAX_WAITS times, the room is read whole
    assert len(pushed) == 1
    assert "Een vaste contactpersoon per school" in pushed[0]
    assert "Samen de signalen bespreken" in pushed[0]
