"""Abuse limits through the real app: join-code guessing, locking, logins, answer rate."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select
from starlette.websockets import WebSocketDisconnect

from app.config import Settings
from app.db import Database
from app.main import create_app
from app.models import Answer
from app.services.limits import TRY_AGAIN
from app.services.participation import MAX_ANSWER_LENGTH
from tests.conftest import csrf_of
from tests.factories import PASSWORD
from tests.live.helpers import (
    act,
    as_cookie,
    join,
    receive_until,
    room_with_phone,
    send_answer,
    sign_up_and_create,
)
from tests.routes.api_helpers import answer, bearer, facilitator_token

LIMITS = {
    "join_failures_per_client": 3,
    "join_failures_overall": 1000,
    "login_failures_per_account": 2,
    "answers_per_participant": 2,
}


@pytest.fixture
def limited(settings: Settings, db: Database) -> Iterator[TestClient]:
    """The app with small limits, so a test reaches them in a few requests."""
    small = settings.model_copy(update=LIMITS)
    with TestClient(create_app(small), base_url="http://testserver") as c:
        yield c


def other_client(client: TestClient, host: str) -> TestClient:
    """Another caller of the same running app, from another address."""
    return TestClient(client.app, base_url="http://testserver", client=(host, 50000))


def test_wrong_join_codes_are_limited_per_client_on_every_way_in(limited: TestClient) -> None:
    _cookie, _workshop_id, code = sign_up_and_create(limited)
    assert limited.get("/join", params={"code": "WRONG22"}).status_code == 404
    assert limited.get("/w/WRONG33").status_code == 404
    assert limited.post("/api/v1/join", json={"code": "WRONG44"}).status_code == 404
    # Over the limit even the right code waits, or guessing would go on until it hits.
    page = limited.get(f"/w/{code}")
    assert page.status_code == 429
    assert TRY_AGAIN in page.text
    assert page.headers["retry-after"] == "60"
    api = limited.post("/api/v1/join", json={"code": code})
    assert api.status_code == 429
    assert api.json() == {"detail": TRY_AGAIN}
    assert limited.get("/join", params={"code": code}).status_code == 429
    assert limited.get(f"/w/{code}/qr.svg").status_code == 429
    # Someone else, at another address, is not held up.
    assert other_client(limited, "10.1.2.3").get(f"/w/{code}").status_code == 200


def test_many_wrong_codes_overall_slow_down_guessers_but_never_lock_out_a_right_code(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    small = settings.model_copy(
        update={"join_failures_per_client": 100, "join_failures_overall": 3}
    )
    with TestClient(create_app(small), base_url="http://testserver") as first:
        _cookie, _workshop_id, code = sign_up_and_create(first)
        for n in range(3):
            guesser = other_client(first, f"10.0.0.{n + 1}")
            assert guesser.post("/api/v1/join", json={"code": f"WRONG{n}X"}).status_code == 404
        # Someone who guessed wrong recently waits, even with a right code now...
        slowed = other_client(first, "10.0.0.1").post("/api/v1/join", json={"code": code})
        assert slowed.status_code == 429
        assert slowed.json()["detail"] == TRY_AGAIN
        assert slowed.headers["retry-after"] == "60"
        # ...but a room arriving with the right code is not locked out.
        fresh = other_client(first, "10.0.0.99")
        assert fresh.post("/api/v1/join", json={"code": code}).status_code == 201
        assert fresh.get(f"/w/{code}").status_code == 200


def test_wrong_codes_on_the_dots_route_and_the_websocket_count_too(limited: TestClient) -> None:
    _cookie, _workshop_id, code = sign_up_and_create(limited)
    token = csrf_of(limited.get("/privacy").text)
    for guess in ("WRONG11", "WRONG12"):
        dots = limited.post(f"/w/{guess}/dots", data={"op": "place", "csrf_token": token})
        assert dots.status_code == 404
    with pytest.raises(WebSocketDisconnect), limited.websocket_connect("/ws/w/WRONG13") as ws:
        ws.receive_text()
    # Three wrong lookups: the right code now waits on every route, the dots route too.
    refused = limited.post(f"/w/{code}/dots", data={"op": "place", "csrf_token": token})
    assert refused.status_code == 429
    assert TRY_AGAIN in refused.text
    assert refused.headers["retry-after"] == "60"
    assert limited.get(f"/w/{code}").status_code == 429


def test_joining_is_limited_per_client_and_per_workshop(settings: Settings, db: Database) -> None:
    small = settings.model_copy(update={"joins_per_client": 3, "joins_per_workshop": 5})
    with TestClient(create_app(small), base_url="http://testserver") as app_client:
        _cookie, _workshop_id, code = sign_up_and_create(app_client)
        joins = [app_client.post("/api/v1/join", json={"code": code}) for _ in range(4)]
        assert [r.status_code for r in joins] == [201, 201, 201, 429]
        assert joins[3].json() == {"detail": TRY_AGAIN}
        assert joins[3].headers["retry-after"] == "60"
        # Others still get in, until the workshop itself has had its share for this minute.
        others = [
            other_client(app_client, f"10.9.0.{n}").post("/api/v1/join", json={"code": code})
            for n in range(3)
        ]
        assert [r.status_code for r in others] == [201, 201, 429]
        assert "heel veel mensen tegelijk" in others[2].json()["detail"]
        # The join form says so in Dutch too.
        late = other_client(app_client, "10.9.1.1")
        page = late.get(f"/w/{code}")
        form = late.post(
            f"/w/{code}/join",
            data={"name": "Laat", "csrf_token": csrf_of(page.text)},
            follow_redirects=False,
        )
        assert form.status_code == 429
        assert "heel veel mensen tegelijk" in form.text
        assert form.headers["retry-after"] == "60"


def test_a_locked_or_ended_workshop_takes_no_one_new(client: TestClient) -> None:
    facilitator, workshop_id, code = sign_up_and_create(client)
    inside = join(client, code, name="Sanne")
    act(client, facilitator, workshop_id, "lock")
    console = client.get(f"/workshops/{workshop_id}", headers={"cookie": facilitator})
    assert "Weer openstellen voor nieuwe deelnemers" in console.text
    client.cookies.clear()

    page = client.get(f"/w/{code}")
    assert page.status_code == 409
    assert "gesloten voor nieuwe deelnemers" in page.text
    api = client.post("/api/v1/join", json={"code": code})
    assert api.status_code == 409
    assert "gesloten" in api.json()["detail"]
    # Posting the join form directly does not get in either.
    late = client.post(
        f"/w/{code}/join",
        data={"name": "Laat", "csrf_token": csrf_of(client.get("/privacy").text)},
        follow_redirects=False,
    )
    assert late.status_code == 409
    # Whoever is inside carries on.
    as_cookie(client, inside)
    assert 'ws-connect="/ws/w/' in client.get(f"/w/{code}").text
    client.cookies.clear()

    act(client, facilitator, workshop_id, "unlock")
    assert client.post("/api/v1/join", json={"code": code}).status_code == 201
    act(client, facilitator, workshop_id, "end")
    ended = client.post("/api/v1/join", json={"code": code})
    assert ended.status_code == 409
    assert "afgelopen" in ended.json()["detail"]


def test_web_logins_are_throttled_per_address(limited: TestClient) -> None:
    sign_up_and_create(limited)
    token = csrf_of(limited.get("/login").text)

    def attempt(password: str, email: str = "begeleider@example.nl") -> int:
        data = {"email": email, "password": password, "csrf_token": token}
        response = limited.post("/login", data=data, follow_redirects=False)
        if response.status_code == 429:
            assert TRY_AGAIN in response.text
        return response.status_code

    assert [attempt("fout wachtwoord 1"), attempt("fout wachtwoord 2")] == [400, 400]
    assert attempt(PASSWORD) == 429
    assert attempt(PASSWORD, email="iemand-anders@example.nl") == 400


def test_api_logins_are_throttled_per_address(limited: TestClient) -> None:
    sign_up_and_create(limited)
    form = {"username": "begeleider@example.nl", "password": "fout"}
    for _ in range(2):
        assert limited.post("/api/v1/auth/token", data=form).status_code == 401
    refused = limited.post("/api/v1/auth/token", data={**form, "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.json() == {"detail": TRY_AGAIN}
    assert refused.headers["retry-after"] == "60"
    # The same account from elsewhere still logs in.
    elsewhere = other_client(limited, "10.7.7.7")
    assert facilitator_token(elsewhere)


def test_too_many_answers_over_the_websocket_get_a_dutch_flash_not_a_drop(
    limited: TestClient, db: Database
) -> None:
    with room_with_phone(limited) as room:
        phone, prompt_id = room.phone, room.prompt_id
        for n in (1, 2):
            send_answer(phone, prompt_id, f"Antwoord {n}", f"rate-key-{n:04}")
            receive_until(phone, lambda m: "Verstuurd" in m)
        send_answer(phone, prompt_id, "Antwoord 3", "rate-key-0003")
        error = receive_until(phone, lambda m: 'id="flash"' in m)
        assert "flash-error" in error
        assert "te veel berichten" in error
        # Still connected: a resend of an answer already stored is acknowledged as before.
        send_answer(phone, prompt_id, "Antwoord 1", "rate-key-0001")
        receive_until(phone, lambda m: "Verstuurd" in m)
    with db.reading() as session:
        texts = session.exec(select(Answer.text).where(Answer.prompt_id == prompt_id)).all()
    assert sorted(t or "" for t in texts) == ["Antwoord 1", "Antwoord 2"]


def test_too_many_answers_over_the_api_get_429(limited: TestClient) -> None:
    facilitator, workshop_id, code = sign_up_and_create(limited)
    act(limited, facilitator, workshop_id, "start")
    act(limited, facilitator, workshop_id, "open")
    joined = limited.post("/api/v1/join", json={"code": code})
    headers = bearer(joined.json()["access_token"])
    prompt = limited.get(f"/api/v1/workshops/{workshop_id}/prompt", headers=headers).json()
    statuses = [
        answer(
            limited,
            headers,
            workshop_id,
            prompt_id=prompt["prompt"]["id"],
            text=f"Antwoord {n}",
            idempotency_key=f"api-rate-{n:04}",
        )
        for n in range(3)
    ]
    assert [s for s, _ in statuses] == [201, 201, 429]
    assert "te veel berichten" in statuses[2][1]["detail"]


def test_uvicorn_frame_cap_sits_above_the_app_cap_and_a_full_answer_fits_under_it() -> None:
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"--ws-max-size (\d+)", makefile)
    assert match, "the Makefile must set uvicorn's --ws-max-size (its default is 16 MiB)"
    uvicorn_cap, settings = int(match.group(1)), Settings(environment="test")
    # Between the two caps the app answers in Dutch; only beyond uvicorn's does it drop.
    assert settings.max_ws_message_bytes < uvicorn_cap <= 1024 * 1024
    # The longest answer, in 4-byte characters, as the browser sends it, is not refused.
    longest = {
        "type": "answer",
        "prompt_id": "123456",
        "idempotency_key": "k" * 32,
        "text": "\U0001f600" * MAX_ANSWER_LENGTH,
        "HEADERS": {"HX-Request": "true", "HX-Trigger": None, "HX-Target": "answer-form"},
    }
    size = len(json.dumps(longest, ensure_ascii=False).encode("utf-8"))
    assert size <= settings.max_ws_message_bytes
