"""`make bench`: the real server under simulated phones, beside a fair floor in the same run.

python -m tests.bench.run [--quick] [--scenario rate50,rate100,n1000,workers2] [--seconds 60] ...
Each scenario runs the fair floor (tests/bench/floor.py) and ours with the same clients and
schedule; the server process(es) are pinned to one core and this client to another. Prints
every figure and the table of issue 12's targets; --json writes them too.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import resource
import secrets
import sys
import tempfile
from pathlib import Path

import psutil

from tests.bench import load, report, scenarios
from tests.bench.extras import extras
from tests.bench.scenarios import Run
from tests.bench.servers import reachable, sqlite_app, two_workers
from tests.serverproc import AppServer


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


SCENARIOS = ("rate50", "rate100", "n1000", "workers2", "immediate", "extras")
DEFAULT_SCENARIOS = "rate50,rate100,n1000,workers2"


class Pinning:
    """Server processes on one core, this load client on another (two cores or more)."""

    def __init__(self, enabled: bool) -> None:
        self.cores = load.pinning() if enabled else None
        if self.cores is None:
            why = "disabled (--no-pin)" if not enabled else "fewer than 2 cores available"
            out(f"pinning: none, {why}; client and server share the cores")
            return
        server, client = self.cores
        threads = load.pin(os.getpid(), client)
        out(
            f"pinning: load client (pid {os.getpid()}, {threads} threads) to core {client}; "
            f"each server process, all its threads, to core {server} (sched_setaffinity). "
            "PostgreSQL and Redis are not pinned."
        )

    def servers(self, servers: list[AppServer]) -> None:
        if self.cores is None:
            return
        for server in servers:
            load.pin(server.pid, self.cores[0])


async def _fair_floor(
    workdir: Path, pins: Pinning, tick: str | None, n: int, rate: float, args: argparse.Namespace
) -> Run:
    db = workdir / f"fair-floor-{n}-{rate:g}-{secrets.token_hex(2)}.db"
    env = {"FAIR_FLOOR_DB": str(db), **({"PUSH_TICK_SECONDS": tick} if tick else {})}
    with AppServer(
        env, log_path=workdir / "fair-floor.log", app="tests.bench.floor:fair_app"
    ) as fl:
        pins.servers([fl])
        return await scenarios.fanout_fair_floor(
            fl, db, n, rate=rate, seconds=args.seconds, drain=args.drain, warmup=args.warmup
        )


async def _ours(
    workdir: Path, pins: Pinning, tick: str | None, n: int, rate: float, args: argparse.Namespace
) -> Run:
    with sqlite_app(workdir, tick, f"ours-{n}-{rate:g}") as (server, url):
        pins.servers([server])
        run = await scenarios.fanout_ours(
            "ours: 1 worker, SQLite",
            [server],
            url,
            n,
            rate=rate,
            seconds=args.seconds,
            drain=args.drain,
            warmup=args.warmup,
        )
        locked = server.log().count("database is locked")
    if locked:
        run.notes.append(f"'database is locked' in the server log: {locked}")
    return run


def _pair(title: str, ours: Run, floor: Run | None, floor_name: str = "fair floor") -> None:
    out(f"\n== {title} ==")
    for line in report.comparison(ours, floor, floor_name):
        out(line)
    for note in ours.notes:
        out(f"    note: {note}")


async def main_async(args: argparse.Namespace) -> dict[str, object]:
    chosen = [s.strip() for s in args.scenario.split(",") if s.strip()]
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        raise SystemExit(
            f"unknown scenario(s): {', '.join(sorted(unknown))}; pick from {SCENARIOS}"
        )
    tick = args.tick
    workdir = Path(tempfile.mkdtemp(prefix="gk-bench-"))
    out(f"Gesprekskaarten bench — {dt.datetime.now():%Y-%m-%d %H:%M}")
    out(
        f"machine: {platform.processor() or platform.machine()}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}"
    )
    out(f"scratch: {workdir}")
    out(f"load average at start: {os.getloadavg()[0]:.1f} (other work shares these cores)")
    out(
        f"scenarios: {', '.join(chosen)}; phases of {args.seconds:g} s, {args.phones} phones "
        f"({args.big_phones} in n1000), push tick {tick or 'the app default (0.1 s)'}"
    )
    pins = Pinning(not args.no_pin)
    results: dict[str, object] = {"scenarios": chosen, "pinned": pins.cores}
    pairs: dict[str, tuple[Run, Run | None]] = {}
    plan = {
        "rate50": (args.phones, args.rate, "500 phones, revealed, 50 answers/s"),
        "rate100": (args.phones, args.burst_rate, "500 phones, revealed, 100 answers/s"),
        "n1000": (args.big_phones, args.rate, "1,000 phones, revealed, 50 answers/s"),
    }
    for key in ("rate50", "rate100", "n1000"):
        if key not in chosen:
            continue
        n, rate, title = plan[key]
        floor = await _fair_floor(workdir, pins, tick, n, rate, args)
        ours = await _ours(workdir, pins, tick, n, rate, args)
        pairs[key] = (ours, floor)
        _pair(f"{title} for {args.seconds:g} s (N={n}, {rate:g}/s)", ours, floor)
        results[key] = {"ours": ours.as_dict(), "fair_floor": floor.as_dict()}
    if "workers2" in chosen:
        await _workers2(workdir, pins, tick, args, pairs, results)
    if "immediate" in chosen:
        with AppServer({}, log_path=workdir / "floor.log", app="tests.bench.floor:app") as fl:
            pins.servers([fl])
            relay = await scenarios.fanout_floor(
                fl, args.phones, rate=args.rate, seconds=args.seconds, drain=args.drain
            )
        fair = pairs.get("rate50", (None, None))[1]
        if fair is None:
            fair = await _fair_floor(workdir, pins, tick, args.phones, args.rate, args)
        _pair(f"Immediate-relay floor beside the fair floor (N={args.phones})", relay, fair)
        results["immediate"] = relay.as_dict()
    if "extras" in chosen:
        results.update(await extras(workdir, tick, args))
    if pairs:
        out("\n== Targets (issue 12) ==")
        rows = report.targets(pairs)
        for line in report.target_table(rows):
            out(line)
        results["targets"] = [vars(t) for t in rows]
    return results


async def _workers2(
    workdir: Path,
    pins: Pinning,
    tick: str | None,
    args: argparse.Namespace,
    pairs: dict[str, tuple[Run, Run | None]],
    results: dict[str, object],
) -> None:
    if not (reachable("127.0.0.1", 5432) and reachable("127.0.0.1", 6379)):
        out("\n== 2 workers + Redis + PostgreSQL: skipped, PostgreSQL or Redis unreachable ==")
        return
    with two_workers(workdir, tick) as (servers, url):
        pins.servers(servers)
        run = await scenarios.fanout_ours(
            "ours: 2 workers, Redis, PG",
            servers,
            url,
            args.phones,
            rate=args.rate,
            seconds=args.seconds,
            drain=args.drain,
            warmup=args.warmup,
        )
    single = pairs.get("rate50")
    if single is not None:
        _pair(
            f"2 workers + Redis + PostgreSQL beside 1 worker + SQLite (N={args.phones}, "
            f"{args.rate:g}/s; both workers on one core)",
            run,
            single[0],
            "ours: 1 worker, SQLite",
        )
        _pair("2 workers + Redis + PostgreSQL beside the fair floor of rate50", run, single[1])
    else:
        _pair(f"2 workers + Redis + PostgreSQL (N={args.phones}, {args.rate:g}/s)", run, None)
    pairs["workers2"] = (run, None if single is None else single[1])
    results["workers2"] = run.as_dict()


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ.get
    p = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__)
    p.add_argument(
        "--scenario",
        default=env("BENCH_SCENARIO", DEFAULT_SCENARIOS),
        help=f"comma-separated, from {', '.join(SCENARIOS)} (default {DEFAULT_SCENARIOS})",
    )
    p.add_argument("--phones", type=int, default=int(env("BENCH_PHONES", "500")))
    p.add_argument("--big-phones", type=int, default=int(env("BENCH_BIG_PHONES", "1000")))
    p.add_argument("--seconds", type=float, default=float(env("BENCH_SECONDS", "60")))
    p.add_argument("--rate", type=float, default=50.0, help="answers/s in rate50, n1000")
    p.add_argument("--burst-rate", type=float, default=100.0, help="answers/s in rate100")
    p.add_argument("--warmup", type=int, default=40, help="answers sent before each measured phase")
    p.add_argument("--drain", type=float, default=15.0, help="max s to wait for stragglers")
    p.add_argument("--ingest-clients", type=int, default=50)
    p.add_argument("--ingest-seconds", type=float, default=10.0)
    p.add_argument("--writer-count", type=int, default=3000, help="answers for two writers")
    p.add_argument("--tick", default=env("PUSH_TICK_SECONDS"), help="override the push tick")
    p.add_argument("--no-pin", action="store_true", help="do not pin server and client to cores")
    p.add_argument(
        "--quick", action="store_true", help="200/400 phones, 8 s phases (a few minutes)"
    )
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    args = p.parse_args(argv)
    if args.quick:
        args.phones, args.big_phones, args.seconds, args.drain = 200, 400, 8.0, 8.0
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
