"""What happens through the JSON API shows live on the facilitator's and the phones' sockets."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.db import Database
from tests.live import helpers as web
from tests.routes import api_helpers as api


def test_an_answer_posted_via_the_api_reaches_the_facilitator_socket(
    client: TestClient, db: Database
) -> None:
    facilitator, workshop_id, code = web.sign_up_and_create(client)
    boss = api.facilitator_token(client)
    sanne, _ = api.join(client, code, name="Sanne")
    assert not client.cookies
    with client.websocket_connect(
        f"/ws/workshops/{workshop_id}/facilitator", headers={"cookie": facilitator}
    ) as console:
        assert 'id="console-stage"' in console.receive_text()
        api.act(client, boss, workshop_id, "start")
        prompt_id = api.act(client, boss, workshop_id, "open")["current_prompt"]["id"]

        status, _ = api.answer(
            client,
            sanne,
            workshop_id,
            prompt_id=prompt_id,
            text="Via de API: een gedeelde visie <i>ontbreekt</i>",
            idempotency_key="api-live-01",
        )
        assert status == 201
        push = web.receive_until(console, lambda m: "Via de API: een gedeelde visie" in m)
        assert "&lt;i&gt;ontbreekt&lt;/i&gt;" in push


def test_a_phone_sees_the_api_steering_and_answers_after_reveal(
    client: TestClient, db: Database
) -> None:
    _facilitator, workshop_id, code = web.sign_up_and_create(client)
    boss = api.facilitator_token(client)
    ahmed = web.join(client, code, name="Ahmed", domain="politie")
    sanne, _ = api.join(client, code, name="Sanne")
    with client.websocket_connect(f"/ws/w/{code}", headers={"cookie": ahmed}) as phone:
        web.receive_until(phone, lambda m: 'id="participant-stage"' in m)
        api.act(client, boss, workshop_id, "start")
        prompt_id = api.act(client, boss, workshop_id, "open")["current_prompt"]["id"]
        assert web.prompt_id_in(web.receive_until(phone, lambda m: 'name="prompt_id"' in m)) == (
            prompt_id
        )
        api.answer(
            client, sanne, workshop_id, prompt_id=prompt_id, text="Zichtbaar na onthullen",
            idempotency_key="api-live-02",
        )  # fmt: skip
        count = web.receive_until(phone, lambda m: 'id="room-answers"' in m and "1 van 2" in m)
        assert "Zichtbaar na onthullen" not in count
        api.act(client, boss, workshop_id, "reveal")
        web.receive_until(phone, lambda m: "Zichtbaar na onthullen" in m)
