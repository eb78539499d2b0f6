"""A client's sender task: stopping it never hangs, whatever the socket is doing."""

from __future__ import annotations

import asyncio
from typing import cast

from fastapi import WebSocket
from fastapi.testclient import TestClient
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocketState

from app.config import Settings
from app.db import Database
from app.live.client import Client
from app.live.render import Audience
from app.main import create_app
from tests.live.helpers import act, receive_until, sign_up_and_create


class _Socket:
    """Stands in for Starlette's socket: records what was sent, optionally on a delay."""

    def __init__(self, *, on_send: object = None, delay: float = 0.0) -> None:
        self.sent: list[str] = []
        self.on_send = on_send
        self.delay = delay
        self.application_state = WebSocketState.DISCONNECTED

    async def send_text(self, text: str) -> None:
        if callable(self.on_send):
            self.on_send()
        if self.delay:
            await asyncio.sleep(self.delay)
        self.sent.append(text)


def _client(socket: _Socket, *, send_timeout: float = 5.0) -> Client:
    return Client(
        cast(WebSocket, socket),
        workshop_id=1,
        audience=Audience.participant,
        send_timeout=send_timeout,
    )


def test_a_stop_that_lands_as_a_send_completes_ends_the_sender() -> None:
    """Python 3.11's asyncio.wait_for swallowed a cancel arriving in the same loop turn
    as the send it wrapped: the sender went back to waiting for messages and every
    closing socket waited for it forever."""

    async def scenario() -> tuple[bool, list[str]]:
        holder: list[Client] = []

        def cancel_now() -> None:
            task = holder[0]._task
            assert task is not None
            # Scheduled before the send's own completion callback: the same loop turn.
            asyncio.get_running_loop().call_soon(task.cancel)

        socket = _Socket(on_send=cancel_now)
        client = _client(socket)
        holder.append(client)
        client.start()
        client.offer("first")
        await asyncio.sleep(0.05)
        task = client._task
        assert task is not None
        return task.done(), socket.sent

    done, sent = asyncio.run(scenario())
    assert sent == ["first"]
    assert done, "the sender kept running after it was cancelled"


def test_stop_returns_while_a_send_is_in_flight_and_sends_nothing_more() -> None:
    async def scenario() -> tuple[list[str], bool]:
        # The send would take longer than the send timeout: stop must not wait for it.
        socket = _Socket(delay=60.0)
        client = _client(socket, send_timeout=30.0)
        client.start()
        client.offer("slow")
        client.offer("never")
        await asyncio.sleep(0.01)
        await asyncio.wait_for(client.stop(), 10.0)
        task = client._task
        assert task is not None
        return socket.sent, task.cancelled()

    sent, cancelled = asyncio.run(scenario())
    assert sent == []
    assert cancelled


def test_a_send_that_stalls_past_its_timeout_drops_the_client() -> None:
    async def scenario() -> tuple[bool, list[str]]:
        socket = _Socket(delay=10.0)
        client = _client(socket, send_timeout=0.05)
        client.start()
        client.offer("stuck")
        await asyncio.sleep(0.3)
        client.offer("after")
        await client.stop()
        return client.dropped, socket.sent

    dropped, sent = asyncio.run(scenario())
    assert dropped
    assert sent == []


def test_live_frames_go_out_past_the_middleware_wrappers(settings: Settings, db: Database) -> None:
    """A push is sent with the server's own send: the layers between server and route (here
    one that records what passes it, innermost) see the accept but no frame."""
    seen: list[str] = []

    class Recording:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            async def recorded(message: Message) -> None:
                seen.append(message["type"])
                await send(message)

            await self.app(scope, receive, recorded if scope["type"] == "websocket" else send)

    app = create_app(settings)
    app.user_middleware.append(Middleware(Recording))
    with TestClient(app, base_url="http://testserver") as client:
        cookie, workshop_id, _code = sign_up_and_create(client)
        with client.websocket_connect(
            f"/ws/workshops/{workshop_id}/facilitator", headers={"cookie": cookie}
        ) as console:
            receive_until(console, lambda m: 'id="sync"' in m)
            act(client, cookie, workshop_id, "start")
            receive_until(console, lambda m: 'data-base="' in m)
    assert "websocket.accept" in seen  # the recording layer is on the path
    assert "websocket.send" not in seen
