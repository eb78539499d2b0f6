"""The language switch on every page: `?lang=en` on any page sets the cookie and comes back.

A plain link, so it works without JavaScript; a GET that only stores a preference, so it
needs no CSRF token. The JSON API is left alone (it answers in Dutch, see docs/i18n.md).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode

from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from app.i18n import COOKIE, COOKIE_MAX_AGE, LANGUAGES


class LanguageSwitchMiddleware:
    def __init__(self, app: ASGIApp, *, secure: bool = False) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        lang = _requested(scope)
        if lang is None:
            await self.app(scope, receive, send)
            return
        query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        rest = urlencode([(k, v) for k, v in query if k != "lang"])
        # Always a local path: "//elsewhere" must not become a link to another site.
        location = "/" + quote(scope["path"].lstrip("/")) + (f"?{rest}" if rest else "")
        response = RedirectResponse(location, status_code=303)
        response.set_cookie(
            COOKIE,
            lang,
            max_age=COOKIE_MAX_AGE,
            path="/",
            samesite="lax",
            secure=self.secure,
            httponly=True,
        )
        await response(scope, receive, send)


def _requested(scope: Scope) -> str | None:
    if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
        return None
    if scope["path"].startswith(("/api/", "/static/")):
        return None
    query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
    chosen = [v for k, v in query if k == "lang"]
    return chosen[-1] if chosen and chosen[-1] in LANGUAGES else None
