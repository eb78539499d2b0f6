"""One websocket's sender: a bounded queue and a task, so a stalled phone holds up no one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque

from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketState

from app.i18n import DEFAULT_LANGUAGE
from app.live.render import Audience
from app.live.wire import Outgoing, direct_writer

log = logging.getLogger(__name__)
# Close code for a client that fell too far behind; the htmx client reconnects on it.
CLOSE_TRY_AGAIN = 1013
# Not allowed (any more): the account logged out. The client does not retry it.
CLOSE_FORBIDDEN = 4403
# Where RawSendMiddleware keeps the server's own send in a websocket's scope.
RAW_SEND = "gesprekskaarten.raw_send"


class RawSendMiddleware:
    """Keeps the server's own `send` of each websocket in its scope.

    The middlewares between the server and a route (sessions, error handling) wrap `send`
    for what they do to HTTP responses; a text frame passes through them untouched. A push
    goes to hundreds of sockets ten times a second, so the live clients send their frames
    with the server's send directly (accept and close still go through Starlette)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[RAW_SEND] = send
        await self.app(scope, receive, send)


class Client:
    """One websocket: a bounded queue and a sender task, so a stalled phone holds up no one."""

    def __init__(
        self,
        websocket: WebSocket,
        *,
        workshop_id: int,
        audience: Audience,
        participant_id: int | None = None,
        user_id: int | None = None,
        lang: str = DEFAULT_LANGUAGE,
        queue_size: int = 64,
        send_timeout: float = 5.0,
    ) -> None:
        self.websocket = websocket
        self.workshop_id = workshop_id
        self.audience = audience
        self.participant_id = participant_id
        self.user_id = user_id  # the facilitator's account, for a console or projector
        self.lang = lang  # fixed at connect: switching language reloads the page
        # A deque and one waiter, not an asyncio.Queue: offering and waking cost a third.
        self._queue: deque[Outgoing] = deque()
        self._queue_size = queue_size
        self._waiter: asyncio.Future[None] | None = None
        scope = getattr(websocket, "scope", None)
        self._raw_send: Send | None = scope.get(RAW_SEND) if isinstance(scope, dict) else None
        # Writes a frame straight to the socket when nothing is queued or in flight.
        self._direct = direct_writer(self._raw_send)
        self._send_timeout = send_timeout
        self._task: asyncio.Task[None] | None = None
        self.dropped = False
        # The seq of the last push this client got (its page's #sync), and the seq of the
        # hub's answer lists its answer lists equal; None until its snapshot is queued.
        self.sent_seq: int | None = None
        self.list_seq: int | None = None
        self.last_resync = float("-inf")
        # The seq of the newest own fragments (answer form, own answers) sent directly.
        self.private_seq = 0
        # When the send in flight started (None: none is); one watchdog timer checks it.
        self._sending_since: float | None = None
        self._watchdog: asyncio.TimerHandle | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._send_loop())

    def offer(self, message: str | Outgoing) -> None:
        out = message if isinstance(message, Outgoing) else Outgoing(message)
        if self.dropped or not out.text:
            return
        queue = self._queue
        # Nothing ahead of it: written at once, without waking the sender task.
        if (
            not queue
            and self._sending_since is None
            and self._direct is not None
            and self._task is not None
            and self._direct(out)
        ):
            return
        if len(queue) >= self._queue_size:
            self._drop("queue full")
            return
        queue.append(out)
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def take_queued(self) -> list[str]:
        """What is queued and not yet sent, taken out (for tests and benchmarks)."""
        taken = [out.text for out in self._queue]
        self._queue.clear()
        return taken

    async def _send_loop(self) -> None:
        loop = asyncio.get_running_loop()
        queue = self._queue
        raw = self._raw_send
        while True:
            while not queue:
                self._waiter = loop.create_future()
                await self._waiter
            message = queue.popleft()
            if self._direct is not None and self._direct(message):
                continue
            # No timer per send (asyncio.timeout cost more than the rest of the hop): a send
            # notes when it started, and one watchdog per client looks at most once per
            # timeout. A stalled send is cancelled by the drop, as a timeout would.
            self._sending_since = loop.time()
            if self._watchdog is None:
                self._watchdog = loop.call_later(self._send_timeout, self._check_send)
            try:
                if raw is not None:
                    await raw({"type": "websocket.send", "text": message.text})
                else:
                    await self.websocket.send_text(message.text)
            except Exception:  # the socket is gone; the receive loop cleans up
                return
            finally:
                self._sending_since = None

    def _check_send(self) -> None:
        """Drop the client if its send in flight is older than the timeout; else look again
        when the one in flight would time out (or stop looking while none is)."""
        self._watchdog = None
        started = self._sending_since
        if started is None or self.dropped:
            return
        loop = asyncio.get_running_loop()
        late = loop.time() - started
        if late >= self._send_timeout:
            self._drop("send timed out")
        else:
            self._watchdog = loop.call_later(self._send_timeout - late, self._check_send)

    def _drop(self, why: str) -> None:
        if self.dropped:
            return
        self.dropped = True
        log.info("dropping slow client of workshop %s: %s", self.workshop_id, why)
        asyncio.get_running_loop().create_task(self._close())

    def revoke(self) -> None:
        """Its account logged out: stop sending and close with 4403."""
        if self.dropped:
            return
        self.dropped = True
        asyncio.get_running_loop().create_task(self._close(CLOSE_FORBIDDEN))

    async def _close(self, code: int = CLOSE_TRY_AGAIN) -> None:
        self._cancel_watchdog()
        if self._task is not None:
            self._task.cancel()
        if self.websocket.application_state is WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await self.websocket.close(code=code)

    def _cancel_watchdog(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None

    async def stop(self) -> None:
        self._cancel_watchdog()
        task = self._task
        if task is None:
            return
        task.cancel()
        # A sender ends at its next await; never let a closing socket wait on it for long.
        await asyncio.wait({task}, timeout=self._send_timeout)
        if task.done():
            if not task.cancelled():
                task.exception()  # retrieved, so asyncio does not log it as never seen
        else:
            log.warning("sender of a workshop %s client did not stop", self.workshop_id)
