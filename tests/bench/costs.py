"""CPU cost of each server step, measured in-process with time.process_time.

CPU time is what another process on the machine cannot inflate (much), so these figures stay
meaningful on a busy machine where wall-clock latencies do not.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from app.db import Database
from app.decks import load_decks
from app.events import NullPublisher, Topic
from app.i18n import DEFAULT_LANGUAGE
from app.live.render import (
    Audience,
    render_private,
    render_shared,
    render_snapshot,
    shown_answers,
)
from app.live.state import load_room
from app.models import Participant, ParticipantCreate, WorkshopCreate, WorkshopKind
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
                data=ParticipantCreate(name=f"Deelnemer {i}", organisation="Org"),
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
    for audience in Audience:
        costs[f"render whole answers fragment for {audience.value}s"] = _cpu_ms(
            lambda a=audience: render_shared(room, a, topics, lang),
            20,  # type: ignore[misc]
        )
        size = len(render_shared(room, audience, topics, lang).encode())
        costs[f"  size of that fragment (KiB) for {audience.value}s"] = size / 1024
        before = shown_answers(room, audience)
        assert before
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
