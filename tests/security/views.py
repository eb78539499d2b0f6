"""A client's view of the live fragments, kept like htmx does: the last version of each id.

Reading with a deadline uses the test session's stream directly: starlette's receive has no
timeout, and a view that never converges must fail the test, not hang it.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable

import anyio
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from tests.support.oob import Page

_ANSWER_BODY = re.compile(
    r'<div class="answer-body">(.*?)(?: <span class="badge">.*?)?</div>', re.S
)


class View:
    """The page as htmx would hold it after every push so far (tests/support/oob.py)."""

    def __init__(self, ws: WebSocketTestSession) -> None:
        self.ws = ws
        self.page = Page()
        self.messages: list[str] = []

    def apply(self, message: str) -> None:
        self.messages.append(message)
        self.page.apply(message)
        assert not self.page.errors, self.page.errors

    def fragment(self, element_id: str) -> str:
        return self.page.html(element_id) or ""

    def has(self, element_id: str) -> bool:
        return self.page.root.find(element_id) is not None

    def _next(self, timeout: float | None) -> str | None:
        stream = self.ws._send_rx

        async def wait() -> object:
            with anyio.move_on_after(timeout or 0):
                return await stream.receive()
            return None

        def now() -> object:
            try:
                return stream.receive_nowait()
            except anyio.WouldBlock:
                return None

        message = self.ws.portal.call(now) if timeout is None else self.ws.portal.call(wait)
        if message is None:
            return None
        assert isinstance(message, dict)
        if message["type"] == "websocket.close":
            raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
        text = message["text"]
        assert isinstance(text, str)
        return text

    def drain(self) -> None:
        while (message := self._next(None)) is not None:
            self.apply(message)

    def until(self, predicate: Callable[[View], bool], *, seconds: float = 10.0) -> None:
        """Apply pushes until the predicate holds; fail if it does not within the deadline."""
        deadline = time.monotonic() + seconds
        self.drain()
        while not predicate(self):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"view did not converge; last message: {self.messages[-1:]}")
            message = self._next(left)
            if message is not None:
                self.apply(message)
                self.drain()

    def reply(self, *, seconds: float = 10.0) -> str:
        """The next acknowledgement or error (a flash) sent to this client."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            message = self._next(left) if left > 0 else None
            if message is None:
                raise AssertionError(f"no reply within {seconds} s")
            self.apply(message)
            if "flash-ok" in message or "flash-error" in message:
                return message

    def own_answers(self) -> list[str]:
        return [html.unescape(t) for t in _ANSWER_BODY.findall(self.fragment("my-answers"))]

    def room_answer_ids(self) -> list[int]:
        """The answers the room list shows (other people's view), in order."""
        if self.page.root.find("room-answer-list") is None:
            return []
        return [int(i[3:]) for i in self.page.ids("room-answer-list") if i.startswith("ra-")]

    def answer_count(self) -> int | None:
        """The count in the console's heading, checked against the answers listed."""
        count = self.page.root.find("console-answers-count")
        if count is None:
            return None
        listed = [i for i in self.page.ids("console-answer-list") if i.startswith("ca-")]
        number = int(count.children[0].text)
        assert number == len(listed), (number, listed)
        return number


def own_answers_in(message: str) -> list[str] | None:
    """The texts in a message's own-answers fragment; None if the message has none."""
    match = re.search(r'<section id="my-answers".*?</section>', message, re.S)
    if match is None:
        return None
    return [html.unescape(t) for t in _ANSWER_BODY.findall(match.group(0))]
