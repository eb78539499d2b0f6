"""The terugblik's projector follows the facilitator over its websocket: no polling."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import csrf_of
from tests.live.helpers import as_cookie, receive_until
from tests.routes.test_review_reactions import terugblik_with_phone
from tests.routes.test_review_screen import _terugblik


def test_stepping_pushes_the_new_item_to_the_review_screen(client: TestClient) -> None:
    back, token = _terugblik(client)
    page = client.get(f"/workshops/{back}/review/projector").text
    assert f'ws-connect="/ws/workshops/{back}/review"' in page
    assert "every 2s" not in page and 'id="sync"' in page
    with client.websocket_connect(f"/ws/workshops/{back}/review") as screen:
        first = receive_until(screen, lambda m: 'id="review-screen"' in m)
        assert "We kijken samen terug" in first
        # Only its own screen and the sync: no live-meeting fragments without a target here.
        assert 'id="projector-stage"' not in first and 'id="presence"' not in first
        client.post(
            f"/workshops/{back}/review/screen",
            data={"step": "next"},
            headers={"HX-Request": "true", "X-CSRF-Token": token},
        )
        pushed = receive_until(screen, lambda m: "Visie opschrijven" in m)
        assert "Actiepunt 1 van 2" in pushed and 'id="sync"' in pushed
        assert 'id="agenda-items"' not in pushed


def test_a_phones_reaction_reaches_the_review_screen_with_a_seq(client: TestClient) -> None:
    back, code, facilitator, phone = terugblik_with_phone(client)
    token = csrf_of(client.get(f"/w/{code}").text)
    as_cookie(client, facilitator)
    with client.websocket_connect(f"/ws/workshops/{back}/review") as screen:
        first = receive_until(screen, lambda m: 'id="review-screen"' in m)
        seq = int(re.findall(r'data-seq="(\d+)"', first)[-1])
        assert re.findall(r'class="reaction-count">(\d+)<', first) == ["0", "0", "0"]
        as_cookie(client, phone)
        with client.websocket_connect(f"/ws/w/{code}") as own:
            start = receive_until(own, lambda m: 'id="review-react"' in m)
            [item] = set(re.findall(r'name="item_id" value="(\d+)"', start))
            reacted = client.post(
                f"/w/{code}/review/react",
                data={"item_id": item, "kind": "not_yet"},
                headers={"HX-Request": "true", "X-CSRF-Token": token},
            )
            assert reacted.status_code == 204, reacted.text
            pushed = receive_until(screen, lambda m: 'class="reaction-count">1<' in m)
            assert re.search(r'class="reaction-count">1</strong> <span>Nog niet', pushed)
            assert int(re.findall(r'data-seq="(\d+)"', pushed)[-1]) > seq
            # The phone that reacted sees its own reaction pressed.
            mine = receive_until(own, lambda m: 'aria-pressed="true"' in m)
            pressed = re.search(r'<button[^>]*aria-pressed="true"[^>]*>([^<]+)<', mine)
            assert pressed and pressed.group(1) == "Nog niet"
