"""Simulated phones and a facilitator over real websockets, and what they saw when.

Every answer carries a token `bq0000042q`; each socket records the first time a push
containing a token arrived. Submit and receive times come from one clock in this process.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import psutil
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

TOKEN = re.compile(rb"bq(\d{7})q")
PROMPT = re.compile(rb'name="prompt_id" value="(\d+)"')
ACK = b"Verstuurd."
SYNC = b'<div id="sync"'
SEQ = re.compile(rb'data-seq="(\d+)"')
BASE = re.compile(rb'data-base="(\d+)"')


def token(i: int) -> bytes:
    return f"{i:07d}".encode()


@dataclass
class Window:
    """Messages counted towards messages/s only while the answer phase runs."""

    active: bool = False


@dataclass
class SeqTracker:
    """One socket's view of `#sync` (docs/protocol.md): every push names its seq and the seq
    of the push before it to this socket (`data-base`); a snapshot names no base.

    A push whose base is not the seq this socket is at is a gap (a push went missing) when
    it moves forward, and a duplicate (a push delivered again, or an older one late) when
    its seq is not past the socket's. Frames without `#sync` (acknowledgements) are ignored.
    """

    seq: int | None = None
    pushes: int = 0
    snapshots: int = 0
    gaps: int = 0
    duplicates: int = 0

    def feed(self, data: bytes) -> int | None:
        """Count one frame; returns the seq it was rendered from (None: no `#sync`)."""
        at = data.rfind(SYNC)
        if at < 0:
            return None
        tag = data[at : data.find(b">", at) + 1 or len(data)]
        seq_match = SEQ.search(tag)
        if seq_match is None:
            return None
        seq = int(seq_match.group(1))
        base_match = BASE.search(tag)
        if base_match is None:
            self.snapshots += 1
        else:
            self.pushes += 1
            base = int(base_match.group(1))
            if base != self.seq:
                if self.seq is not None and seq <= self.seq:
                    self.duplicates += 1
                    return seq
                self.gaps += 1
        self.seq = seq
        return seq


@dataclass
class Probe:
    role: str
    worker: int = 0
    seen: dict[bytes, float] = field(default_factory=dict)
    messages: int = 0
    total_messages: int = 0
    received_bytes: int = 0
    close_code: int | None = None
    open: bool = True
    prompt_id: int | None = None
    acks: int = 0
    # Answers this socket sent and not yet saw acknowledged: token -> send time.
    pending: dict[bytes, float] = field(default_factory=dict)
    acked_at: dict[bytes, float] = field(default_factory=dict)
    sync: SeqTracker = field(default_factory=SeqTracker)
    # When this socket first had a state at or past a seq: ascending seqs, their times.
    seqs: list[int] = field(default_factory=list)
    seq_times: list[float] = field(default_factory=list)
    # The seq of the frame in which each token first arrived.
    token_seq: dict[bytes, int] = field(default_factory=dict)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    acked: asyncio.Event = field(default_factory=asyncio.Event)
    ws: ClientConnection | None = None
    task: asyncio.Task[None] | None = None


async def _read(probe: Probe, window: Window, ready_marker: bytes | None) -> None:
    assert probe.ws is not None
    try:
        while True:
            data = await probe.ws.recv(decode=False)
            now = time.perf_counter()
            assert isinstance(data, bytes)
            probe.total_messages += 1
            probe.received_bytes += len(data)
            if window.active:
                probe.messages += 1
            if not probe.ready.is_set():
                if probe.role == "participant" and ready_marker is not None:
                    match = PROMPT.search(data)
                    if match:
                        probe.prompt_id = int(match.group(1))
                        probe.ready.set()
                elif ready_marker is None or ready_marker in data:
                    probe.ready.set()
            seq = probe.sync.feed(data)
            if seq is not None and (not probe.seqs or seq > probe.seqs[-1]):
                probe.seqs.append(seq)
                probe.seq_times.append(now)
            found = TOKEN.findall(data)
            if ACK in data:
                probe.acks += 1
                probe.acked.set()
                note_ack(probe, found, now)
            if found:
                seen = probe.seen
                for key in set(found).difference(seen):
                    seen[key] = now
                    if seq is not None:
                        probe.token_seq[key] = seq
    except ConnectionClosed as exc:
        probe.close_code = exc.rcvd.code if exc.rcvd is not None else None
    except Exception:  # a broken socket counts as closed
        probe.close_code = -1
    finally:
        probe.open = False


def seen_at(probe: Probe, key: bytes, seq: int | None) -> float | None:
    """When this socket first had the answer: the frame that carried it, or the first push
    rendered at or after `seq` (the seq of the frame that showed it on the console, which
    lists every answer). A phone in a big room is shown the most recognised answers, not
    every new one, but a push at that seq has the answer in its counts and pages."""
    direct = probe.seen.get(key)
    if seq is not None:
        at = bisect.bisect_left(probe.seqs, seq)
        if at < len(probe.seqs):
            pushed = probe.seq_times[at]
            return pushed if direct is None else min(direct, pushed)
    return direct


def note_ack(probe: Probe, tokens: Sequence[bytes], now: float) -> None:
    """An acknowledgement arrived: it names the answer(s) it acknowledges (the sender's own
    answers carry their tokens); without a pending token in it, it answers the oldest send."""
    if not probe.pending:
        return
    hits = [k for k in set(tokens) if k in probe.pending] or [next(iter(probe.pending))]
    for key in hits:
        del probe.pending[key]
        probe.acked_at[key] = now


async def open_probe(
    url: str,
    probe: Probe,
    window: Window,
    *,
    cookie: str | None = None,
    ready_marker: bytes | None = None,
) -> Probe:
    headers = {"Cookie": cookie} if cookie else {}
    probe.ws = await connect(
        url,
        additional_headers=headers,
        compression=None,
        max_size=None,
        max_queue=None,
        ping_interval=None,
        open_timeout=60,
        close_timeout=2,
    )
    probe.task = asyncio.create_task(_read(probe, window, ready_marker))
    return probe


async def open_many(
    jobs: Sequence[tuple[str, Probe, str | None]],
    window: Window,
    *,
    ready_marker: bytes | None,
    batch: int = 25,
) -> None:
    for start in range(0, len(jobs), batch):
        await asyncio.gather(
            *(
                open_probe(url, probe, window, cookie=cookie, ready_marker=ready_marker)
                for url, probe, cookie in jobs[start : start + batch]
            )
        )


async def wait_ready(probes: Sequence[Probe], *, seconds: float) -> int:
    """Wait until each probe got its first full view; returns how many did not."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(p.ready.wait() for p in probes)), seconds)
    return sum(1 for p in probes if not p.ready.is_set())


async def wait_quiet(probes: Sequence[Probe], *, quiet: float = 0.7, seconds: float = 20) -> None:
    """Let the join/presence pushes settle before a measured phase starts."""
    deadline = time.perf_counter() + seconds
    last, since = -1, time.perf_counter()
    while time.perf_counter() < deadline:
        total = sum(p.total_messages for p in probes)
        if total != last:
            last, since = total, time.perf_counter()
        elif time.perf_counter() - since >= quiet:
            return
        await asyncio.sleep(0.1)


async def close_all(probes: Sequence[Probe]) -> None:
    async def close(p: Probe) -> None:
        if p.ws is not None:
            try:
                await asyncio.wait_for(p.ws.close(), 3)
            except Exception:
                p.ws.transport.abort()
        if p.task is not None:
            p.task.cancel()
            await asyncio.gather(p.task, return_exceptions=True)

    for start in range(0, len(probes), 100):
        await asyncio.gather(*(close(p) for p in probes[start : start + 100]))


async def drive(
    senders: Sequence[Probe],
    *,
    rate: float,
    seconds: float,
    message: Callable[[Probe, bytes, int], str],
    first: int = 0,
    count: int | None = None,
) -> dict[bytes, float]:
    """Open loop: answer i leaves at t0 + i/rate from sender i mod len, whatever came back.
    Tokens are numbered from `first`; `count` answers (default rate x seconds)."""
    submitted: dict[bytes, float] = {}
    count = int(rate * seconds) if count is None else count
    t0 = time.perf_counter()
    for i in range(count):
        delay = t0 + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        probe = senders[i % len(senders)]
        if not probe.open or probe.ws is None:
            continue
        key = token(first + i)
        submitted[key] = probe.pending[key] = time.perf_counter()
        try:
            await probe.ws.send(message(probe, key, i))
        except ConnectionClosed:
            del submitted[key], probe.pending[key]
    return submitted


async def closed_loop(
    senders: Sequence[Probe],
    *,
    seconds: float,
    message: Callable[[Probe, bytes, int], str],
) -> int:
    """Each sender sends its next answer as soon as the previous one is acknowledged."""
    deadline = time.perf_counter() + seconds
    counter = iter(range(10**7))

    async def one(probe: Probe) -> int:
        sent = 0
        while time.perf_counter() < deadline and probe.open and probe.ws is not None:
            probe.acked.clear()
            await probe.ws.send(message(probe, token(next(counter)), sent))
            try:
                await asyncio.wait_for(probe.acked.wait(), 10)
            except TimeoutError:
                break
            sent += 1
        return sent

    return sum(await asyncio.gather(*(one(p) for p in senders)))


async def wait_delivered(
    submitted: dict[bytes, float], probes: Sequence[Probe], *, seconds: float
) -> None:
    """Until the console (`probes[0]`) showed every answer and every other open probe had
    each (see `seen_at`), or the deadline."""
    deadline = time.perf_counter() + seconds
    keys = set(submitted)
    head = probes[0]
    while time.perf_counter() < deadline:
        if keys.issubset(head.seen.keys()):
            need = max((head.token_seq.get(k, 0) for k in keys), default=0)
            if all(
                (p.seqs and p.seqs[-1] >= need) or keys.issubset(p.seen.keys())
                for p in probes[1:]
                if p.open
            ):
                return
        await asyncio.sleep(0.1)


class ServerMeter:
    """CPU and RSS of the server processes, sampled while a phase runs."""

    def __init__(self, pids: Sequence[int]) -> None:
        self._procs = [psutil.Process(pid) for pid in pids]
        self.peak_rss = 0
        self._cpu0 = 0.0
        self._t0 = 0.0
        self._task: asyncio.Task[None] | None = None
        self.cpu_percent = 0.0
        self._me = psutil.Process()
        self._my_cpu0 = 0.0
        self.client_cpu_percent = 0.0
        self._cpu_used = 0.0

    def rss(self) -> int:
        return sum(p.memory_info().rss for p in self._procs)

    @property
    def cpu_seconds(self) -> float:
        """Server process time (user + system) between start() and stop()."""
        return self._cpu_used

    def _cpu(self) -> float:
        return sum(p.cpu_times().user + p.cpu_times().system for p in self._procs)

    async def _sample(self) -> None:
        while True:
            self.peak_rss = max(self.peak_rss, self.rss())
            await asyncio.sleep(0.25)

    def start(self) -> None:
        self._cpu0, self._t0 = self._cpu(), time.perf_counter()
        times = self._me.cpu_times()
        self._my_cpu0 = times.user + times.system
        self.peak_rss = self.rss()
        self._task = asyncio.create_task(self._sample())

    async def stop(self) -> None:
        elapsed = time.perf_counter() - self._t0
        self._cpu_used = self._cpu() - self._cpu0
        self.cpu_percent = 100 * self._cpu_used / elapsed
        times = self._me.cpu_times()
        self.client_cpu_percent = 100 * (times.user + times.system - self._my_cpu0) / elapsed
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


def pin(pid: int, core: int) -> int:
    """Pin every thread of a process to one core (threads it starts later inherit it from
    the thread that starts them). Returns how many threads were pinned."""
    tids = [t.id for t in psutil.Process(pid).threads()]
    for tid in tids:
        with contextlib.suppress(ProcessLookupError):
            os.sched_setaffinity(tid, {core})
    return len(tids)


def pinning() -> tuple[int, int] | None:
    """(server core, client core) when this machine has two cores or more to pin to."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cores = sorted(os.sched_getaffinity(0))
    return (cores[0], cores[1]) if len(cores) >= 2 else None
