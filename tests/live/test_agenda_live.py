"""An actiepunt made at the console appears at once on the projector and on the phones' dots."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import csrf_of
from tests.live.helpers import as_cookie, join, receive_until, sign_up_and_create


def test_new_item_reaches_projector_and_phone_live(client: TestClient) -> None:
    facilitator, workshop_id, code = sign_up_and_create(client)
    sanne = join(client, code, name="Sanne")
    with (
        client.websocket_connect(
            f"/ws/workshops/{workshop_id}/projector", headers={"cookie": facilitator}
        ) as projector,
        client.websocket_connect(f"/ws/w/{code}", headers={"cookie": sanne}) as phone,
    ):
        receive_until(projector, lambda m: 'id="projector-stage"' in m)
        receive_until(phone, lambda m: 'id="dot-vote"' in m)
        as_cookie(client, facilitator)
        token = csrf_of(client.get(f"/workshops/{workshop_id}").text)
        headers = {"HX-Request": "true", "X-CSRF-Token": token}
        client.post(f"/workshops/{workshop_id}/agenda/dots", data={"dots": "3"}, headers=headers)
        made = client.post(
            f"/workshops/{workshop_id}/agenda/items",
            data={"title": "Wijkagent op het schoolplein", "owner_organisation": "Politie"},
            headers=headers,
        )
        client.cookies.clear()
        assert made.status_code == 204
        push = receive_until(
            projector, lambda m: 'id="agenda-items"' in m and "Wijkagent op het schoolplein" in m
        )
        assert "Politie" in push
        dots = receive_until(
            phone, lambda m: 'id="dot-vote"' in m and "Wijkagent op het schoolplein" in m
        )
        assert "Stippen over: <strong>3</strong> van 3" in dots and "Stemmen is open" in dots
        # Leave no socket clean-up running into the app's shutdown: close the phone and
        # wait until the projector has seen it go.
        phone.close()
        receive_until(projector, lambda m: 'id="presence"' in m)
