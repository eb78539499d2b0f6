"""Faults on a real server: kill -9 during an answer burst, graceful shutdown, a locked database.

The server is uvicorn in a subprocess on loopback, on a migrated database; the phones are
`websockets` clients with the cookie a real join gave them. Every wait has a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
import signal
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import select
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from app.db import Database
from app.models import Answer
from tests.conftest import BACKEND, PG_URL, fresh_database_url
from tests.factories import PASSWORD
from tests.live.helpers import act, join, prompt_id_in, receive_until, send_answer
from tests.live.helpers import sign_up_and_create as sign_up
from tests.security.views import own_answers_in
from tests.serverproc import ROOT, AppServer, app_env, run_cli
from tests.support.server import create_running_workshop, log_in
from tests.support.server import join as join_over_http

PHONES = 4
BURST = 30  # answers per phone
KILL_AFTER = 5  # acknowledgements seen in all before the server is killed
EMAIL = "storing@example.nl"
DEADLINE = 60.0


@dataclass
class Server:
    app: AppServer
    db: Database


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("faults")
    with fresh_database_url(directory) as url:
        env = app_env(url, directory / "data")
        # Each phone sends its burst twice (before the kill and again after the restart):
        # more than the per-participant answer limit allows, which is not under test here.
        env["ANSWERS_PER_PARTICIPANT"] = str(4 * BURST)
        run_cli(env, "migrate")
        run_cli(env, "users", "create", "--email", EMAIL, "--password", PASSWORD)
        db = Database(url)
        app = AppServer(env, log_path=directory / "server.log")
        try:
            with app:
                yield Server(app, db)
        finally:
            db.dispose()


@dataclass
class Phone:
    name: str
    cookie: str
    sent: list[tuple[str, str]] = field(default_factory=list)  # (key, text), in order
    replies: list[str] = field(default_factory=list)  # ok/error flashes, in order

    @property
    def acknowledged(self) -> list[tuple[str, str]]:
        # One reply per message, in order: the i-th reply answers the i-th message.
        return [m for m, r in zip(self.sent, self.replies, strict=False) if "Verstuurd." in r]


async def _open(server: AppServer, phone: Phone) -> ClientConnection:
    """Connect, retrying while the server is down, as htmx-ext-ws does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE
    while True:
        try:
            return await connect(
                f"{server.ws_url}/ws/w/{phone_code(phone)}",
                additional_headers={"Cookie": phone.cookie},
                open_timeout=10,
            )
        except OSError:
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.1)


_CODES: dict[str, str] = {}


def phone_code(phone: Phone) -> str:
    return _CODES[phone.name]


async def _until(ws: ClientConnection, needle: str) -> str:
    async with asyncio.timeout(DEADLINE):
        while True:
            message = await ws.recv()
            assert isinstance(message, str)
            if needle in message:
                return message


def _message(prompt_id: int, key: str, text: str) -> str:
    return json.dumps({"type": "answer", "prompt_id": str(prompt_id), "idempotency_key": key,
                       "text": text, "HEADERS": {"HX-Request": "true"}})  # fmt: skip


def _stored(db: Database, workshop_id: int) -> dict[str, int]:
    with db.reading() as session:
        rows = session.exec(
            select(Answer.idempotency_key, func.count())
            .where(Answer.workshop_id == workshop_id)
            .group_by(Answer.participant_id, Answer.idempotency_key)
        ).all()
    return {key: int(n) for key, n in rows}


# Two server starts and a hundred answers twice: generous on a loaded machine.
@pytest.mark.timeout(300)
def test_kill_9_during_a_burst_loses_no_acknowledged_answer(server: Server) -> None:
    client = log_in(server.app.url, EMAIL, PASSWORD)
    workshop_id, code = create_running_workshop(client)
    client.close()
    run = secrets.token_hex(3)
    phones = [Phone(f"Telefoon{i}", join_over_http(server.app.url, code, f"Telefoon{i}"))
              for i in range(PHONES)]  # fmt: skip
    for phone in phones:
        _CODES[phone.name] = code
    asyncio.run(_burst_kill_restart(server, phones, run))

    stored = _stored(server.db, workshop_id)
    for phone in phones:
        for key, _text in phone.sent:
            assert stored.get(key) == 1, (phone.name, key, stored.get(key))
    assert sum(stored.values()) == PHONES * BURST


async def _burst_kill_restart(server: Server, phones: list[Phone], run: str) -> None:
    opened: list[ClientConnection] = []
    try:
        await _burst_kill_restart_on(server, phones, run, opened)
    finally:
        for ws in opened:
            await ws.close()


async def _burst_kill_restart_on(
    server: Server, phones: list[Phone], run: str, opened: list[ClientConnection]
) -> None:
    sockets = [await _open(server.app, phone) for phone in phones]
    opened += sockets
    prompt_id = prompt_id_in(await _until(sockets[0], 'name="prompt_id"'))
    acks = 0
    killed = asyncio.Event()

    async def read(phone: Phone, ws: ClientConnection) -> None:
        nonlocal acks
        try:
            async for message in ws:
                assert isinstance(message, str)
                if "flash-ok" in message or "flash-error" in message:
                    phone.replies.append(message)
                    acks += "Verstuurd." in message
                    if acks >= KILL_AFTER and not killed.is_set():
                        killed.set()
                        server.app.kill()  # mid-burst: most answers are still in flight
        except ConnectionClosed:
            pass

    readers = [asyncio.create_task(read(p, ws)) for p, ws in zip(phones, sockets, strict=True)]
    for i in range(BURST):
        for phone, ws in zip(phones, sockets, strict=True):
            key, text = f"{run}-{phone.name}-{i:03d}", f"{phone.name} zegt {i:03d}"
            phone.sent.append((key, text))
            with contextlib.suppress(ConnectionClosed):
                await ws.send(_message(prompt_id, key, text))
    async with asyncio.timeout(DEADLINE):
        await asyncio.gather(*readers)
    assert killed.is_set()
    acknowledged = sum(len(p.acknowledged) for p in phones)
    assert KILL_AFTER <= acknowledged < PHONES * BURST, "the kill should land mid-burst"

    await asyncio.to_thread(server.app.start)
    sockets = [await _open(server.app, phone) for phone in phones]
    opened += sockets
    # Catch-up: the first state after reconnecting holds every acknowledged answer.
    for phone, ws in zip(phones, sockets, strict=True):
        snapshot = await _until(ws, 'id="my-answers"')
        shown = own_answers_in(snapshot) or []
        missing = [text for _key, text in phone.acknowledged if text not in shown]
        assert missing == [], (phone.name, missing)
    # Then each phone resends everything it sent (same keys): all acknowledged, none twice.
    for phone, ws in zip(phones, sockets, strict=True):
        for key, text in phone.sent:
            await ws.send(_message(prompt_id, key, text))
        for _ in phone.sent:
            assert "Verstuurd." in await _until(ws, "flash-")


def test_graceful_shutdown_closes_with_a_code_the_htmx_client_reconnects_on(
    server: Server,
) -> None:
    if server.app.process is None or server.app.process.poll() is not None:
        server.app.start()
    client = log_in(server.app.url, EMAIL, PASSWORD)
    _workshop_id, code = create_running_workshop(client)
    client.close()
    phone = Phone("Afsluiter", join_over_http(server.app.url, code, "Afsluiter"))
    _CODES[phone.name] = code

    async def watch() -> int | None:
        async with await _open(server.app, phone) as ws:
            return await _shut_down_under(ws)

    async def _shut_down_under(ws: ClientConnection) -> int | None:
        await _until(ws, 'id="sync"')
        stop = asyncio.create_task(asyncio.to_thread(server.app.terminate))
        async with asyncio.timeout(DEADLINE):
            try:
                while True:
                    await ws.recv()
            except ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd is not None else None
        # uvicorn finishes its graceful shutdown, then re-raises the signal it caught.
        assert await stop in (0, -signal.SIGTERM), server.app.log()
        return code

    close_code = asyncio.run(watch())
    vendored = (ROOT / "static/vendor/htmx-ext-ws-2.0.4.min.js").read_text(encoding="utf-8")
    listed = re.search(r"\[([\d,]+)\]\.indexOf\(e\.code\)", vendored)
    assert listed, "the htmx ws extension no longer lists its reconnect codes this way"
    reconnects_on = {int(c) for c in listed.group(1).split(",")}
    assert reconnects_on == {1006, 1011, 1012, 1013}
    assert close_code == 1012  # "service restart"
    assert close_code in reconnects_on


class _Lock:
    """Another connection holding the write lock until released."""

    def __init__(self, database_url: str) -> None:
        self._url = database_url
        self.taken = threading.Event()
        self.release = threading.Event()
        self._thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        if BACKEND == "sqlite":
            path = self._url.removeprefix("sqlite:///")
            conn = sqlite3.connect(path, isolation_level=None, timeout=30)
            conn.execute("BEGIN IMMEDIATE")
            self.taken.set()
            self.release.wait(30)
            conn.execute("ROLLBACK")
            conn.close()
            return
        schema = re.search(r"search_path%3D(\w+)", self._url)
        assert schema
        with psycopg.connect(PG_URL) as conn:
            # EXCLUSIVE blocks every write to the table but still lets the test read it.
            conn.execute(f"LOCK TABLE {schema.group(1)}.answer IN EXCLUSIVE MODE")
            self.taken.set()
            self.release.wait(30)
            conn.rollback()

    def __enter__(self) -> _Lock:
        self._thread.start()
        assert self.taken.wait(30)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release.set()
        self._thread.join(30)


def test_a_locked_database_delays_an_answer_but_never_loses_it(
    client: TestClient, db: Database, database_url: str
) -> None:
    facilitator, workshop_id, code = sign_up(client)
    sanne = join(client, code, name="Sanne")
    act(client, facilitator, workshop_id, "start")
    act(client, facilitator, workshop_id, "open")
    with client.websocket_connect(f"/ws/w/{code}", headers={"cookie": sanne}) as phone:
        prompt_id = prompt_id_in(receive_until(phone, lambda m: 'name="prompt_id"' in m))
        with _Lock(database_url) as lock:
            send_answer(phone, prompt_id, "Tijdens het slot", "locked-key-01")
            # While the lock is held the answer cannot be committed, so it is not there yet.
            assert _stored(db, workshop_id) == {}
            lock.release.set()
            ack = receive_until(phone, lambda m: "flash-ok" in m or "flash-error" in m)
        assert "Verstuurd." in ack and "Tijdens het slot" in ack
    assert _stored(db, workshop_id) == {"locked-key-01": 1}
