"""The floors our live path is measured against, each a bare Starlette app on uvicorn.

`app` (`uvicorn tests.bench.floor:app`): relays each message to every socket at once. No
database, no coalescing; a second reference only.

`fair_app` (`uvicorn tests.bench.floor:fair_app`): the fair floor. It speaks our protocol's
frames as far as the load client needs (docs/protocol.md): a snapshot with the prompt's id and
`#sync` on connect; an `answer` message is committed to a SQLite file (WAL,
synchronous=NORMAL, one row per answer, idempotency key unique per socket) before the sender
gets its acknowledgement (`Verstuurd.` with the answer); the answers of one tick go out as ONE
frame to every socket, with `#sync` seq and base, on the same leading-edge tick as our hub
(`PUSH_TICK_SECONDS`, 0.1 s): a change to an idle room goes out at once, changes during the
next tick are merged. `FAIR_FLOOR_DB` names the SQLite file.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import os
import sqlite3
import threading

import anyio.to_thread
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

_clients: set[WebSocket] = set()


async def _send(ws: WebSocket, message: str) -> None:
    with contextlib.suppress(Exception):
        await ws.send_text(message)


async def relay(ws: WebSocket) -> None:
    await ws.accept()
    _clients.add(ws)
    try:
        while True:
            message = await ws.receive_text()
            await asyncio.gather(*(_send(c, message) for c in list(_clients)))
    except WebSocketDisconnect:
        pass
    finally:
        _clients.discard(ws)


app = Starlette(routes=[WebSocketRoute("/ws", relay)])

PROMPT_ID = 1


class Store:
    """The answers, durably in SQLite before anyone is told: the same journal settings as
    the app (WAL, synchronous=NORMAL), one commit per answer."""

    def __init__(self, path: str) -> None:
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS answer (id INTEGER PRIMARY KEY, sender TEXT NOT NULL,"
            " idempotency_key TEXT NOT NULL, prompt_id INTEGER NOT NULL, text TEXT NOT NULL,"
            " UNIQUE (sender, idempotency_key))"
        )
        self._lock = threading.Lock()

    def add(self, sender: str, key: str, prompt_id: int, text: str) -> bool:
        """Commit one answer; False when this sender already sent this key (nothing new)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._conn.execute(
                    "INSERT OR IGNORE INTO answer (sender, idempotency_key, prompt_id, text)"
                    " VALUES (?, ?, ?, ?)",
                    (sender, key, prompt_id, text),
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            return cursor.rowcount == 1

    def close(self) -> None:
        self._conn.close()


class Room:
    """Every socket of the one room, and the answers waiting for the next tick."""

    def __init__(self, tick: float) -> None:
        self.tick = tick
        self.sockets: set[WebSocket] = set()
        self.seq = 0  # one per committed answer
        self.sent_seq = 0  # the seq of the last frame sent to every socket
        self.pending: list[str] = []
        self._last_flush = -1e9
        self._flusher: asyncio.Task[None] | None = None
        self._sending = asyncio.Lock()

    def snapshot(self) -> str:
        return (
            '<section id="console-stage"></section><form id="answer-form">'
            f'<input type="hidden" name="prompt_id" value="{PROMPT_ID}"></form>'
            f'<div id="sync" data-seq="{self.sent_seq}" hidden></div>'
        )

    def changed(self, item: str) -> None:
        self.seq += 1
        self.pending.append(item)
        if self._flusher is None:
            loop = asyncio.get_running_loop()
            delay = max(0.0, self._last_flush + self.tick - loop.time())
            self._flusher = asyncio.create_task(self._flush_after(delay))

    def frame(self) -> str:
        """The pending answers and `#sync`, once for every socket; empties the batch."""
        items, self.pending = self.pending, []
        body = '<ul hx-swap-oob="beforeend:#room-answer-list">' + "".join(items) + "</ul>"
        body += f'<div id="sync" data-seq="{self.seq}" data-base="{self.sent_seq}" hidden></div>'
        self.sent_seq = self.seq
        return body

    async def _flush_after(self, delay: float) -> None:
        await asyncio.sleep(delay)
        async with self._sending:  # frames reach each socket in seq order
            self._flusher = None
            self._last_flush = asyncio.get_running_loop().time()
            message = self.frame()
            await asyncio.gather(*(_send(ws, message) for ws in list(self.sockets)))


def ack(text: str) -> str:
    return (
        f'<section id="my-answers"><p>{html.escape(text)}</p></section>'
        '<div id="flash" class="flash flash-ok">Verstuurd.</div>'
    )


def make_fair_app(db_path: str | None = None, tick: float | None = None) -> Starlette:
    """The fair floor; by default its file and tick come from FAIR_FLOOR_DB and
    PUSH_TICK_SECONDS when the first socket connects."""
    state: dict[str, object] = {}

    def room_and_store() -> tuple[Room, Store]:
        if not state:
            state["room"] = Room(tick or float(os.environ.get("PUSH_TICK_SECONDS", "0.1")))
            state["store"] = Store(db_path or os.environ.get("FAIR_FLOOR_DB", "fair-floor.db"))
        room, store = state["room"], state["store"]
        assert isinstance(room, Room) and isinstance(store, Store)
        return room, store

    async def fair(ws: WebSocket) -> None:
        room, store = room_and_store()
        await ws.accept()
        sender = f"{id(ws):x}"
        room.sockets.add(ws)
        try:
            await ws.send_text(room.snapshot())
            while True:
                message = json.loads(await ws.receive_text())
                if message.get("type") != "answer":
                    continue
                text = str(message["text"])
                key, prompt = str(message["idempotency_key"]), int(message["prompt_id"])
                stored = await anyio.to_thread.run_sync(store.add, sender, key, prompt, text)
                await ws.send_text(ack(text))  # only after the commit
                if stored:
                    room.changed(f"<li>{html.escape(text)}</li>")
        except WebSocketDisconnect:
            pass
        finally:
            room.sockets.discard(ws)

    return Starlette(routes=[WebSocketRoute("/ws/{path:path}", fair)])


fair_app = make_fair_app()
