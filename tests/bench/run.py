"""`make bench`: the real server under simulated phones, against a bare floor server.

python -m tests.bench.run [--quick] [--n 50,300,500] [--seconds 10] [--burst-seconds 60] ...
Prints every figure; --json writes them too. Client and server share this machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import platform
import resource
import secrets
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import select

from app.db import Database
from app.decks import load_decks
from app.events import NullPublisher
from app.models import ParticipantCreate, WorkshopCreate, WorkshopKind, WorkshopPrompt
from app.services import accounts, roster, workshops
from app.services.facilitation import Action, apply_action
from tests.bench import scenarios
from tests.bench.costs import step_costs
from tests.bench.scenarios import EMAIL, Latency, Run
from tests.serverproc import PASSWORD, AppServer, app_env, run_cli

PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _lat(value: Latency | None) -> str:
    if value is None:
        return "n/a"
    return f"{value.p50:.1f}/{value.p95:.1f}/{value.p99:.1f}/{value.max:.1f}"


def show(run: Run) -> None:
    out(f"  [{run.name}] N={run.n}  {run.answers} answers in {run.seconds:g} s")
    out(f"    submit→seen ms p50/p95/p99/max  facilitator {_lat(run.facilitator)}")
    out(f"    every participant {_lat(run.participants)}  seen-by-all {_lat(run.seen_by_all)}")
    committed = (
        "n/a" if run.committed is None else f"{run.committed} ({run.committed_per_s or 0:.0f}/s)"
    )
    out(
        f"    undelivered {run.undelivered}  committed {committed}  "
        f"msgs/s per client p50 {run.msgs_per_client_p50:.1f} max {run.msgs_per_client_max:.1f}"
    )
    per_conn = "n/a" if run.per_connection_kib is None else f"{run.per_connection_kib:.0f} KiB"
    out(
        f"    connections held {run.held}/{run.clients} (closed 1013: {run.dropped_1013})  "
        f"server CPU {run.server_cpu_percent:.0f}%  peak RSS {run.server_peak_rss_mib:.0f} MiB  "
        f"per connection {per_conn}  client CPU {run.client_cpu_percent:.0f}%  "
        f"load avg {run.load_avg:.1f}"
    )
    if run.not_ready:
        out(f"    {run.not_ready} participants never got their first view")


def ratio(ours: Latency | None, floor: Latency | None) -> str:
    if ours is None or floor is None or floor.p99 == 0:
        return "n/a"
    return f"{ours.p99 / floor.p99:.1f}x"


@contextlib.contextmanager
def sqlite_app(workdir: Path, tick: str | None, name: str) -> Iterator[tuple[AppServer, str]]:
    url = f"sqlite:///{workdir}/{name}.db"
    extra = {"PUSH_TICK_SECONDS": tick} if tick else {}
    env = app_env(url, workdir / "data", **extra)
    run_cli(env, "migrate")
    run_cli(env, "users", "create", "--email", EMAIL, "--password", PASSWORD)
    with AppServer(env, log_path=workdir / f"{name}.log") as server:
        yield server, url


@contextlib.contextmanager
def pg_database() -> Iterator[str]:
    name = f"gk_bench_{secrets.token_hex(4)}"
    admin = create_engine(
        PG_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@contextlib.contextmanager
def two_workers(workdir: Path, tick: str | None) -> Iterator[tuple[list[AppServer], str]]:
    with pg_database() as url:
        extra = {
            "BROADCAST_URL": REDIS_URL,
            "BROADCAST_CHANNEL": f"gk-bench-{secrets.token_hex(4)}",
        }
        if tick:
            extra["PUSH_TICK_SECONDS"] = tick
        env = app_env(url, workdir / "data", **extra)
        run_cli(env, "migrate")
        run_cli(env, "users", "create", "--email", EMAIL, "--password", PASSWORD)
        with (
            AppServer(env, log_path=workdir / "w1.log") as a,
            AppServer(env, log_path=workdir / "w2.log") as b,
        ):
            yield [a, b], url


def _reachable(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


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
                data=ParticipantCreate(name=f"Schrijver {i}", organisation=None),
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


async def main_async(args: argparse.Namespace) -> dict[str, object]:
    results: dict[str, object] = {}
    ns = [int(x) for x in args.n.split(",")]
    tick = args.tick
    workdir = Path(tempfile.mkdtemp(prefix="gk-bench-"))
    out(f"Gesprekskaarten bench — {dt.datetime.now():%Y-%m-%d %H:%M}")
    out(
        f"machine: {platform.processor() or platform.machine()}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}; "
        "client and server share these cores"
    )
    out(f"scratch: {workdir}")
    out(f"load average at start: {os.getloadavg()[0]:.1f} (other work shares these cores)")
    n_max = max(ns)
    out(f"\n== CPU cost per server step (process time, room of {n_max} people and answers) ==")
    costs = await asyncio.to_thread(step_costs, workdir, participants=n_max, answers=n_max)
    for what, value in costs.items():
        out(f"  {value:8.2f}  {what}" + ("" if "KiB" in what else " ms"))
    results["step_costs"] = costs
    fanout: list[dict[str, object]] = []
    results["fanout"] = fanout
    out(f"\n== Fan-out: {args.rate:g} answers/s for {args.seconds:g} s, revealed live to all ==")
    single: dict[int, Run] = {}
    for n in ns:
        with AppServer({}, log_path=workdir / f"floor-{n}.log", app="tests.bench.floor:app") as fl:
            floor = await scenarios.fanout_floor(fl, n, rate=args.rate, seconds=args.seconds)
        show(floor)
        with sqlite_app(workdir, tick, f"ours-{n}") as (server, url):
            ours = await scenarios.fanout_ours(
                "ours: 1 worker, SQLite", [server], url, n, rate=args.rate, seconds=args.seconds
            )
            locked = server.log().count("database is locked")
        show(ours)
        single[n] = ours
        out(
            f"    ours/floor p99: facilitator {ratio(ours.facilitator, floor.facilitator)}, "
            f"seen-by-all {ratio(ours.seen_by_all, floor.seen_by_all)}; "
            f"'database is locked' in server log: {locked}"
        )
        fanout.append({"n": n, "floor": floor.as_dict(), "ours": ours.as_dict()})

    if not args.skip_variant:
        variant: list[dict[str, object]] = []
        results["two_workers"] = variant
        out("\n== Variant: 2 workers + Redis + PostgreSQL (participants split over both) ==")
        if not (_reachable("127.0.0.1", 5432) and _reachable("127.0.0.1", 6379)):
            out("  skipped: PostgreSQL or Redis unreachable")
        else:
            for n in ns:
                with two_workers(workdir, tick) as (servers, url):
                    run = await scenarios.fanout_ours(
                        "ours: 2 workers, Redis, PostgreSQL",
                        servers,
                        url,
                        n,
                        rate=args.rate,
                        seconds=args.seconds,
                    )
                show(run)
                out(
                    "    2 workers / 1 worker p99 seen-by-all: "
                    f"{ratio(run.seen_by_all, single[n].seen_by_all)}"
                )
                variant.append(run.as_dict())

    if not args.skip_burst:
        n = max(ns)
        out(
            f"\n== Burst: {args.burst_rate:g} answers/s for {args.burst_seconds:g} s, "
            f"N={n}, not revealed (the facilitator sees each answer; phones see the count) =="
        )
        with sqlite_app(workdir, tick, "burst") as (server, url):
            burst = await scenarios.fanout_ours(
                "burst: 1 worker, SQLite",
                [server],
                url,
                n,
                rate=args.burst_rate,
                seconds=args.burst_seconds,
                reveal=False,
            )
            locked = server.log().count("database is locked")
        show(burst)
        out(f"    'database is locked' in server log: {locked}")
        results["burst"] = burst.as_dict()

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
    for path, size in page["files"].items():  # type: ignore[attr-defined]
        sent = page["files_transferred"][path]  # type: ignore[index]
        out(f"    {path}: {size / 1024:.1f} KiB, {sent / 1024:.1f} KiB transferred")
    out(f"  TTFB p50 {page['ttfb_ms_p50']:.2f} ms, p95 {page['ttfb_ms_p95']:.2f} ms")
    results["page"] = page
    return results


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ.get
    p = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__)
    p.add_argument("--n", default=env("BENCH_N", "50,300,500"), help="participant counts")
    p.add_argument("--rate", type=float, default=50.0, help="answers/s in the fan-out runs")
    p.add_argument("--seconds", type=float, default=float(env("BENCH_SECONDS", "10")))
    p.add_argument("--burst-rate", type=float, default=100.0)
    p.add_argument("--burst-seconds", type=float, default=float(env("BENCH_BURST_SECONDS", "60")))
    p.add_argument("--ingest-clients", type=int, default=50)
    p.add_argument("--ingest-seconds", type=float, default=10.0)
    p.add_argument("--writer-count", type=int, default=3000, help="answers for two writers")
    p.add_argument("--tick", default=env("PUSH_TICK_SECONDS"), help="override the push tick")
    p.add_argument("--skip-variant", action="store_true", help="no 2-worker Redis/PG runs")
    p.add_argument("--skip-burst", action="store_true")
    p.add_argument("--quick", action="store_true", help="N=50,200, short phases (a few minutes)")
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    args = p.parse_args(argv)
    if args.quick:
        args.n, args.seconds, args.burst_seconds = "50,200", 4.0, 8.0
        args.ingest_seconds, args.writer_count = 4.0, 1000
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 8192), hard), hard))
    results = asyncio.run(main_async(args))
    if args.json:
        scenarios.write_json(args.json, results)
        out(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
