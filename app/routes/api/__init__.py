"""The JSON API under /api/v1: bearer tokens, no cookies, the same services as the pages."""

from __future__ import annotations

from fastapi import APIRouter

from app.routes.api import answers, auth, decks, participants, workshops
from app.routes.api.errors import RESPONSES

router = APIRouter(prefix="/api/v1", responses=RESPONSES)
for _module in (auth, decks, workshops, participants, answers):
    router.include_router(_module.router)
