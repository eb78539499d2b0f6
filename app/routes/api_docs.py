"""The OpenAPI documentation page, served from vendored Swagger UI: no third-party requests."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.templating import templates

router = APIRouter()


@router.get("/docs", include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "api_docs.html", {})
