"""Simulated phones and a facilitator over real websockets, and what they saw when.

Every answer carries a token `bq0000042q`; each socket records the first time a push
containing a token arrived. Submit and receive times come from one clock in this process.
"""

from __future__ import annotations

import asyncio
import contextlib
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


def token(i: int) -> bytes:
    return f"{i:07d}".encode()


@dataclass
class Window:
    """Messages counted towards messages/s only while the answer phase runs."""

    active: bool = False


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
            if ACK in data:
                probe.acks += 1
                probe.acked.set()
            found = TOKEN.findall(data)
            if found:
                seen = probe.seen
                for key in set(found).difference(seen):
                    seen[key] = now
    except ConnectionClosed as exc:
        probe.close_code = exc.rcvd.code if exc.rcvd is not None else None
    except Exception:  # a broken socket counts as closed
        probe.close_code = -1
    finally:
        probe.open = False


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
) -> dict[bytes, float]:
    """Open loop: answer i leaves at t0 + i/rate from sender i mod len, whatever came back."""
    submitted: dict[bytes, float] = {}
    count = int(rate * seconds)
    t0 = time.perf_counter()
    for i in range(count):
        delay = t0 + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        probe = senders[i % len(senders)]
        if not probe.open or probe.ws is None:
            continue
        key = token(i)
        submitted[key] = time.perf_counter()
        try:
            await probe.ws.send(message(probe, key, i))
        except ConnectionClosed:
            del submitted[key]
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
    """Until every open probe saw every answer, or the deadline."""
    deadline = time.perf_counter() + seconds
    keys = set(submitted)
    while time.perf_counter() < deadline:
        if all(keys.issubset(p.seen.keys()) for p in probes if p.open):
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

    def rss(self) -> int:
        return sum(p.memory_info().rss for p in self._procs)

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
        self.cpu_percent = 100 * (self._cpu() - self._cpu0) / elapsed
        times = self._me.cpu_times()
        self.client_cpu_percent = 100 * (times.user + times.system - self._my_cpu0) / elapsed
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
