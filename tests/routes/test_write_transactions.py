"""Write transactions only where a write happens: pages and exports read, so an answer commits
while a PDF is being laid out, and no GET takes the database's write lock."""

from __future__ import annotations

import threading
from contextvars import ContextVar
from typing import Any

import pytest
import weasyprint.document
from fastapi.testclient import TestClient
from sqlmodel import select
from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import Settings
from app.db import Database
from app.decks import Deck
from app.main import create_app
from app.models import Answer, Participant, Workshop, WorkshopPrompt
from app.services.pdf_cache import AGENDA_PDFS
from tests.conftest import csrf_of
from tests.factories import (
    make_answer,
    make_item,
    make_participant,
    make_user,
    make_workshop,
    open_first_prompt,
)
from tests.live.helpers import as_cookie, sign_up_and_create
from tests.routes.api_helpers import facilitator_token

WAIT = 30.0  # seconds; only a bound on a hang, never part of what is asserted


def _world(db: Database, decks: dict[str, Deck]) -> tuple[Workshop, Participant]:
    with db.writing() as session:
        workshop = make_workshop(session, owner=make_user(session), decks=decks)
        open_first_prompt(session, workshop)
        for n in range(3):
            make_item(session, workshop=workshop, title=f"Actiepunt {n}")
        person, _token = make_participant(session, workshop=workshop)
        return workshop, person


def test_an_answer_commits_while_an_agenda_pdf_is_being_laid_out(
    client: TestClient, db: Database, decks: dict[str, Deck], monkeypatch: pytest.MonkeyPatch
) -> None:
    workshop, person = _world(db, decks)
    assert workshop.id is not None
    AGENDA_PDFS.forget(workshop.id)  # cold: the PDF is laid out, not taken from the cache
    headers = facilitator_token(client)
    in_layout, answered = threading.Event(), threading.Event()
    order: list[str] = []
    real_layout = weasyprint.document.layout_document

    def layout_document(*args: Any, **kwargs: Any) -> Any:
        # WeasyPrint's own layout step, held open until the answer is in (or WAIT passes, so
        # an answer blocked by the export shows as the wrong order, not as a hang).
        in_layout.set()
        answered.wait(WAIT)
        return real_layout(*args, **kwargs)

    monkeypatch.setattr(weasyprint.document, "layout_document", layout_document)
    responses: list[Any] = []

    def export() -> None:
        url = f"/api/v1/workshops/{workshop.id}/agenda.pdf"
        responses.append(client.get(url, headers=headers))
        order.append("export finished")

    exporter = threading.Thread(target=export)
    exporter.start()
    try:
        assert in_layout.wait(WAIT), "the export never reached WeasyPrint's layout"
        with db.writing() as session:
            make_answer(session, participant=person, text="Terwijl de PDF wordt opgemaakt")
        order.append("answer committed")
    finally:
        answered.set()
        exporter.join(WAIT)
    assert order == ["answer committed", "export finished"]
    assert responses[0].status_code == 200
    assert responses[0].content.startswith(b"%PDF")
    with db.reading() as session:
        texts = session.exec(select(Answer.text).where(Answer.participant_id == person.id))
        assert list(texts) == ["Terwijl de PDF wordt opgemaakt"]


def test_a_request_session_writes_in_its_first_transaction_and_reads_after_it(
    db: Database,
) -> None:
    begun: list[str] = []
    db.on_write_begin = lambda: begun.append("write")
    with db.request_session() as session:
        session.exec(select(Workshop)).all()  # the service's transaction: under the lock
        session.commit()
        assert begun == ["write"]
        session.exec(select(Workshop)).all()  # rendering the response
        session.rollback()
        session.exec(select(Workshop)).all()
    assert begun == ["write"]
    with db.request_session() as session:  # a service that gives up: reads afterwards too
        session.exec(select(Workshop)).all()
        session.rollback()
        session.exec(select(Workshop)).all()
    assert begun == ["write", "write"]


# Which request the code running now serves: set around each request by the layer below,
# copied into the worker threads that run sync routes and dependencies.
REQUEST: ContextVar[str | None] = ContextVar("request", default=None)


class TagRequests:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # the lifespan starts the background tasks: untagged
            await self.app(scope, receive, send)
            return
        token = REQUEST.set(f"{scope['method']} {scope['path']}")
        try:
            await self.app(scope, receive, send)
        finally:
            REQUEST.reset(token)


def test_no_page_or_export_takes_the_write_lock(settings: Settings, db: Database) -> None:
    app = create_app(settings)
    app.add_middleware(TagRequests)
    with TestClient(app, base_url="http://testserver") as client:
        writers: list[str | None] = []
        cookie, wid, code = sign_up_and_create(client)
        app.state.db.on_write_begin = lambda: writers.append(REQUEST.get())
        as_cookie(client, cookie)
        pages = [
            "/",
            "/dashboard",
            "/workshops/new",
            "/decks",
            f"/workshops/{wid}",
            f"/workshops/{wid}/projector",
            f"/workshops/{wid}/results",
            f"/workshops/{wid}/agenda",
            f"/api/v1/workshops/{wid}/agenda/items",
            *(f"/api/v1/workshops/{wid}/{name}" for name in EXPORTS),
            f"/w/{code}",
        ]
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            assert client.head(path).status_code == 200, path
        # A POST that stores nothing (a suggestion of groups) reads only, too.
        token = csrf_of(client.get(f"/workshops/{wid}").text)
        suggest = f"/api/v1/workshops/{wid}/prompts/{_open_prompt(db, wid)}/groups/suggest"
        response = client.post(suggest, headers={"X-CSRF-Token": token})
        assert response.status_code == 200, response.text
        assert [w for w in writers if w is not None] == []
        # The check is real: a request that changes something does take the lock.
        response = client.post(
            f"/api/v1/workshops/{wid}/agenda/items",
            json={"title": "Nieuw"},
            headers={"X-CSRF-Token": token},
        )
        assert response.status_code == 201, response.text
        assert [w for w in writers if w is not None] == [
            f"POST /api/v1/workshops/{wid}/agenda/items"
        ]


def _open_prompt(db: Database, workshop_id: int) -> int:
    with db.writing() as session:
        workshop = session.get(Workshop, workshop_id)
        assert workshop is not None
        open_first_prompt(session, workshop)
        prompt = session.exec(
            select(WorkshopPrompt).where(
                WorkshopPrompt.workshop_id == workshop_id,
                WorkshopPrompt.position == workshop.current_position,
            )
        ).one()
        assert prompt.id is not None
        return prompt.id


EXPORTS = (
    "agenda.pdf",
    "agenda.ics",
    "agenda.xlsx",
    "agenda.csv",
    "agenda.md",
    "answers.md",
    "answers.pdf",
    "export.json",
)
