"""POST /workshops/{id}/wall: the facilitator's wall choices over a form or htmx, refused
for anyone else, without a CSRF token or with bad input; pushed to the projector."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.db import Database
from app.models import WallState
from tests.conftest import csrf_of
from tests.live.helpers import act, as_cookie, receive_until, sign_up_and_create

HTMX = {"HX-Request": "true"}


def _post(client: TestClient, cookie: str, wid: int, data: dict[str, str]) -> tuple[int, str]:
    """As the console's buttons send it: htmx, with the page's CSRF token."""
    as_cookie(client, cookie)
    token = csrf_of(client.get(f"/workshops/{wid}").text)
    response = client.post(
        f"/workshops/{wid}/wall", data=data, headers={**HTMX, "X-CSRF-Token": token}
    )
    client.cookies.clear()
    return response.status_code, response.text


def test_the_console_card_and_the_projector_show_the_choices(
    client: TestClient, db: Database
) -> None:
    cookie, wid, _code = sign_up_and_create(client)
    act(client, cookie, wid, "start")
    as_cookie(client, cookie)
    console = client.get(f"/workshops/{wid}").text
    assert 'id="console-wall"' in console and 'aria-pressed="true">Meest herkend' in console
    with client.websocket_connect(
        f"/ws/workshops/{wid}/projector", headers={"cookie": cookie}
    ) as projector:
        receive_until(projector, lambda m: 'id="sync"' in m)
        assert _post(client, cookie, wid, {"op": "pause"})[0] == 204
        pushed = receive_until(projector, lambda m: 'id="projector-wall"' in m)
        assert 'data-paused="true"' in pushed
        assert _post(client, cookie, wid, {"op": "next"})[0] == 204
        pushed = receive_until(projector, lambda m: 'data-turn="1"' in m)
        # A wall choice sends the projector its small state fragment, not the whole room.
        assert 'id="projector-stage"' not in pushed
    as_cookie(client, cookie)
    console = client.get(f"/workshops/{wid}").text
    assert "Verder bladeren" in console


def test_bad_input_gets_a_dutch_message_and_changes_nothing(
    client: TestClient, db: Database
) -> None:
    cookie, wid, _code = sign_up_and_create(client)
    act(client, cookie, wid, "start")
    for data, status, words in [
        ({"op": "shuffle"}, 422, "klopt niet"),
        ({"op": "order", "order": "random"}, 422, "Kies een volgorde"),
        ({"op": "mode", "mode": "wordcloud"}, 422, "Kies wat de projector toont"),
        ({"op": "spotlight"}, 422, "Kies het antwoord"),
        ({"op": "spotlight", "answer_id": "12345"}, 404, "bestaat niet"),
        ({"op": "spotlight", "answer_id": "twelve"}, 422, "klopt niet"),
    ]:
        code, text = _post(client, cookie, wid, data)
        assert code == status, (data, code, text[:300])
        assert words in text, (data, text[:500])
    with db.reading() as session:
        assert session.get(WallState, wid) is None
    # Without htmx the form comes back to the console, which says what went wrong.
    as_cookie(client, cookie)
    token = csrf_of(client.get(f"/workshops/{wid}").text)
    response = client.post(
        f"/workshops/{wid}/wall",
        data={"op": "order", "order": "x", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/workshops/{wid}"
    # The session cookie now carries the message.
    assert "Kies een volgorde voor de wand." in client.get(f"/workshops/{wid}").text


def test_only_the_workshops_facilitators_with_a_csrf_token(
    client: TestClient, db: Database
) -> None:
    cookie, wid, _code = sign_up_and_create(client)
    client.cookies.clear()
    # No one logged in: to the login page, nothing stored.
    response = client.post(f"/workshops/{wid}/wall", data={"op": "pause"}, headers=HTMX)
    assert response.status_code in (401, 403)
    # The facilitator, but without the page's token.
    as_cookie(client, cookie)
    response = client.post(f"/workshops/{wid}/wall", data={"op": "pause"}, headers=HTMX)
    assert response.status_code == 403
    assert "verlopen" in response.text
    with db.reading() as session:
        assert session.get(WallState, wid) is None
