"""Server-side sessions: logout and a new password end them, including open console sockets."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app.cli import main as cli_main
from app.config import Settings
from tests.conftest import csrf_of
from tests.live.helpers import as_cookie, join, receive_until, sign_up_and_create
from tests.routes.api_helpers import facilitator_token


def log_out(client: TestClient, cookie: str) -> None:
    as_cookie(client, cookie)
    token = csrf_of(client.get("/dashboard").text)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    client.cookies.clear()


def test_a_cookie_copied_before_logout_no_longer_opens_the_dashboard(client: TestClient) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    as_cookie(client, cookie)
    assert client.get("/dashboard").status_code == 200
    log_out(client, cookie)
    # Whoever kept a copy of the cookie (a shared laptop, a stolen cookie) is out too.
    for path in ("/dashboard", f"/workshops/{workshop_id}"):
        stale = client.get(path, headers={"cookie": cookie}, follow_redirects=False)
        assert stale.status_code == 303, path
        assert stale.headers["location"].startswith("/login")
    api = client.get(f"/api/v1/workshops/{workshop_id}/agenda/items", headers={"cookie": cookie})
    assert api.status_code == 401


def test_an_open_console_socket_closes_on_logout(client: TestClient) -> None:
    cookie, workshop_id, code = sign_up_and_create(client)
    sanne = join(client, code, name="Sanne")
    with client.websocket_connect(
        f"/ws/workshops/{workshop_id}/facilitator", headers={"cookie": cookie}
    ) as console:
        receive_until(console, lambda m: 'id="sync"' in m)
        log_out(client, cookie)
        # Closed by the server (a console that stayed open would fail on the receive deadline).
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                console.receive_text()
        assert closed.value.code == 4403
    # And it cannot come back with the old cookie.
    with client.websocket_connect(
        f"/ws/workshops/{workshop_id}/projector", headers={"cookie": cookie}
    ) as again:
        assert again.receive()["code"] == 4403
    assert sanne  # someone in the room, whose answers the closed console no longer gets


def test_a_new_password_ends_every_session_and_token(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    token = facilitator_token(client)
    items = f"/api/v1/workshops/{workshop_id}/agenda/items"
    assert client.get(items, headers=token).status_code == 200
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    from app.config import get_settings

    get_settings.cache_clear()
    try:
        assert (
            cli_main(["users", "password", "--email", "begeleider@example.nl",
                      "--password", "een heel nieuw wachtwoord"])
            == 0
        )  # fmt: skip
    finally:
        get_settings.cache_clear()
    stale = client.get("/dashboard", headers={"cookie": cookie}, follow_redirects=False)
    assert stale.status_code == 303
    revoked = client.get(items, headers=token)
    assert revoked.status_code == 401
    assert "ingetrokken" in revoked.json()["detail"]
