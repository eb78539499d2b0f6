"""Per-process fan-out: coalesce events per workshop, render once per view, queue per client.

A view is an (audience, language) pair: every client that shares one gets the same bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import anyio.to_thread
from starlette.websockets import WebSocket, WebSocketState

from app.db import Database
from app.i18n import DEFAULT_LANGUAGE
from app.live.broadcast import Broadcast
from app.live.events import Event, Topic
from app.live.render import Audience, render_private, render_shared, render_snapshot
from app.live.state import load_room

log = logging.getLogger(__name__)
# Close code for a client that fell too far behind; the htmx client reconnects on it.
CLOSE_TRY_AGAIN = 1013


class Client:
    """One websocket: a bounded queue and a sender task, so a stalled phone holds up no one."""

    def __init__(
        self,
        websocket: WebSocket,
        *,
        workshop_id: int,
        audience: Audience,
        participant_id: int | None = None,
        lang: str = DEFAULT_LANGUAGE,
        queue_size: int = 64,
        send_timeout: float = 5.0,
    ) -> None:
        self.websocket = websocket
        self.workshop_id = workshop_id
        self.audience = audience
        self.participant_id = participant_id
        self.lang = lang  # fixed at connect: switching language reloads the page
        self._queue: asyncio.Queue[str] = asyncio.Queue(maxsize=queue_size)
        self._send_timeout = send_timeout
        self._task: asyncio.Task[None] | None = None
        self.dropped = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._send_loop())

    def offer(self, message: str) -> None:
        if self.dropped or not message:
            return
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:
            self._drop("queue full")

    async def _send_loop(self) -> None:
        while True:
            message = await self._queue.get()
            try:
                await asyncio.wait_for(self.websocket.send_text(message), self._send_timeout)
            except TimeoutError:
                self._drop("send timed out")
                return
            except Exception:  # the socket is gone; the receive loop cleans up
                return

    def _drop(self, why: str) -> None:
        if self.dropped:
            return
        self.dropped = True
        log.info("dropping slow client of workshop %s: %s", self.workshop_id, why)
        asyncio.get_running_loop().create_task(self._close())

    async def _close(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self.websocket.application_state is WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await self.websocket.close(code=CLOSE_TRY_AGAIN)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task


@dataclass
class _Pending:
    topics: set[Topic] = field(default_factory=set)
    participant_ids: set[int] = field(default_factory=set)
    everyone: bool = False


# A shared render is keyed by who reads it: the same bytes go to every such client.
View = tuple[Audience, str]


@dataclass(frozen=True)
class _Rendered:
    shared: dict[View, str]
    private: dict[tuple[int, str], str]  # (participant id, language)


class Hub:
    def __init__(self, *, db: Database, broadcast: Broadcast, tick: float) -> None:
        self._db = db
        self._broadcast = broadcast
        self._tick = tick
        self._clients: dict[int, set[Client]] = {}
        self._pending: dict[int, _Pending] = {}
        self._flushers: dict[int, asyncio.Task[None]] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._last_flush: dict[int, float] = {}
        self.on_flush: Callable[[int, int], None] | None = None
        # Each flush's shared renders, newest last (for tests and debugging).
        self.recent_renders: deque[tuple[int, tuple[View, ...]]] = deque(maxlen=256)
        self._tasks: set[asyncio.Task[None]] = set()  # every flush still running
        self._idle = asyncio.Event()
        self._idle.set()

    def client_count(self) -> int:
        return sum(len(c) for c in self._clients.values())

    async def run(self) -> None:
        async for event in self._broadcast.listen():
            try:
                self.on_event(event)
            except Exception:
                log.exception("could not handle %r", event)

    def on_event(self, event: Event) -> None:
        if event.resync:
            for workshop_id in list(self._clients):
                self._mark(workshop_id, set(Topic), set(), everyone=True)
            return
        if event.workshop_id in self._clients:
            # An agenda change by the facilitator (no one participant) changes every phone's
            # list of things to vote on.
            everyone = Topic.agenda in event.topics and not event.participant_ids
            self._mark(
                event.workshop_id, set(event.topics), set(event.participant_ids), everyone=everyone
            )

    def _mark(
        self, workshop_id: int, topics: set[Topic], pids: set[int], *, everyone: bool = False
    ) -> None:
        pending = self._pending.setdefault(workshop_id, _Pending())
        pending.topics |= topics
        pending.participant_ids |= pids
        pending.everyone |= everyone or Topic.stage in topics
        if workshop_id not in self._flushers:
            task = asyncio.create_task(self._flush(workshop_id))
            self._flushers[workshop_id] = task
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _lock(self, workshop_id: int) -> asyncio.Lock:
        return self._locks.setdefault(workshop_id, asyncio.Lock())

    async def _flush(self, workshop_id: int) -> None:
        loop = asyncio.get_running_loop()
        # Leading edge: a lone change goes out at once; a burst at most once per tick.
        wait = self._last_flush.get(workshop_id, 0.0) + self._tick - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        async with self._lock(workshop_id):
            self._flushers.pop(workshop_id, None)
            pending = self._pending.pop(workshop_id, None)
            self._last_flush[workshop_id] = loop.time()
            clients = list(self._clients.get(workshop_id, ()))
            if pending is None or not clients:
                return
            views = {(c.audience, c.lang) for c in clients}
            pids = {
                (c.participant_id, c.lang)
                for c in clients
                if c.participant_id is not None
                and (pending.everyone or c.participant_id in pending.participant_ids)
            }
            try:
                rendered = await anyio.to_thread.run_sync(
                    self._render,
                    workshop_id,
                    frozenset(pending.topics),
                    views,
                    pids,
                    Topic.stage in pending.topics,
                )
            except Exception:
                log.exception("render failed for workshop %s", workshop_id)
                return
            if rendered is None:
                return
            for client in clients:
                message = rendered.shared.get((client.audience, client.lang), "")
                if client.participant_id is not None:
                    message += rendered.private.get((client.participant_id, client.lang), "")
                client.offer(message)

    def _render(
        self,
        workshop_id: int,
        topics: frozenset[Topic],
        views: set[View],
        pids: set[tuple[int, str]],
        with_form: bool,
    ) -> _Rendered | None:
        with_agenda = bool(topics & {Topic.agenda, Topic.stage})
        with self._db.reading() as session:
            room = load_room(session=session, workshop_id=workshop_id, with_agenda=with_agenda)
        if room is None:
            return None
        shared: dict[View, str] = {}
        done: list[View] = []
        for audience, lang in views:
            shared[(audience, lang)] = render_shared(room, audience, topics, lang)
            done.append((audience, lang))
        self.recent_renders.append((workshop_id, tuple(done)))
        private = {
            (pid, lang): render_private(
                room, pid, with_form=with_form, lang=lang, with_votes=with_agenda
            )
            for pid, lang in pids
        }
        return _Rendered(shared=shared, private=private)

    async def attach(self, client: Client) -> bool:
        """Register a client and send it the full current state. False if the workshop is gone."""
        async with self._lock(client.workshop_id):
            snapshot = await anyio.to_thread.run_sync(self._snapshot, client)
            if snapshot is None:
                return False
            self._clients.setdefault(client.workshop_id, set()).add(client)
            self._idle.clear()
            client.start()
            client.offer(snapshot)
        return True

    def _snapshot(self, client: Client) -> str | None:
        with self._db.reading() as session:
            room = load_room(session=session, workshop_id=client.workshop_id)
        if room is None:
            return None
        return render_snapshot(room, client.audience, client.participant_id, client.lang).body

    async def detach(self, client: Client) -> None:
        clients = self._clients.get(client.workshop_id)
        if clients is not None:
            clients.discard(client)
            if not clients:
                del self._clients[client.workshop_id]
        if not self._clients:
            self._idle.set()
        await client.stop()

    async def close(self, *, grace: float = 5.0) -> None:
        """On shutdown: let sockets finish their clean-up, then stop pending renders."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), grace)
        # Let pending renders finish: a task cancelled mid-render would leave its worker
        # thread holding a database connection after the pool is closed.
        tasks = list(self._tasks)
        if tasks:
            _done, late = await asyncio.wait(tasks, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def send_direct(self, client: Client, render: Callable[[], str]) -> None:
        """A reply to one client (an acknowledgement), ordered with its other pushes."""
        async with self._lock(client.workshop_id):
            body = await anyio.to_thread.run_sync(render)
            client.offer(body)

    def render_private_now(
        self, workshop_id: int, participant_id: int, *, with_form: bool, lang: str
    ) -> str:
        with self._db.reading() as session:
            # Only this person's rows: an acknowledgement must not cost a whole-room read.
            room = load_room(
                session=session,
                workshop_id=workshop_id,
                only_participant=participant_id,
                with_agenda=False,
            )
        if room is None:
            return ""
        return render_private(room, participant_id, with_form=with_form, lang=lang)
