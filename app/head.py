"""HEAD answered wherever GET is: monitoring and link checkers send HEAD.

FastAPI's routes list only the methods they declare, so `HEAD /` would be 405. This layer,
the outermost, runs a HEAD request as GET and drops the body, keeping the status and every
header (Content-Length included) that GET would send. One place instead of a decorator on
every route.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGetMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)
