"""The application factory: settings, decks, database, broadcast, hub, routes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware

from app.api_app import PREFIX as API_PREFIX
from app.api_app import TITLE, VERSION, ApiMount, create_api, openapi_schema
from app.body_limit import BodySizeLimitMiddleware
from app.config import Settings, get_settings
from app.db import Database
from app.decks import CARDS_DIR, load_decks, serve_decks
from app.deps import CsrfFailed, LoginRequired
from app.head import HeadAsGetMiddleware
from app.i18n import N_, language_of, translate
from app.language_switch import LanguageSwitchMiddleware
from app.live.broadcast import Broadcast, broadcast_from_url
from app.live.client import RawSendMiddleware
from app.live.hub import Hub
from app.live.timers import watch_timers
from app.mail_worker import mail_loop
from app.models import Participant
from app.routes import (
    agenda,
    api_docs,
    auth,
    console,
    deck_pages,
    groups,
    live,
    mail,
    owner_pages,
    participant,
    privacy,
    programme,
    results,
    review,
    review_reactions,
    review_screen,
    workshops,
)
from app.security import SecurityHeadersMiddleware
from app.services.errors import DomainError
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
PAGE_EXPIRED = N_("De pagina is verlopen. Laad de pagina opnieuw en probeer het nog eens.")
# Pages and websockets: HTML, left out of the OpenAPI schema, which describes the JSON API.
PAGES = (
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
    review,
    review_reactions,
    deck_pages,
    programme,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The site: pages, websockets and static files, with the JSON API mounted at /api."""
    settings = settings or get_settings()
    # A broken deck stops the server here, before it serves anything.
    decks = load_decks(settings.cards_dir or CARDS_DIR)
    load_lexicon()  # so does a broken grouping lexicon (docs/grouping.md)
    app = FastAPI(
        title=TITLE,
        version=VERSION,
        lifespan=_lifespan(settings),
        docs_url=None,  # served by app.routes.api_docs from vendored files
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.decks = decks
    serve_decks(decks)
    app.state.limits = Limits(settings)
    _add_middleware(app, settings)
    _add_routes(app)
    _add_page_error_handlers(app)
    return app


def _lifespan(settings: Settings) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
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
        tasks = _start_background(db, broadcast, hub, settings)
        try:
            yield
        finally:
            await _stop(tasks, db, broadcast, hub)

    return lifespan


def _start_background(
    db: Database, broadcast: Broadcast, hub: Hub, settings: Settings
) -> list[asyncio.Task[None]]:
    listener = asyncio.create_task(hub.run())
    mailer = asyncio.create_task(mail_loop(db, settings))
    # Its first pass runs now: a timer that ran out while the server was down closes.
    timers = asyncio.create_task(watch_timers(db, broadcast, interval=settings.timer_check_seconds))
    return [mailer, timers, listener]


async def _stop(
    tasks: list[asyncio.Task[None]], db: Database, broadcast: Broadcast, hub: Hub
) -> None:
    # Every step runs, whatever the one before it raised (the listener may have died).
    for task in tasks:
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


def _add_middleware(app: FastAPI, settings: Settings) -> None:
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
    app.add_middleware(HeadAsGetMiddleware)  # outermost for HTTP: every layer sees a GET
    # Outermost for websockets: the server's own send, for the live pushes (client.py).
    app.add_middleware(RawSendMiddleware)


def _add_routes(app: FastAPI) -> None:
    # CSS and JS (htmx is most of a phone's first download) go out gzipped when the browser
    # asks. Pages do not: they hold the CSRF token next to text people typed, which is what
    # a compression side channel (BREACH) needs. Websocket frames stay uncompressed on
    # purpose (docs/performance.md). Level 6: nearly the size of 9 at a fraction of the CPU.
    static = GZipMiddleware(StaticFiles(directory=STATIC_DIR), minimum_size=1024, compresslevel=6)
    app.mount("/static", static, name="static")
    api = create_api(app.state)
    app.router.routes.append(ApiMount(API_PREFIX, api, name="api"))
    # /openapi.json describes the mounted API, at the paths the site serves it on.
    app.openapi = lambda: openapi_schema(api)  # type: ignore[method-assign]
    for module in PAGES:
        app.include_router(module.router, include_in_schema=False)


def _add_page_error_handlers(app: FastAPI) -> None:
    """Errors on pages: a page (or an htmx flash) in the reader's language. The API mounted
    at /api answers its own errors in JSON (app/api_app.py)."""

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _exc: CsrfFailed) -> Response:
        return _error(request, 403, PAGE_EXPIRED)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        response = _page(request, exc.status, exc.translated(language_of(request)))
        if isinstance(exc, TooManyAttempts):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    # A page in the reader's language, not pydantic's English JSON.
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, _exc: RequestValidationError) -> Response:
        return _error(request, 422, INVALID_REQUEST)

    # A mistyped address gets a page in the reader's language.
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _error(request, 404, NOT_FOUND)
        return await http_exception_handler(request, exc)

    @app.exception_handler(OperationalError)
    async def _database_down(request: Request, exc: OperationalError) -> Response:
        log.warning("database unavailable: %s", exc)
        response = _error(request, 503, DATABASE_DOWN)
        response.headers["Retry-After"] = "2"
        return response


def _error(request: Request, status: int, message: str) -> Response:
    return _page(request, status, translate(language_of(request), message))


def _page(request: Request, status: int, text: str) -> Response:
    if request.headers.get("hx-request"):
        return templates.TemplateResponse(
            request,
            "partials/_flash.html",
            {"message": text, "level": "error"},
            status_code=status,
            headers={"HX-Retarget": "#flash", "HX-Reswap": "outerHTML"},
        )
    return templates.TemplateResponse(
        request, "error.html", {"message": text, "status": status}, status_code=status
    )
