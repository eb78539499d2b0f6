"""CPU cost of each server step, measured in-process with time.process_time.

CPU time is what another process on the machine cannot inflate (much), so these figures stay
meaningful on a busy machine where wall-clock latencies do not.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from app.db import Database
from app.decks import load_decks
from app.events import Event, NullPublisher, Topic
from app.i18n import DEFAULT_LANGUAGE
from app.live.personal import render_private, render_snapshot
from app.live.render import Audience, render_shared, shown_answers
from app.live.state import load_room
from app.models import Domain, Participant, ParticipantCreate, WorkshopCreate, WorkshopKind
from app.services import accounts, participation, roster, workshops
from app.services.facilitation import Action, apply_action
from tests.serverproc import PASSWORD, app_env, run_cli


def _cpu_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()
    t0 = time.process_time()
    for _ in range(repeat):
        fn()
    return (time.process_time() - t0) / repeat * 1000


def step_costs(workdir: Path, *, participants: int, answers: int) -> dict[str, float]:
    url = f"sqlite:///{workdir}/costs.db"
    run_cli(app_env(url, workdir / "data"), "migrate")
    db = Database(url)
    publisher = NullPublisher()
    with db.writing() as s:
        user = accounts.create_user(session=s, email="costs@example.nl", password=PASSWORD)
        data = WorkshopCreate(
            title="Kostenmeting",
            deck_slug="nji-beleidsmakers",
            kind=WorkshopKind.regional,
            school_year="2026-2027",
        )
        workshop = workshops.create_workshop(session=s, owner=user, data=data, decks=load_decks())
        people = [
            roster.join(
                session=s,
                publisher=publisher,
                workshop=workshop,
                data=ParticipantCreate(
                    name=f"Deelnemer {i}", organisation="Org", domain=Domain.onderwijs
                ),
            )[0]
            for i in range(participants)
        ]
        for action in (Action.start, Action.open, Action.reveal):
            workshop = apply_action(
                session=s, publisher=publisher, workshop=workshop, action=action
            )
    assert workshop.id is not None
    wid = workshop.id
    room = None
    with db.reading() as s:
        room = load_room(session=s, workshop_id=wid)
    assert room is not None and room.prompt is not None and room.prompt.id is not None
    prompt_id = room.prompt.id
    counter = iter(range(10**7))

    def submit() -> None:
        i = next(counter)
        with db.writing() as s:
            person = s.get(Participant, people[i % len(people)].id)
            assert person is not None
            participation.submit_answer(
                session=s,
                publisher=publisher,
                participant=person,
                prompt_id=prompt_id,
                idempotency_key=f"cost-{i:07d}",
                text=f"Een antwoord van gemiddelde lengte over samenwerking, nummer {i}",
            )

    costs = {"submit_answer (one write transaction)": _cpu_ms(submit, 50)}
    while next(counter) < answers:
        submit()

    def load() -> object:
        with db.reading() as s:
            return load_room(session=s, workshop_id=wid)

    costs[f"load_room ({participants} people, {answers} answers)"] = _cpu_ms(load, 20)

    def load_for_push() -> object:
        with db.reading() as s:
            return load_room(session=s, workshop_id=wid, with_agenda=False)

    costs["load_room for an answers push (no doe-agenda)"] = _cpu_ms(load_for_push, 20)
    room = load()
    assert room is not None
    pid = people[0].id
    assert pid is not None
    topics = frozenset({Topic.answers})
    lang = DEFAULT_LANGUAGE
    for audience in (Audience.facilitator, Audience.projector, Audience.participant):
        costs[f"render whole answers fragment for {audience.value}s"] = _cpu_ms(
            lambda a=audience: render_shared(room, a, topics, lang),
            20,  # type: ignore[misc]
        )
        size = len(render_shared(room, audience, topics, lang).encode())
        costs[f"  size of that fragment (KiB) for {audience.value}s"] = size / 1024
        before = shown_answers(room, audience)
        if not before:
            continue  # a phone in a big room gets its short fragment whole
        # What a push costs now: the changes since the list without its newest answer.
        costs[f"render answers push (one new answer) for {audience.value}s"] = _cpu_ms(
            lambda a=audience, b=before[:-1]: render_shared(room, a, topics, lang, since=b),
            50,  # type: ignore[misc]
        )
        size = len(render_shared(room, audience, topics, lang, since=before[:-1]).encode())
        costs[f"  size of that push (KiB) for {audience.value}s"] = size / 1024
    costs["render one participant's own answers"] = _cpu_ms(
        lambda: render_private(room, pid, with_form=False, lang=lang), 50
    )
    costs["render a participant snapshot (on connect)"] = _cpu_ms(
        lambda: render_snapshot(room, Audience.participant, pid, lang), 20
    )
    db.dispose()
    return costs


class _Recorder:
    def __init__(self, events: list[Event]) -> None:
        self.events = events

    def publish(self, event: Event) -> None:
        self.events.append(event)


def _flush_cpu_ms(db: Database, wid: int, people: list[int], prompt_id: int, start: int) -> float:
    """CPU ms of one hub flush after one new answer, with a phone, console and projector for
    each person (their queues drained, never sent): the render, the reads and the queueing."""
    from app.live.broadcast import MemoryBroadcast
    from app.live.client import Client
    from app.live.hub import Hub

    async def measure() -> float:
        hub = Hub(db=db, broadcast=MemoryBroadcast(), tick=0.0)
        clients = [
            Client(None, workshop_id=wid, audience=Audience.participant, participant_id=pid)  # type: ignore[arg-type]
            for pid in people
        ]
        clients += [
            Client(None, workshop_id=wid, audience=a)  # type: ignore[arg-type]
            for a in (Audience.facilitator, Audience.projector)
        ]
        for client in clients:
            hub._clients.setdefault(wid, set()).add(client)
        spent = 0.0
        rounds = 30
        for i in range(rounds + 3):
            pid = people[i % len(people)]
            events: list[Event] = []
            with db.writing() as s:
                person = s.get(Participant, pid)
                assert person is not None
                participation.submit_answer(
                    session=s,
                    publisher=_Recorder(events),
                    participant=person,
                    prompt_id=prompt_id,
                    idempotency_key=f"flush-{start + i:07d}",
                    text=f"Nog een antwoord over samenwerking in de wijk, nummer {i}",
                )
            (event,) = events
            t0 = time.process_time()
            hub.on_event(event)
            task = hub._flushers.get(wid)
            if task is not None:
                await task
            if i >= 3:  # the first flushes send lists whole: warm-up
                spent += time.process_time() - t0
            for client in clients:
                client.take_queued()
        return spent / rounds * 1000

    return asyncio.run(measure())


def _ack_costs(db: Database, wid: int, people: list[int], prompt_id: int) -> dict[str, float]:
    """An answer's write and its acknowledgement: read again afterwards (as before) against
    rendered from the receipt its write transaction read."""
    from app.live.ack import render_receipt
    from app.live.broadcast import MemoryBroadcast
    from app.live.hub import Hub
    from app.services.receipts import Receipt

    hub = Hub(db=db, broadcast=MemoryBroadcast(), tick=0.0)
    counter = iter(range(10**7))

    def answer(receipts: list[Receipt] | None) -> int:
        i = next(counter)
        pid = people[i % len(people)]
        with db.writing() as s:
            person = s.get(Participant, pid)
            assert person is not None
            participation.submit_answer(
                session=s,
                publisher=NullPublisher(),
                participant=person,
                prompt_id=prompt_id,
                idempotency_key=f"ack-{i:07d}",
                text=f"Een antwoord over de samenwerking, nummer {i}",
                receipts=receipts,
            )
        return pid

    def read_again() -> None:
        pid = answer(None)
        hub.render_private_now(wid, pid, with_form=True, lang=DEFAULT_LANGUAGE)

    def from_receipt() -> None:
        receipts: list[Receipt] = []
        answer(receipts)
        render_receipt(receipts[0], with_form=True, lang=DEFAULT_LANGUAGE)

    return {
        "answer + acknowledgement read again in a second session": _cpu_ms(read_again, 60),
        "answer + acknowledgement from the write transaction's receipt": _cpu_ms(from_receipt, 60),
    }


def flush_costs(
    workdir: Path, *, participants: int = 500, sizes: tuple[int, ...] = (50, 500, 3000)
) -> dict[str, float]:
    """CPU per flush with 50, 500 and 3,000 answers already on the prompt (the last is where
    a 60 s phase at 50/s ends): must be about flat."""
    url = f"sqlite:///{workdir}/flush.db"
    run_cli(app_env(url, workdir / "data"), "migrate")
    db = Database(url)
    publisher = NullPublisher()
    with db.writing() as s:
        user = accounts.create_user(session=s, email="flush@example.nl", password=PASSWORD)
        data = WorkshopCreate(
            title="Flushmeting",
            deck_slug="nji-beleidsmakers",
            kind=WorkshopKind.regional,
            school_year="2026-2027",
        )
        workshop = workshops.create_workshop(session=s, owner=user, data=data, decks=load_decks())
        people = [
            roster.join(
                session=s,
                publisher=publisher,
                workshop=workshop,
                data=ParticipantCreate(
                    name=f"Deelnemer {i}", organisation="Org", domain=Domain.onderwijs
                ),
            )[0].id
            for i in range(participants)
        ]
        for action in (Action.start, Action.open, Action.reveal):
            workshop = apply_action(
                session=s, publisher=publisher, workshop=workshop, action=action
            )
    assert workshop.id is not None
    wid = workshop.id
    with db.reading() as s:
        room = load_room(session=s, workshop_id=wid)
    assert room is not None and room.prompt is not None and room.prompt.id is not None
    prompt_id = room.prompt.id
    ids = [p for p in people if p is not None]
    costs: dict[str, float] = {}
    done = 0
    for target in sizes:
        while done < target:
            with db.writing() as s:
                person = s.get(Participant, ids[done % len(ids)])
                assert person is not None
                participation.submit_answer(
                    session=s,
                    publisher=publisher,
                    participant=person,
                    prompt_id=prompt_id,
                    idempotency_key=f"fill-{done:07d}",
                    text=f"Een antwoord van gemiddelde lengte over samenwerking, nummer {done}",
                )
            done += 1
        costs[f"hub flush of one new answer, {target} answers on the prompt"] = _flush_cpu_ms(
            db, wid, ids, prompt_id, start=target * 100
        )
        done += 33
    costs.update(_ack_costs(db, wid, ids, prompt_id))
    db.dispose()
    return costs


if __name__ == "__main__":
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        which = sys.argv[1] if len(sys.argv) > 1 else "flush"
        if which == "flush":
            figures = flush_costs(Path(tmp))
        else:
            figures = step_costs(Path(tmp), participants=500, answers=500)
        for what, value in figures.items():
            sys.stdout.write(f"{value:9.2f}  {what}\n")
