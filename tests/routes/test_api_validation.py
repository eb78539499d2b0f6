"""Bad input to the JSON API: a 4xx with a clear `detail`, and nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.db import Database
from app.models import Answer, Participant, Workshop
from tests.factories import make_user
from tests.routes.api_helpers import Headers, act, answer, create_workshop, facilitator_token, join


@pytest.fixture
def boss(client: TestClient, db: Database) -> Headers:
    with db.writing() as session:
        make_user(session)
    return facilitator_token(client)


def _count(db: Database, model: type[Answer] | type[Workshop]) -> int:
    with db.reading() as session:
        return len(session.exec(select(model)).all())


def _running(client: TestClient, boss: Headers) -> tuple[int, Headers, list[dict[str, Any]]]:
    created = create_workshop(client, boss)
    sanne, _ = join(client, created["join_code"])
    state = act(client, boss, created["id"], "start")
    return created["id"], sanne, state["prompts"]


GOOD = {
    "title": "Regiobijeenkomst",
    "deck": "nji-beleidsmakers",
    "kind": "regional",
    "school_year": "2026-2027",
}


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"kind": "festival"}, 422, "kind: Input should be 'regional' or 'school_team'"),
        ({"school_year": "2026-2028"}, 422, "Een schooljaar schrijf je als 2026-2027."),
        ({"school_year": "volgend jaar"}, 422, "Een schooljaar schrijf je als 2026-2027."),
        ({"school_year": "1990-1991"}, 422, "buiten het bereik"),
        ({"deck": "bestaat-niet"}, 422, "Kies een bestaande kaartset."),
        ({"title": ""}, 422, "title: String should have at least 1 character"),
        ({"title": "   "}, 422, "Geef de bijeenkomst een titel."),
        ({"title": "x" * 201}, 422, "title: String should have at most 200 characters"),
        ({"region": "Noord"}, 422, "region: Extra inputs are not permitted"),
        ({"school_year": None}, 422, "school_year: Input should be a valid string"),
    ],
)
def test_a_bad_workshop_is_refused_with_a_clear_message(
    client: TestClient,
    db: Database,
    boss: Headers,
    change: dict[str, Any],
    status: int,
    message: str,
) -> None:
    response = client.post("/api/v1/workshops", json={**GOOD, **change}, headers=boss)
    assert response.status_code == status, response.text
    assert message in response.json()["detail"]
    assert _count(db, Workshop) == 0


def test_a_body_that_is_not_json_is_a_422_naming_the_body(
    client: TestClient, boss: Headers
) -> None:
    response = client.post(
        "/api/v1/workshops",
        content=b"{not json",
        headers={**boss, "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Ongeldige invoer.")
    assert "{not json" not in response.text


def test_an_empty_answer_or_a_bad_key_is_refused_and_nothing_stored(
    client: TestClient, db: Database, boss: Headers
) -> None:
    wid, sanne, prompts = _running(client, boss)
    act(client, boss, wid, "open")
    prompt_id = prompts[0]["id"]
    for body, message in [
        ({"text": "   "}, "Je antwoord is leeg."),
        ({}, "Je antwoord is leeg."),
        ({"text": "x" * 2001}, "text: String should have at most 2000 characters"),
        ({"text": "ok", "idempotency_key": "kort"}, "idempotency_key: String should have"),
        ({"text": "ok", "idempotency_key": "met spatie"}, "idempotency_key: String should match"),
        ({"text": "ok", "prompt_id": "een"}, "prompt_id: Input should be a valid integer"),
        ({"text": "ok", "prompt_id": 999999}, "Deze vraag bestaat niet in deze bijeenkomst."),
    ]:
        payload = {"prompt_id": prompt_id, "idempotency_key": "key-00001", **body}
        status, result = answer(client, sanne, wid, **payload)
        assert status in (404, 422), (body, result)
        assert message in result["detail"], (body, result)
    assert _count(db, Answer) == 0


def test_a_scale_answer_must_be_a_value_from_1_to_5(
    client: TestClient, db: Database, boss: Headers
) -> None:
    wid, sanne, prompts = _running(client, boss)
    scale = next(p for p in prompts if p["kind"] == "scale")
    act(client, boss, wid, "goto", position=scale["position"])
    act(client, boss, wid, "open")
    for body, message in [
        ({"value": 6}, "value: Input should be less than or equal to 5"),
        ({"value": 0}, "value: Input should be greater than or equal to 1"),
        ({"text": "vier"}, "Kies een waarde van 1 tot en met 5."),
    ]:
        status, result = answer(
            client, sanne, wid, prompt_id=scale["id"], idempotency_key="key-scale", **body
        )
        assert status == 422
        assert message in result["detail"]
    assert _count(db, Answer) == 0
    status, result = answer(
        client, sanne, wid, prompt_id=scale["id"], value=4, idempotency_key="key-scale"
    )
    assert (status, result["value"], result["text"]) == (201, 4, None)


def test_an_answer_on_a_closed_prompt_is_a_409_and_not_stored(
    client: TestClient, db: Database, boss: Headers
) -> None:
    wid, sanne, prompts = _running(client, boss)
    # Started but not yet opened, then opened and closed again.
    for action in (None, "open"):
        if action:
            act(client, boss, wid, action)
            act(client, boss, wid, "close")
        status, result = answer(
            client,
            sanne,
            wid,
            prompt_id=prompts[0]["id"],
            text="Te laat",
            idempotency_key="late-key",
        )
        assert status == 409
        assert result == {"detail": "Deze vraag staat niet open voor antwoorden."}
    act(client, boss, wid, "end")
    status, result = answer(
        client, sanne, wid, prompt_id=prompts[0]["id"], text="Na afloop", idempotency_key="end-key1"
    )
    assert (status, result) == (409, {"detail": "Deze bijeenkomst is afgelopen."})
    assert _count(db, Answer) == 0


def test_bad_actions_get_a_clear_message_and_change_nothing(
    client: TestClient, boss: Headers
) -> None:
    wid = create_workshop(client, boss)["id"]
    url = f"/api/v1/workshops/{wid}/actions"
    for body, status, message in [
        ({"action": "dance"}, 422, "action: Input should be 'start'"),
        ({"action": "open"}, 409, "Start eerst de bijeenkomst."),
        ({"action": "previous"}, 409, "Dit is de eerste vraag."),
        ({"action": "goto"}, 422, "Geef aan naar welke vraag je wilt."),
        ({"action": "goto", "position": 9999}, 422, "Die vraag bestaat niet"),
        ({"action": "goto", "position": -1}, 422, "position: Input should be greater"),
        ({"action": "open", "seconds": 3601}, 422, "seconds: Input should be less"),
    ]:
        response = client.post(url, json=body, headers=boss)
        assert response.status_code == status, (body, response.text)
        assert message in response.json()["detail"]
    state = client.get(f"/api/v1/workshops/{wid}", headers=boss).json()
    assert (state["status"], state["current_position"], state["seq"]) == ("lobby", None, 0)


def test_joining_needs_a_known_code_and_a_live_workshop(
    client: TestClient, db: Database, boss: Headers
) -> None:
    response = client.post("/api/v1/join", json={"code": "ZZZZZZZ"})
    assert response.status_code == 404
    assert "Deze code kennen we niet" in response.json()["detail"]
    response = client.post("/api/v1/join", json={"code": "ABC", "domain": "ruimtevaart"})
    assert response.status_code == 422
    assert "domain: Input should be" in response.json()["detail"]
    created = create_workshop(client, boss)
    act(client, boss, created["id"], "end")
    response = client.post("/api/v1/join", json={"code": created["join_code"]})
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Deze bijeenkomst is afgelopen."},
    )
    with db.reading() as session:
        assert len(session.exec(select(Participant)).all()) == 0


def test_unknown_deck_and_unknown_path_are_json_404s(client: TestClient, boss: Headers) -> None:
    response = client.get("/api/v1/decks/bestaat-niet", headers=boss)
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "Deze kaartset bestaat niet."},
    )
    response = client.get("/api/v1/nergens", headers=boss)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
