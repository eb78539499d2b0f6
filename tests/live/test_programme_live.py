"""A change of the programme reaches the projector and the phones at once, without a reload."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.db import Database
from app.services.workshops import prompts_of
from tests.conftest import csrf_of
from tests.live.helpers import act, as_cookie, join, receive_until, sign_up_and_create


def step(client: TestClient, cookie: str, workshop_id: int, **data: str) -> None:
    as_cookie(client, cookie)
    page = client.get(f"/workshops/{workshop_id}/programme")
    response = client.post(
        f"/workshops/{workshop_id}/programme",
        data={**data, "csrf_token": csrf_of(page.text)},
        headers={"HX-Request": "true"},
    )
    client.cookies.clear()
    assert response.status_code == 200, response.text


def counted(text: str) -> bool:
    return re.search(r"Vraag\s+1\s+van\s+21", text) is not None


def test_a_removed_and_a_moved_prompt_reach_every_view(client: TestClient, db: Database) -> None:
    facilitator, workshop_id, code = sign_up_and_create(client)
    sanne = join(client, code, name="Sanne")
    act(client, facilitator, workshop_id, "start")
    with db.reading() as session:
        ids = [p.id for p in prompts_of(session=session, workshop_id=workshop_id)]
    with (
        client.websocket_connect(
            f"/ws/workshops/{workshop_id}/projector", headers={"cookie": facilitator}
        ) as projector,
        client.websocket_connect(f"/ws/w/{code}", headers={"cookie": sanne}) as phone,
    ):
        receive_until(projector, lambda m: 'id="projector-stage"' in m)
        receive_until(phone, lambda m: 'id="participant-stage"' in m)

        step(client, facilitator, workshop_id, op="remove", prompt_id=str(ids[1]))
        assert counted(receive_until(projector, counted))
        assert counted(receive_until(phone, counted))

        # The current prompt one down: it stays current, now as the second.
        step(client, facilitator, workshop_id, op="down", prompt_id=str(ids[0]))
        second = re.compile(r"Vraag\s+2\s+van\s+21")
        assert second.search(receive_until(projector, lambda m: bool(second.search(m))))
        assert second.search(receive_until(phone, lambda m: bool(second.search(m))))
