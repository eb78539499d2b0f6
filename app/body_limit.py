"""A cap on request bodies, applied before anything parses them.

Counts the bytes as they arrive, so a chunked body without Content-Length is cut off too;
a declared Content-Length over the cap is refused before one byte is read.
"""

from __future__ import annotations

import contextlib
import json

from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.i18n import N_, language_of, translate

TOO_LARGE = N_("Dit verzoek is te groot. Stuur minder tekst of een kleiner bestand.")
MIB = 1024 * 1024


class BodyTooLarge(HTTPException):
    """Raised from receive(); an HTTPException so every layer above passes it on untouched."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


class BodySizeLimitMiddleware:
    def __init__(
        self, app: ASGIApp, *, max_bytes: int, larger: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # Exact paths allowed more (the archive import).
        self.larger = larger or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope["path"], self.max_bytes)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, send)
            return
        seen = 0
        too_large = False
        started = False

        async def counting_receive() -> Message:
            nonlocal seen, too_large
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    too_large = True
                    raise BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            # Once the body is over the cap, whatever the app says instead is dropped.
            if too_large:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        with contextlib.suppress(BodyTooLarge):
            await self.app(scope, counting_receive, guarded_send)
        if too_large and not started:
            await _refuse(scope, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(scope: Scope, send: Send) -> None:
    """413 with a clear message: JSON for the API (in Dutch), plain text in the reader's
    language for pages. The connection closes: the rest of the body is not read."""
    if scope["path"].startswith("/api/"):
        body = json.dumps({"detail": TOO_LARGE}).encode("utf-8")
        media = b"application/json"
    else:
        body = translate(language_of(HTTPConnection(scope)), TOO_LARGE).encode("utf-8")
        media = b"text/plain; charset=utf-8"
    headers = [
        (b"content-type", media),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
