"""Errors of the JSON API: always `{"detail": "..."}`, schema errors with each field named."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute

from app.api.schemas import ErrorOut, ValidationErrorOut


def _where(loc: Sequence[Any]) -> str:
    # ("body", "kind") reads as "kind"; a query or header parameter keeps its place.
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


def describe(errors: Sequence[Any]) -> str:
    problems = [f"{_where(e.get('loc', ()))}: {e.get('msg', 'ongeldig')}" for e in errors]
    return "Ongeldige invoer. " + "; ".join(problems)


class ApiRoute(APIRoute):
    """Turns a schema error into one readable `detail` string, keeping the details."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await handle(request)
            except RequestValidationError as exc:
                errors = list(exc.errors())
                for error in errors:
                    # Echoing the input back is noise, and could be a password.
                    error.pop("input", None)
                    error.pop("ctx", None)
                body = {"detail": describe(errors), "errors": jsonable_encoder(errors)}
                return JSONResponse(body, status_code=422)

        return handler


_ERROR = {"model": ErrorOut}
RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {**_ERROR, "description": "No token, or an invalid or expired one."},
    403: {**_ERROR, "description": "The token is of the wrong kind for this endpoint."},
    404: {**_ERROR, "description": "Not found, or not yours to reach."},
    409: {**_ERROR, "description": "Not possible now, e.g. the prompt is closed."},
    422: {"model": ValidationErrorOut, "description": "Invalid input."},
    429: {**_ERROR, "description": "Too many attempts; try again after Retry-After seconds."},
}
