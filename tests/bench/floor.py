"""The floor: a bare Starlette app on uvicorn that relays each message to every socket.

No database, no templates, no coalescing: what delivering the same answers to the same
sockets costs at the least. Run as `uvicorn tests.bench.floor:app`.
"""

from __future__ import annotations

import asyncio
import contextlib

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
