"""`--scenario extras`: CPU per step in-process, ingest through the server and two writer
processes, and the participant page."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from sqlmodel import select

from app.db import Database
from app.decks import load_decks
from app.events import NullPublisher
from app.models import (
    Domain,
    ParticipantCreate,
    WorkshopCreate,
    WorkshopKind,
    WorkshopPrompt,
)
from app.services import accounts, roster, workshops
from app.services.facilitation import Action, apply_action
from tests.bench import scenarios
from tests.bench.costs import step_costs
from tests.bench.scenarios import EMAIL
from tests.bench.servers import sqlite_app
from tests.serverproc import PASSWORD, app_env, run_cli


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def writers_db(workdir: Path, mode: str, participants: int = 40) -> tuple[str, int, int, int]:
    """A SQLite file with one open prompt and some participants, made through the services."""
    url = f"sqlite:///{workdir}/writers-{mode}.db"
    run_cli(app_env(url, workdir / "data"), "migrate")
    db = Database(url)
    decks = load_decks()
    publisher = NullPublisher()
    with db.writing() as s:
        user = accounts.create_user(session=s, email=EMAIL, password=PASSWORD)
        data = WorkshopCreate(
            title="Schrijfmeting",
            deck_slug="nji-beleidsmakers",
            kind=WorkshopKind.regional,
            school_year="2026-2027",
        )
        workshop = workshops.create_workshop(session=s, owner=user, data=data, decks=decks)
        pids = []
        for i in range(participants):
            person, _token = roster.join(
                session=s,
                publisher=publisher,
                workshop=workshop,
                data=ParticipantCreate(
                    name=f"Schrijver {i}", organisation=None, domain=Domain.onderwijs
                ),
            )
            pids.append(person.id)
        for action in (Action.start, Action.open):
            workshop = apply_action(
                session=s, publisher=publisher, workshop=workshop, action=action
            )
        prompt = s.exec(
            select(WorkshopPrompt).where(
                WorkshopPrompt.workshop_id == workshop.id, WorkshopPrompt.position == 0
            )
        ).one()
        assert prompt.id is not None
        prompt_id = prompt.id
    db.dispose()
    return url, prompt_id, int(min(pids)), int(max(pids))  # type: ignore[type-var]


async def extras(workdir: Path, tick: str | None, args: argparse.Namespace) -> dict[str, object]:
    """The older figures: CPU per step in-process, ingest, and the participant page."""
    results: dict[str, object] = {}
    n = args.phones
    out(f"\n== CPU cost per server step (process time, room of {n} people and answers) ==")
    try:
        costs = await asyncio.to_thread(step_costs, workdir, participants=n, answers=n)
    except Exception as exc:  # costs.py builds its room through the services; say so, go on
        out(f"  failed: {type(exc).__name__}: {exc}")
        costs = {}
    for what, value in costs.items():
        out(f"  {value:8.2f}  {what}" + ("" if "KiB" in what else " ms"))
    results["step_costs"] = costs
    out("\n== Ingest ==")
    with sqlite_app(workdir, tick, "ingest") as (server, url):
        ingest = await scenarios.ingest_server(
            server, url, args.ingest_clients, seconds=args.ingest_seconds
        )
    out(
        f"  through the server, {ingest['clients']} phones in closed loop for "
        f"{ingest['seconds']} s: {ingest['committed']} committed "
        f"({ingest['committed_per_s']:.0f}/s), 'database is locked': {ingest['database_is_locked']}"
    )
    results["ingest_server"] = ingest
    writers: list[dict[str, object]] = []
    for mode in ("immediate", "deferred"):
        url, prompt_id, first, last = await asyncio.to_thread(writers_db, workdir, mode)
        result = await asyncio.to_thread(
            scenarios.ingest_two_writers,
            url,
            prompt_id,
            (first, last),
            count=args.writer_count,
            mode=mode,
        )
        label = "BEGIN IMMEDIATE (ours)" if mode == "immediate" else "plain BEGIN (comparison)"
        out(
            f"  two writer processes x 4 threads, {label}: {result['committed']}/"
            f"{result['attempted']} committed in {result['seconds']} s "
            f"({result['committed_per_s']:.0f}/s), 'database is locked': "
            f"{result['database_is_locked']}"
        )
        writers.append(result)
    results["ingest_two_writers"] = writers
    out("\n== Participant page ==")
    with sqlite_app(workdir, tick, "page") as (server, _url):
        page = await asyncio.to_thread(scenarios.participant_page, server)
    out(
        f"  transferred {page['total_gzip_bytes'] / 1024:.1f} KiB (gzip, as browsers ask), "
        f"{page['total_bytes'] / 1024:.1f} KiB uncompressed, incl. htmx and headers"
    )
    out(f"  TTFB p50 {page['ttfb_ms_p50']:.2f} ms, p95 {page['ttfb_ms_p95']:.2f} ms")
    results["page"] = page
    return results
