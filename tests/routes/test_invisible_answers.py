"""An answer of only invisible characters is empty: refused on the phone and in the API, and
invisible characters do not smuggle personal data past the warning (issue 13, defect 2)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.db import Database
from app.models import Answer
from tests.live.helpers import PhoneRoom, receive_until, sign_up_and_create
from tests.routes.api_helpers import answer, bearer, create_workshop, facilitator_token

INVISIBLE = ["\u200b", "\u200b\u200d\ufeff", "\u202e\u202c", "\u00ad \u2060", "\u00a0\u200b"]


def api_room(client: TestClient) -> tuple[dict[str, str], int, int]:
    sign_up_and_create(client)
    owner = facilitator_token(client)
    workshop = create_workshop(client, owner)
    for action in ("start", "open"):
        client.post(f"/api/v1/workshops/{workshop['id']}/actions", json={"action": action},
                    headers=owner)  # fmt: skip
    joined = client.post("/api/v1/join", json={"code": workshop["join_code"]}).json()
    me = bearer(joined["access_token"])
    prompt = client.get(f"/api/v1/workshops/{workshop['id']}/prompt", headers=me).json()
    return me, workshop["id"], prompt["prompt"]["id"]


@pytest.mark.parametrize("text", INVISIBLE)
def test_the_api_refuses_an_invisible_answer_with_422(client: TestClient, text: str) -> None:
    me, wid, prompt_id = api_room(client)
    status, body = answer(client, me, wid, prompt_id=prompt_id, text=text,
                          idempotency_key="invisible-01")  # fmt: skip
    assert status == 422, body
    assert body["detail"] == "Je antwoord is leeg."


def test_a_phone_gets_a_dutch_error_for_an_invisible_answer(
    phone_room: PhoneRoom, db: Database
) -> None:
    phone, prompt_id = phone_room.phone, phone_room.prompt_id
    message = {"type": "answer", "prompt_id": str(prompt_id), "text": "\u200b\u200c",
               "idempotency_key": "invisible-ws-01"}  # fmt: skip
    phone.send_text(json.dumps(message))
    error = receive_until(phone, lambda m: "flash-error" in m)
    assert "Je antwoord is leeg." in error
    with db.reading() as session:
        assert session.exec(select(Answer)).all() == []


def test_zero_width_characters_do_not_hide_a_phone_number(client: TestClient) -> None:
    me, wid, prompt_id = api_room(client)
    hidden_phone = "bel 06\u200b-1234\u00ad5678"
    status, body = answer(
        client, me, wid, prompt_id=prompt_id, text=hidden_phone, idempotency_key="invisible-02"
    )
    assert status == 422
    assert body["personal_data"] == ["phone"]
