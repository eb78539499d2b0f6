"""Per-process fan-out: coalesce events per workshop, render once per view, queue per client.

A view is an (audience, language) pair: every client that shares one gets the same bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable

import anyio.to_thread

from app.db import Database
from app.events import Event, Topic
from app.live.broadcast import Broadcast
from app.live.client import Client
from app.live.delta import followable
from app.live.frames import (
    EventsInFlight,
    Lists,
    Pending,
    Rendered,
    View,
    deliver,
    read_room,
    render_views,
)
from app.live.personal import render_private, render_snapshot
from app.live.state import Room, load_room

log = logging.getLogger(__name__)
# Seconds between two snapshots a client asks for.
RESYNC_INTERVAL = 1.0
# Pause before rendering a room again after its render failed.
RENDER_RETRY_SECONDS = 1.0
# Pause before flushing again when an event committed elsewhere had not arrived yet.
EVENT_WAIT_SECONDS = 0.005


class Hub:
    def __init__(self, *, db: Database, broadcast: Broadcast, tick: float) -> None:
        self._db = db
        self._broadcast = broadcast
        self._tick = tick
        self._clients: dict[int, set[Client]] = {}
        self._pending: dict[int, Pending] = {}
        self._flushers: dict[int, asyncio.Task[None]] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._last_flush: dict[int, float] = {}
        self._lists: dict[int, Lists] = {}
        # The room as the last flush read it: the next one reads only what changed since.
        self._rooms: dict[int, Room] = {}
        self.on_flush: Callable[[int, int], None] | None = None
        # Each flush's shared renders, newest last (for tests and debugging).
        self.recent_renders: deque[tuple[int, tuple[View, ...]]] = deque(maxlen=256)
        self._tasks: set[asyncio.Task[None]] = set()  # every flush still running
        self._idle = asyncio.Event()
        self._idle.set()
        self._loop: asyncio.AbstractEventLoop | None = None
        broadcast.on_failure = self._publish_failed

    def client_count(self) -> int:
        return sum(len(c) for c in self._clients.values())

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        try:
            async for event in self._broadcast.listen():
                try:
                    self.on_event(event)
                except Exception:
                    log.exception("could not handle %r", event)
        except asyncio.CancelledError:
            raise
        except Exception:
            # Never silently: without the listener no client gets pushes any more.
            log.exception("the broadcast listener stopped")
            raise

    def _publish_failed(self, event: Event) -> None:
        """A change this worker committed did not reach the broadcast: resync its rooms here.
        Called from the worker thread that published."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(self._resync_workshop, event.workshop_id)

    def _resync_workshop(self, workshop_id: int) -> None:
        if workshop_id in self._clients:
            self._lists.pop(workshop_id, None)
            self._rooms.pop(workshop_id, None)
            self._mark(workshop_id, set(Topic), set(), everyone=True)

    def on_event(self, event: Event) -> None:
        if event.revoked_user is not None:
            for clients in self._clients.values():
                for client in clients:
                    if client.user_id == event.revoked_user:
                        client.revoke()
            return
        if event.resync:
            self._rooms.clear()
            for workshop_id in list(self._clients):
                self._mark(workshop_id, set(Topic), set(), everyone=True)
            return
        if event.workshop_id in self._clients:
            # An agenda change by the facilitator (no one participant) changes every phone's
            # list of things to vote on.
            everyone = Topic.agenda in event.topics and not event.participant_ids
            self._mark(
                event.workshop_id,
                set(event.topics),
                set(event.participant_ids),
                everyone=everyone,
                seq=event.seq if followable(event) else None,
            )

    def _mark(
        self,
        workshop_id: int,
        topics: set[Topic],
        pids: set[int],
        *,
        everyone: bool = False,
        seq: int | None = None,
    ) -> None:
        """Note changes for the next flush; `seq` only for an event a held room can follow."""
        pending = self._pending.setdefault(workshop_id, Pending())
        if seq is None:
            pending.followable = False
        else:
            pending.seqs.add(seq)
        pending.topics |= topics
        pending.participant_ids |= pids
        pending.everyone |= everyone or Topic.stage in topics
        if workshop_id not in self._flushers:
            self._start_flusher(workshop_id)

    def _start_flusher(self, workshop_id: int, delay: float | None = None) -> None:
        task = asyncio.create_task(self._flush(workshop_id, delay))
        self._flushers[workshop_id] = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _wait_for_events(self, workshop_id: int, pending: Pending, last_flush: float) -> None:
        """Flush these changes again in a moment, once the events still on their way are in.
        The flush did not happen, so the tick is not spent."""
        pending.waits += 1
        newer = self._pending.pop(workshop_id, None)
        self._pending[workshop_id] = pending if newer is None else pending.merge(newer)
        self._last_flush[workshop_id] = last_flush
        # A flusher started by a change that came in meanwhile waits for the next tick; this
        # one flushes its changes too, sooner. Left running, it would flush a second time a
        # few milliseconds after this one.
        later = self._flushers.get(workshop_id)
        if later is not None:
            later.cancel()
        self._start_flusher(workshop_id, EVENT_WAIT_SECONDS)

    def _lock(self, workshop_id: int) -> asyncio.Lock:
        return self._locks.setdefault(workshop_id, asyncio.Lock())

    async def _flush(self, workshop_id: int, delay: float | None = None) -> None:
        loop = asyncio.get_running_loop()
        # Leading edge: a lone change goes out at once; a burst at most once per tick.
        last_flush = self._last_flush.get(workshop_id, 0.0)
        wait = last_flush + self._tick - loop.time() if delay is None else delay
        if wait > 0:
            await asyncio.sleep(wait)
        async with self._lock(workshop_id):
            self._flushers.pop(workshop_id, None)
            pending = self._pending.pop(workshop_id, None)
            last_flush = self._last_flush.get(workshop_id, 0.0)
            self._last_flush[workshop_id] = loop.time()
            clients = list(self._clients.get(workshop_id, ()))
            if pending is None or not clients:
                return
            topics = frozenset(pending.topics)
            base = self._lists.get(workshop_id)
            # Clients whose lists equal the hub's last ones can take just the changes.
            wants = {
                ((c.audience, c.lang), base is not None and c.list_seq == base.seq) for c in clients
            }
            # (participant, language) -> the oldest own fragments its phones were sent directly.
            pids: dict[tuple[int, str], int] = {}
            for c in clients:
                if c.participant_id is not None and (
                    pending.everyone or c.participant_id in pending.participant_ids
                ):
                    who = (c.participant_id, c.lang)
                    pids[who] = min(pids.get(who, c.private_seq), c.private_seq)
            try:
                rendered = await anyio.to_thread.run_sync(
                    self._render, workshop_id, topics, wants, pids, base, pending
                )
            except EventsInFlight:
                self._wait_for_events(workshop_id, pending, last_flush)
                return
            except Exception:
                # Keep the changes: the room is rendered whole (a resync) after a pause, so a
                # broken render neither drops them nor retries every tick.
                log.exception("render failed for workshop %s; resyncing it", workshop_id)
                self._lists.pop(workshop_id, None)
                self._rooms.pop(workshop_id, None)
                self._last_flush[workshop_id] = loop.time() + RENDER_RETRY_SECONDS
                self._mark(workshop_id, set(Topic), set(pending.participant_ids), everyone=True)
                return
            if rendered is None:
                self._rooms.pop(workshop_id, None)
                return
            self._rooms[workshop_id] = rendered.room
            if rendered.lists is not None:
                self._lists[workshop_id] = rendered.lists
            deliver(clients, rendered, base)

    def _render(
        self,
        workshop_id: int,
        topics: frozenset[Topic],
        wants: set[tuple[View, bool]],
        pids: dict[tuple[int, str], int],
        base: Lists | None,
        pending: Pending,
    ) -> Rendered | None:
        # Groups too: when the room votes on groups, a merge or delete changes the targets.
        with_agenda = bool(topics & {Topic.agenda, Topic.stage, Topic.groups})
        held = self._rooms.get(workshop_id)
        room = read_room(self._db, workshop_id, held, pending, with_agenda=with_agenda)
        if room is None:
            return None
        rendered = render_views(room, topics, wants, pids, base, with_agenda=with_agenda)
        self.recent_renders.append((workshop_id, tuple(view for view, _ in rendered.shared)))
        return rendered

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

    async def resync(self, client: Client) -> None:
        """A client saw a gap in the seqs it got (or asks for any other reason): send it
        the full state again, in order with its other pushes."""
        loop = asyncio.get_running_loop()
        # A snapshot is a whole-room read: one a second per client at most.
        wait = client.last_resync + RESYNC_INTERVAL - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        client.last_resync = loop.time()
        async with self._lock(client.workshop_id):
            snapshot = await anyio.to_thread.run_sync(self._snapshot, client)
            if snapshot is not None:
                client.offer(snapshot)

    def _snapshot(self, client: Client) -> str | None:
        with self._db.snapshot() as session:
            room = load_room(session=session, workshop_id=client.workshop_id)
        if room is None:
            return None
        # Its lists are now those of this seq: the next push sends them whole unless the
        # hub's lists are of the same seq.
        client.sent_seq = client.list_seq = room.seq
        return render_snapshot(room, client.audience, client.participant_id, client.lang).body

    async def detach(self, client: Client) -> None:
        clients = self._clients.get(client.workshop_id)
        if clients is not None:
            clients.discard(client)
            if not clients:
                del self._clients[client.workshop_id]
                self._rooms.pop(client.workshop_id, None)
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

    def send_direct(self, client: Client, body: str, *, seq: int | None = None) -> None:
        """A reply to one client (an acknowledgement or an error), queued at once.

        It takes no lock: waiting for a flush of the whole room before each answer's
        acknowledgement serialised every acknowledgement behind the room's renders. `seq` is
        the state the reply's own fragments were read at; a flush whose private fragments
        were read earlier leaves them out, so a reply is never overwritten by older state."""
        if seq is not None:
            client.private_seq = max(client.private_seq, seq)
        client.offer(body)

    def render_private_now(
        self, workshop_id: int, participant_id: int, *, with_form: bool, lang: str
    ) -> tuple[int, str]:
        """(seq read at, this participant's own fragments); (0, "") if the workshop is gone."""
        with self._db.snapshot() as session:
            # Only this person's rows: an acknowledgement must not cost a whole-room read.
            room = load_room(
                session=session,
                workshop_id=workshop_id,
                only_participant=participant_id,
                with_agenda=False,
            )
        if room is None:
            return 0, ""
        return room.seq, render_private(room, participant_id, with_form=with_form, lang=lang)
