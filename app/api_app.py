"""The JSON API under /api as an application of its own: its routes, its errors and its schema.

Mounted by app/main.py, inside the site's middleware (sessions, security headers, body limit,
HEAD as GET) and sharing the site's state (database, broadcast, settings). Every error is JSON,
`{"detail": "..."}`, in Dutch (docs/i18n.md) — an unknown /api address included.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.datastructures import State
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Mount
from starlette.types import ASGIApp

from app.api.errors import RESPONSES
from app.deps import CsrfFailed
from app.i18n import N_, language_of, translate
from app.routes import agenda_api, groups_api
from app.routes.api import answers, auth, decks, participants, workshops
from app.services.errors import DomainError, PersonalDataSuspected
from app.services.limits import TooManyAttempts

log = logging.getLogger(__name__)
PREFIX = "/api"
TITLE, VERSION = "Gesprekskaarten", "0.1.0"
INVALID_REQUEST = N_(
    "Dit verzoek klopt niet. Controleer wat je hebt ingevuld en probeer het opnieuw."
)
DATABASE_DOWN = N_(
    "De database is even niet bereikbaar. Probeer het over een paar seconden opnieuw."
)
PAGE_EXPIRED = N_("De pagina is verlopen. Laad de pagina opnieuw en probeer het nog eens.")


def create_api(state: State) -> FastAPI:
    """The API application, sharing `state` with the site that mounts it at PREFIX."""
    api = FastAPI(title=TITLE, version=VERSION, openapi_url=None, docs_url=None, redoc_url=None)
    api.state = state
    v1 = APIRouter(prefix="/v1", responses=RESPONSES)
    for module in (auth, decks, workshops, participants, answers):
        v1.include_router(module.router)
    api.include_router(agenda_api.router)
    api.include_router(groups_api.router)
    api.include_router(v1)
    _add_error_handlers(api)
    return api


class ApiMount(Mount):
    """Every path under the prefix goes to the API, one with an encoded newline (%0A) too:
    the `.` in Starlette's mount pattern stops at a newline, which would hand such a path to
    the site's HTML 404."""

    def __init__(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        super().__init__(path, app=app, name=name)
        self.path_regex = re.compile(self.path_regex.pattern, re.DOTALL)


def openapi_schema(api: FastAPI) -> dict[str, Any]:
    """The API's OpenAPI schema with every path as the site serves it (/api/v1/...)."""
    schema = api.openapi()
    schema["paths"] = {PREFIX + path: item for path, item in schema["paths"].items()}
    return schema


def _json(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"detail": message, **extra}, status_code=status)


def _add_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(DomainError)
    async def _domain(_request: Request, exc: DomainError) -> Response:
        if isinstance(exc, PersonalDataSuspected):
            return _json(exc.status, exc.message, personal_data=exc.kinds)
        response = _json(exc.status, exc.message)
        if isinstance(exc, TooManyAttempts):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _exc: CsrfFailed) -> Response:
        return _json(403, translate(language_of(request), PAGE_EXPIRED))

    # The routes answer schema errors themselves, naming each field (app/api/errors.py).
    @api.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, _exc: RequestValidationError) -> Response:
        return _json(422, INVALID_REQUEST)

    # 404 for an unknown /api address, 405, 401 from the token checks: JSON with headers.
    @api.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return await http_exception_handler(request, exc)

    @api.exception_handler(OperationalError)
    async def _database_down(_request: Request, exc: OperationalError) -> Response:
        log.warning("database unavailable: %s", exc)
        response = _json(503, DATABASE_DOWN)
        response.headers["Retry-After"] = "2"
        return response
