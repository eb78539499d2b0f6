"""Helpers shared by the routes (not a route module: route modules import this, never each
other): rendering a page, redirecting, a download."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.deps import csrf_token
from app.templating import templates


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    ctx = {"csrf_token": csrf_token(request), "flash": request.session.pop("flash", None)}
    ctx.update(context or {})
    return templates.TemplateResponse(request, name, ctx, status_code=status)


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def back(request: Request, url: str, message: str | None = None) -> Response:
    """After a form: 204 for htmx (the page updates over its websocket), else back to `url`;
    `message` is flashed on the next page."""
    if message:
        request.session["flash"] = message
    return Response(status_code=204) if is_htmx(request) else redirect(url)


def safe_next(value: str | None) -> str:
    """Only local paths, so a login link cannot send someone elsewhere."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/dashboard"


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "bijeenkomst"


def download(body: bytes | str, *, media_type: str, name: str) -> Response:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )
