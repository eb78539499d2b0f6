"""The measured runs: fan-out (ours and the floor), burst, ingest, and the participant page."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import text

from app.db import make_engine
from tests.bench.load import (
    Probe,
    ServerMeter,
    Window,
    close_all,
    closed_loop,
    drive,
    open_many,
    open_probe,
    seen_at,
    wait_delivered,
    wait_quiet,
    wait_ready,
)
from tests.serverproc import (
    ROOT,
    AppServer,
    Facilitator,
    answer_message,
    create_workshop,
    join,
    log_in,
)

EMAIL = "bench@example.nl"
# Tokens of the warm-up answers: far from the measured ones (0, 1, ...).
WARMUP_FROM = 9_000_000
COUNT_MEASURED = "SELECT count(*) FROM answer WHERE text NOT LIKE :warm"
WARM = {"warm": "%bq9%"}


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest rank, in milliseconds in and out."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass
class Latency:
    count: int
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Latency | None:
        ms = [s * 1000 for s in seconds]
        if not ms:
            return None
        return cls(len(ms), percentile(ms, 50), percentile(ms, 95), percentile(ms, 99), max(ms))


def by_thirds(
    submitted: dict[bytes, float], latency: dict[bytes, float], *, t0: float, seconds: float
) -> list[Latency | None]:
    """The latencies of the answers submitted in each third of the phase [t0, t0 + seconds)
    (by submit time, so a slow end shows in the last third)."""
    thirds: list[list[float]] = [[], [], []]
    for key, sent in submitted.items():
        if key in latency:
            part = int(3 * (sent - t0) / seconds) if seconds > 0 else 0
            thirds[min(2, max(0, part))].append(latency[key])
    return [Latency.of(values) for values in thirds]


@dataclass
class Run:
    name: str
    n: int
    answers: int
    seconds: float
    rate: float = 0.0
    warmup: int = 0  # answers sent before the measured phase
    facilitator: Latency | None = None
    participants: Latency | None = None
    seen_by_all: Latency | None = None
    # p99 of seen-by-all for the answers sent in each third of the phase.
    thirds: list[Latency | None] = field(default_factory=list)
    ack: Latency | None = None
    unacknowledged: int = 0
    undelivered: int = 0
    seq_gaps: int = 0
    seq_duplicates: int = 0
    snapshots: int = 0
    committed: int | None = None
    committed_per_s: float | None = None
    msgs_per_client_p50: float = 0.0
    msgs_per_client_max: float = 0.0
    held: int = 0
    clients: int = 0
    dropped_1013: int = 0
    server_cpu_percent: float = 0.0
    server_cpu_ms_per_answer: float | None = None
    server_peak_rss_mib: float = 0.0
    per_connection_kib: float | None = None
    client_cpu_percent: float = 0.0
    not_ready: int = 0
    # 1-minute load average at the end: other work on the machine shares the cores too.
    load_avg: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def dropped(self) -> int:
        return self.clients - self.held

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def summarise(
    run: Run,
    submitted: dict[bytes, float],
    facilitator: Probe,
    participants: Sequence[Probe],
    *,
    t0: float,
    window: float,
) -> None:
    fac = [facilitator.seen[k] - t for k, t in submitted.items() if k in facilitator.seen]
    run.facilitator = Latency.of(fac)
    undelivered = len(submitted) - len(fac)
    pairs: list[float] = []
    everyone: dict[bytes, float] = {}
    for key, sent in submitted.items():
        seq = facilitator.token_seq.get(key)
        last = facilitator.seen.get(key, sent) - sent
        complete = True
        for p in participants:
            seen = seen_at(p, key, seq)
            if seen is None:
                undelivered += 1
                complete = False
            else:
                pairs.append(seen - sent)
                last = max(last, seen - sent)
        if complete and key in facilitator.seen:
            everyone[key] = last
    run.participants = Latency.of(pairs)
    run.seen_by_all = Latency.of(list(everyone.values()))
    run.thirds = by_thirds(submitted, everyone, t0=t0, seconds=run.seconds)
    run.undelivered = undelivered
    acks = [
        p.acked_at[k] - submitted[k] for p in participants for k in p.acked_at if k in submitted
    ]
    run.ack = Latency.of(acks)
    run.unacknowledged = len(submitted) - len(acks)
    everyone_probes = [facilitator, *participants]
    run.seq_gaps = sum(p.sync.gaps for p in everyone_probes)
    run.seq_duplicates = sum(p.sync.duplicates for p in everyone_probes)
    run.snapshots = sum(p.sync.snapshots for p in everyone_probes)
    rates = [p.messages / window for p in everyone_probes]
    run.msgs_per_client_p50 = statistics.median(rates) if rates else 0.0
    run.msgs_per_client_max = max(rates) if rates else 0.0
    run.clients = len(everyone_probes)
    run.held = sum(1 for p in everyone_probes if p.open)
    run.dropped_1013 = sum(1 for p in everyone_probes if p.close_code == 1013)


def _join_all(servers: Sequence[AppServer], code: str, n: int) -> list[str]:
    def one(i: int) -> str:
        return join(servers[i % len(servers)].url, code, name=f"Deelnemer {i}")

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(n)))


def _answer(probe: Probe, key: bytes, _i: int) -> str:
    assert probe.prompt_id is not None
    k = key.decode()
    return answer_message(probe.prompt_id, f"Antwoord bq{k}q uit de zaal", f"bench-{k}")


def _count_answers(database_url: str, workshop_id: int) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    text(COUNT_MEASURED + " AND workshop_id = :w"), {"w": workshop_id, **WARM}
                ).scalar_one()
            )
    finally:
        engine.dispose()


async def _connect_room(
    servers: Sequence[AppServer],
    fac_path: str,
    phone_paths: Sequence[str],
    cookies: Sequence[str | None],
    fac_cookie: str | None,
    window: Window,
) -> tuple[Probe, list[Probe], int, int]:
    """The facilitator's socket, then every phone's; returns RSS before and after the phones."""
    meter = ServerMeter([s.pid for s in servers])
    fprobe = Probe("facilitator")
    await open_probe(
        f"{servers[0].ws_url}{fac_path}",
        fprobe,
        window,
        cookie=fac_cookie,
        ready_marker=b'id="console-stage"',
    )
    await wait_ready([fprobe], seconds=30)
    await wait_quiet([fprobe])
    rss_before = meter.rss()
    probes = [Probe("participant", worker=i % len(servers)) for i in range(len(phone_paths))]
    jobs = [
        (f"{servers[p.worker].ws_url}{phone_paths[i]}", p, cookies[i]) for i, p in enumerate(probes)
    ]
    await open_many(jobs, window, ready_marker=b"prompt_id")
    await wait_ready(probes, seconds=90)
    await wait_quiet([fprobe, *probes])
    return fprobe, probes, rss_before, meter.rss()


async def _prepared_room(
    servers: Sequence[AppServer], n: int, *, reveal: bool, window: Window
) -> tuple[Facilitator, Probe, list[Probe], int, int]:
    """Workshop open (and revealed), N joined and connected; returns RSS before/after."""
    facilitator = await asyncio.to_thread(
        lambda: create_workshop(log_in(servers[0].url, email=EMAIL))
    )
    await asyncio.to_thread(facilitator.act, "start")
    await asyncio.to_thread(facilitator.act, "open")
    if reveal:
        await asyncio.to_thread(facilitator.act, "reveal")
    cookies = await asyncio.to_thread(_join_all, servers, facilitator.code, n)
    fprobe, probes, rss0, rss1 = await _connect_room(
        servers,
        f"/ws/workshops/{facilitator.workshop_id}/facilitator",
        [f"/ws/w/{facilitator.code}"] * n,
        cookies,
        facilitator.cookie,
        window,
    )
    return facilitator, fprobe, probes, rss0, rss1


async def _phase(
    run: Run,
    servers: Sequence[AppServer],
    fprobe: Probe,
    probes: list[Probe],
    window: Window,
    *,
    message: Callable[[Probe, bytes, int], str],
    drain: float,
) -> float:
    """Answers at the run's rate for its seconds, then until all arrived (or `drain` s);
    fills in the run's figures. Returns how long sending took."""
    run.not_ready = sum(1 for p in probes if not p.ready.is_set())
    meter = ServerMeter([s.pid for s in servers])
    ready = [p for p in probes if p.prompt_id is not None] or probes
    if run.warmup:
        # Not measured: a room past the phones' short list (PHONE_LIST_MAX answers) before
        # the phase, so its first third does not carry the one-time switch to the big view.
        warm = await drive(
            ready[::-1],
            rate=run.rate,
            seconds=0,
            message=message,
            first=WARMUP_FROM,
            count=run.warmup,
        )
        await wait_delivered(warm, [fprobe, *probes], seconds=drain)
        await wait_quiet([fprobe, *probes], quiet=0.3, seconds=5)
    meter.start()
    window.active = True
    t0 = time.perf_counter()
    submitted = await drive(ready, rate=run.rate, seconds=run.seconds, message=message)
    sending = time.perf_counter() - t0
    await wait_delivered(submitted, [fprobe, *probes], seconds=drain)
    window.active = False
    elapsed = time.perf_counter() - t0
    await meter.stop()
    run.answers = len(submitted)
    summarise(run, submitted, fprobe, probes, t0=t0, window=elapsed)
    run.server_cpu_percent = meter.cpu_percent
    run.server_cpu_ms_per_answer = 1000 * meter.cpu_seconds / max(run.answers, 1)
    run.client_cpu_percent = meter.client_cpu_percent
    run.server_peak_rss_mib = meter.peak_rss / 2**20
    run.load_avg = os.getloadavg()[0]
    await close_all([fprobe, *probes])
    return sending


async def fanout_ours(
    name: str,
    servers: Sequence[AppServer],
    database_url: str,
    n: int,
    *,
    rate: float,
    seconds: float,
    reveal: bool = True,
    drain: float = 15.0,
    warmup: int = 0,
) -> Run:
    window = Window()
    facilitator, fprobe, probes, rss0, rss1 = await _prepared_room(
        servers, n, reveal=reveal, window=window
    )
    run = Run(name=name, n=n, answers=0, seconds=seconds, rate=rate, warmup=warmup)
    run.per_connection_kib = (rss1 - rss0) / max(n, 1) / 1024
    sending = await _phase(run, servers, fprobe, probes, window, message=_answer, drain=drain)
    facilitator.client.close()
    run.committed = await asyncio.to_thread(_count_answers, database_url, facilitator.workshop_id)
    run.committed_per_s = run.committed / sending
    return run


async def fanout_fair_floor(
    server: AppServer,
    db_path: Path,
    n: int,
    *,
    rate: float,
    seconds: float,
    drain: float = 15.0,
    warmup: int = 0,
) -> Run:
    """The fair floor (tests/bench/floor.py: fair_app) under the same clients and schedule."""
    window = Window()
    fprobe, probes, rss0, rss1 = await _connect_room(
        [server], "/ws/facilitator", ["/ws/w/floor"] * n, [None] * n, None, window
    )
    run = Run(name="fair floor", n=n, answers=0, seconds=seconds, rate=rate, warmup=warmup)
    run.per_connection_kib = (rss1 - rss0) / max(n, 1) / 1024
    sending = await _phase(run, [server], fprobe, probes, window, message=_answer, drain=drain)
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        run.committed = int(conn.execute(COUNT_MEASURED, WARM).fetchone()[0])
    run.committed_per_s = run.committed / sending
    return run


async def fanout_floor(
    server: AppServer, n: int, *, rate: float, seconds: float, drain: float = 15.0
) -> Run:
    """The immediate-relay floor (tests/bench/floor.py: app): every message to every socket."""
    window = Window()
    meter = ServerMeter([server.pid])
    fprobe = Probe("facilitator")
    await open_probe(f"{server.ws_url}/ws", fprobe, window)
    await asyncio.sleep(0.3)
    rss0 = meter.rss()
    probes = [Probe("participant") for _ in range(n)]
    await open_many([(f"{server.ws_url}/ws", p, None) for p in probes], window, ready_marker=None)
    await asyncio.sleep(0.5)
    run = Run(name="immediate floor", n=n, answers=0, seconds=seconds, rate=rate)
    run.per_connection_kib = (meter.rss() - rss0) / max(n, 1) / 1024

    def message(_p: Probe, key: bytes, _i: int) -> str:
        return json.dumps({"type": "answer", "text": f"Antwoord bq{key.decode()}q uit de zaal"})

    await _phase(run, [server], fprobe, probes, window, message=message, drain=drain)
    return run


async def ingest_server(
    server: AppServer, database_url: str, n: int, *, seconds: float
) -> dict[str, object]:
    """Closed loop through the real websocket path: how many answers/s commit."""
    window = Window()
    facilitator, fprobe, probes, _rss0, _rss1 = await _prepared_room(
        [server], n, reveal=False, window=window
    )
    before = await asyncio.to_thread(_count_answers, database_url, facilitator.workshop_id)
    t0 = time.perf_counter()
    acked = await closed_loop(
        [p for p in probes if p.prompt_id is not None], seconds=seconds, message=_answer
    )
    elapsed = time.perf_counter() - t0
    await close_all([fprobe, *probes])
    facilitator.client.close()
    after = await asyncio.to_thread(_count_answers, database_url, facilitator.workshop_id)
    locked = server.log().count("database is locked")
    return {
        "clients": n,
        "seconds": round(elapsed, 1),
        "acknowledged": acked,
        "committed": after - before,
        "committed_per_s": (after - before) / elapsed,
        "database_is_locked": locked,
    }


def ingest_two_writers(
    database_url: str, prompt_id: int, pids: tuple[int, int], *, count: int, mode: str
) -> dict[str, object]:
    """Two OS processes, four threads each, straight through the answer service."""
    half = (pids[1] - pids[0] + 1) // 2
    ranges = [(pids[0], pids[0] + half - 1), (pids[0] + half, pids[1])]
    t0 = time.perf_counter()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.bench.writers",
                database_url,
                str(prompt_id),
                str(first),
                str(last),
                str(count // 2),
                "4",
                mode,
                f"{mode[:3]}{i}",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, (first, last) in enumerate(ranges)
    ]
    totals = {"ok": 0, "locked": 0, "other": 0}
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        if proc.returncode != 0:
            raise RuntimeError(f"writer failed: {err[-2000:]}")
        for k, v in json.loads(out.strip().splitlines()[-1]).items():
            totals[k] += v
    elapsed = time.perf_counter() - t0
    return {
        "mode": mode,
        "attempted": count,
        "committed": totals["ok"],
        "database_is_locked": totals["locked"],
        "other_errors": totals["other"],
        "seconds": round(elapsed, 2),
        "committed_per_s": totals["ok"] / elapsed,
    }


def participant_page(server: AppServer, *, requests: int = 200) -> dict[str, object]:
    """Bytes a phone downloads for the page (HTML, CSS, JS, htmx) and TTFB over loopback."""
    facilitator = create_workshop(log_in(server.url, email=EMAIL), title="Paginameting")
    cookie = join(server.url, facilitator.code, name="Meter")
    facilitator.act("start")
    facilitator.act("open")
    facilitator.client.close()
    # What a phone's browser sends: it takes gzip. The bytes on the wire are counted before
    # httpx decodes them.
    headers = {"Cookie": cookie, "Accept-Encoding": "gzip"}
    with httpx.Client(base_url=server.url, timeout=30) as client:
        page = client.get(f"/w/{facilitator.code}", headers=headers)
        assets = sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)))
        sizes = {"/w/{code}": len(page.content)}
        wire = {"/w/{code}": page.num_bytes_downloaded}
        header_bytes = sum(len(k) + len(v) + 4 for k, v in page.headers.items())
        for path in assets:
            r = client.get(path, headers={"Accept-Encoding": "gzip"})
            sizes[path] = len(r.content)
            wire[path] = r.num_bytes_downloaded
            header_bytes += sum(len(k) + len(v) + 4 for k, v in r.headers.items())
        ttfb: list[float] = []
        for _ in range(requests):
            t0 = time.perf_counter()
            with client.stream("GET", f"/w/{facilitator.code}", headers=headers) as r:
                ttfb.append(time.perf_counter() - t0)
                r.read()
    return {
        "files": sizes,
        "files_transferred": wire,
        "total_bytes": sum(sizes.values()) + header_bytes,
        "total_gzip_bytes": sum(wire.values()) + header_bytes,
        "ttfb_ms_p50": percentile([t * 1000 for t in ttfb], 50),
        "ttfb_ms_p95": percentile([t * 1000 for t in ttfb], 95),
        "requests": requests,
    }


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
