"""The terugblik's projector follows the facilitator over its websocket: no polling."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.live.helpers import receive_until
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
