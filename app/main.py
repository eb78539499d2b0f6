"""The application factory: settings, decks, database, broadcast, hub, routes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware

from app.body_limit import BodySizeLimitMiddleware
from app.config import Settings, get_settings
from app.db import Database
from app.decks import CARDS_DIR, load_decks, serve_decks
from app.deps import CsrfFailed, LoginRequired
from app.head import HeadAsGetMiddleware
from app.i18n import N_, language_of, translate
from app.language_switch import LanguageSwitchMiddleware
from app.live.broadcast import broadcast_from_url
from app.live.hub import Hub
from app.live.timers import watch_timers
from app.mail_worker import mail_loop
from app.models import Participant
from app.routes import (
    agenda,
    agenda_api,
    api,
    api_docs,
    auth,
    console,
    deck_pages,
    groups,
    groups_api,
    live,
    mail,
    owner_pages,
    participant,
    privacy,
    programme,
    results,
    review_screen,
    workshops,
)
from app.security import SecurityHeadersMiddleware
from app.services.errors import DomainError, PersonalDataSuspected
from app.services.grouping.lexicon import load_lexicon
from app.services.limits import Limits, TooManyAttempts
from app.templating import templates

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
INVALID_REQUEST = N_(
    "Dit verzoek klopt niet. Controleer wat je hebt ingevuld en probeer het opnieuw."
)
DATABASE_DOWN = N_(
    "De database is even niet bereikbaar. Probeer het over een paar seconden opnieuw."
)


NOT_FOUND = N_("Deze pagina bestaat niet. Controleer het adres, of ga terug naar de startpagina.")


def _page_text(request: Request, message: str) -> str:
    """Dutch for the JSON API (docs/i18n.md), the reader's language for pages."""
    if request.url.path.startswith("/api/"):
        return message
    return translate(language_of(request), message)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    # A broken deck stops the server here, before it serves anything.
    decks = load_decks(settings.cards_dir or CARDS_DIR)
    load_lexicon()  # so does a broken grouping lexicon (docs/grouping.md)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.database_url)
        if settings.is_sqlite or settings.presence_reset_on_start:
            # No socket survives a restart: counts left by a crash (or a decrement that
            # failed) would show people "online" for ever. One process owns a SQLite file;
            # on PostgreSQL see presence_reset_on_start.
            with db.writing() as session:
                session.execute(update(Participant).values(connections=0))
                session.commit()
        broadcast = broadcast_from_url(settings.broadcast_url, channel=settings.broadcast_channel)
        await broadcast.connect()
        hub = Hub(db=db, broadcast=broadcast, tick=settings.push_tick_seconds)
        app.state.db, app.state.broadcast, app.state.hub = db, broadcast, hub
        listener = asyncio.create_task(hub.run())
        mailer = asyncio.create_task(mail_loop(db, settings))
        # Its first pass runs now: a timer that ran out while the server was down closes.
        timers = asyncio.create_task(
            watch_timers(db, broadcast, interval=settings.timer_check_seconds)
        )
        try:
            yield
        finally:
            # Every step runs, whatever the one before it raised (the listener may have died).
            for task in (mailer, timers, listener):
                task.cancel()
                try:
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                except Exception:
                    log.exception("a background task had failed")
            try:
                await hub.close()
            finally:
                try:
                    await broadcast.disconnect()
                finally:
                    await anyio.to_thread.run_sync(db.dispose)

    app = FastAPI(
        title="Gesprekskaarten",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by app.routes.api_docs from vendored files
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.decks = decks
    serve_decks(decks)
    app.state.limits = Limits(settings)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.resolved_secret_key(),
        session_cookie=settings.session_cookie,
        same_site="lax",
        https_only=settings.https_only_cookies,
        max_age=60 * 60 * 24 * 30,
    )
    app.add_middleware(LanguageSwitchMiddleware, secure=settings.https_only_cookies)
    app.add_middleware(SecurityHeadersMiddleware)
    # Outside the session and language layers, so an oversized body is refused before any of
    # them (or a form parser) buffers it.
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        larger={"/api/v1/import": settings.max_import_bytes},
    )
    app.add_middleware(HeadAsGetMiddleware)  # outermost: every layer sees a GET
    # CSS and JS (htmx is most of a phone's first download) go out gzipped when the browser
    # asks. Pages do not: they hold the CSRF token next to text people typed, which is what
    # a compression side channel (BREACH) needs. Websocket frames stay uncompressed on
    # purpose (docs/performance.md). Level 6: nearly the size of 9 at a fraction of the CPU.
    static = GZipMiddleware(StaticFiles(directory=STATIC_DIR), minimum_size=1024, compresslevel=6)
    app.mount("/static", static, name="static")
    # Pages and websockets serve HTML; the OpenAPI schema describes the JSON API only.
    for module in (
        auth,
        workshops,
        console,
        participant,
        live,
        api_docs,
        agenda,
        groups,
        owner_pages,
        privacy,
        results,
        mail,
        review_screen,
        deck_pages,
        programme,
    ):
        app.include_router(module.router, include_in_schema=False)
    app.include_router(agenda_api.router)
    app.include_router(groups_api.router)
    app.include_router(api.router)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _exc: CsrfFailed) -> Response:
        message = N_("De pagina is verlopen. Laad de pagina opnieuw en probeer het nog eens.")
        return _error(request, 403, translate(language_of(request), message))

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        if isinstance(exc, PersonalDataSuspected) and request.url.path.startswith("/api/"):
            body = {"detail": exc.message, "personal_data": exc.kinds}
            return JSONResponse(body, status_code=exc.status)
        # The JSON API answers in Dutch (docs/i18n.md); pages in the reader's language.
        if request.url.path.startswith("/api/"):
            response = _error(request, exc.status, exc.message)
        else:
            response = _error(request, exc.status, exc.translated(language_of(request)))
        if isinstance(exc, TooManyAttempts):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    # The API's routes answer schema errors themselves (app/routes/api/errors.py); this is
    # for pages and forms: a page in the reader's language, not pydantic's English JSON.
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, _exc: RequestValidationError) -> Response:
        return _error(request, 422, _page_text(request, INVALID_REQUEST))

    # A mistyped address gets a page in the reader's language; the API keeps its JSON.
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and not request.url.path.startswith("/api/"):
            return _error(request, 404, translate(language_of(request), NOT_FOUND))
        return await http_exception_handler(request, exc)

    @app.exception_handler(OperationalError)
    async def _database_down(request: Request, exc: OperationalError) -> Response:
        log.warning("database unavailable: %s", exc)
        response = _error(request, 503, _page_text(request, DATABASE_DOWN))
        response.headers["Retry-After"] = "2"
        return response

    return app


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    if request.headers.get("hx-request"):
        return templates.TemplateResponse(
            request,
            "partials/_flash.html",
            {"message": message, "level": "error"},
            status_code=status,
            headers={"HX-Retarget": "#flash", "HX-Reswap": "outerHTML"},
        )
    return templates.TemplateResponse(
        request, "error.html", {"message": message, "status": status}, status_code=status
    )
