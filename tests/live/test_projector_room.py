"""The big room on the projector, steered from the console: a per-answer spotlight, the
groups and words modes and the ranking of the current vote (docs/wall.md)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import select

from app.db import Database
from app.models import Answer, Workshop
from tests.conftest import csrf_of
from tests.factories import make_answer, make_participant
from tests.live.helpers import act, as_cookie, receive_until, sign_up_and_create

HTMX = {"HX-Request": "true"}


def answers(db: Database, wid: int, texts: list[str]) -> tuple[int, list[int]]:
    """Each text answered by a new participant; returns (prompt id, answer ids)."""
    with db.writing() as session:
        workshop = session.get(Workshop, wid)
        assert workshop is not None
        ids = []
        for text in texts:
            person, _ = make_participant(session, workshop=workshop, name=None)
            ids.append(make_answer(session, participant=person, text=text).id or 0)
        prompt_id = session.exec(select(Answer.prompt_id).where(Answer.id == ids[0])).one()
    return prompt_id, ids


def mark(db: Database, answer_id: int, *, hidden: bool = False, held: bool = False) -> None:
    with db.writing() as session:
        answer = session.get(Answer, answer_id)
        assert answer is not None
        answer.hidden, answer.held = hidden, held
        session.add(answer)
        session.commit()


def console_item(page: str, answer_id: int) -> str:
    start = page.index(f'id="ca-{answer_id}"')
    return page[start : page.index("</li>", start)]


def test_uitlichten_on_a_console_answer_puts_it_in_the_projectors_spotlight(
    client: TestClient, db: Database
) -> None:
    cookie, wid, _code = sign_up_and_create(client)
    act(client, cookie, wid, "start")
    act(client, cookie, wid, "open")
    _pid, ids = answers(db, wid, ["Vaker de wijkagent op school", "Verborgen", "Wacht nog"])
    mark(db, ids[1], hidden=True)
    mark(db, ids[2], held=True)
    act(client, cookie, wid, "reveal")
    as_cookie(client, cookie)
    page = client.get(f"/workshops/{wid}").text
    shown = console_item(page, ids[0])
    assert "Uitlichten" in shown
    # Never offered for what the room may not see.
    assert "Uitlichten" not in console_item(page, ids[1])
    assert "Uitlichten" not in console_item(page, ids[2])
    form = re.search(r'<form[^>]*action="(/workshops/\d+/wall)"[^>]*>(.*?)</form>', shown, re.S)
    assert form is not None
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2)))
    assert fields == {"op": "spotlight", "answer_id": str(ids[0])}
    with client.websocket_connect(
        f"/ws/workshops/{wid}/projector", headers={"cookie": cookie}
    ) as projector:
        receive_until(projector, lambda m: 'id="sync"' in m)
        as_cookie(client, cookie)
        response = client.post(
            form.group(1), data=fields, headers={**HTMX, "X-CSRF-Token": csrf_of(page)}
        )
        assert response.status_code == 204, response.text
        pushed = receive_until(projector, lambda m: 'class="spotlight' in m)
        spot = pushed[pushed.index('class="spotlight') :]
        assert f'data-answer-id="{ids[0]}"' in spot and "Vaker de wijkagent op school" in spot
