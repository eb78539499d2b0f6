"""CPU per queued send of the hub's per-socket sender (queue, task, send watchdog), with a
socket that costs nothing: `python -m tests.bench.sends`."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import cast

from fastapi import WebSocket
from starlette.websockets import WebSocketState

from app.live.client import Client
from app.live.render import Audience


class _Socket:
    application_state = WebSocketState.DISCONNECTED

    def __init__(self) -> None:
        self.sent = 0

    async def send_text(self, text: str) -> None:
        self.sent += 1


async def per_send_us(sockets: int = 500, rounds: int = 200) -> float:
    fakes = [_Socket() for _ in range(sockets)]
    clients = [
        Client(cast(WebSocket, f), workshop_id=1, audience=Audience.participant) for f in fakes
    ]
    for client in clients:
        client.start()
    await asyncio.sleep(0)
    t0 = time.process_time()
    for _ in range(rounds):
        for client in clients:
            client.offer("<div id='x'>push</div>")
        await asyncio.sleep(0)
    for _ in range(1000):  # let the senders drain their queues
        if sum(f.sent for f in fakes) >= rounds * sockets:
            break
        await asyncio.sleep(0)
    spent = time.process_time() - t0
    for client in clients:
        await client.stop()
    return spent / (rounds * sockets) * 1e6


if __name__ == "__main__":
    sys.stdout.write(f"{asyncio.run(per_send_us()):.2f} us CPU per queued send\n")
