"""PUT /api/v1/workshops/{id}/programme: the programme in order, own prompts, answered kept."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.db import Database
from app.models import User
from tests.factories import make_user
from tests.routes.api_helpers import (
    Headers,
    act,
    answer,
    create_workshop,
    facilitator_token,
    join,
)

OTHER = "collega@example.nl"


@pytest.fixture
def users(db: Database) -> list[User]:
    with db.writing() as session:
        return [make_user(session), make_user(session, email=OTHER)]


@pytest.fixture
def boss(client: TestClient, users: list[User]) -> Headers:
    return facilitator_token(client)


@pytest.fixture
def workshop(client: TestClient, boss: Headers) -> dict[str, Any]:
    created = create_workshop(client, boss)
    state: dict[str, Any] = client.get(f"/api/v1/workshops/{created['id']}", headers=boss).json()
    return state


def put(client: TestClient, headers: Headers, wid: int, prompts: list[Any]) -> Any:
    return client.put(
        f"/api/v1/workshops/{wid}/programme", json={"prompts": prompts}, headers=headers
    )


def test_the_programme_comes_back_in_order_with_the_own_prompt_in_its_place(
    client: TestClient, boss: Headers, workshop: dict[str, Any]
) -> None:
    ids = [p["id"] for p in workshop["prompts"]]
    own = {"text": "Wat willen we over een jaar bereikt hebben?", "kind": "open", "theme": 6}
    chosen = [ids[3], ids[0], ids[8], ids[1], ids[12], ids[5], ids[20]]

    response = put(client, boss, workshop["id"], [*chosen[:3], own, *chosen[3:]])

    assert response.status_code == 200, response.text
    state = response.json()
    prompts = state["prompts"]
    assert [p["position"] for p in prompts] == list(range(8))
    assert [p["id"] for p in prompts[:3] + prompts[4:]] == chosen
    added = prompts[3]
    assert added["text"] == own["text"] and added["kind"] == "open"
    assert added["source"] == "own" and added["theme_number"] == 6
    assert state["seq"] > workshop["seq"]
    assert client.get(f"/api/v1/workshops/{workshop['id']}", headers=boss).json() == state

    # The room follows it: start shows the first of the programme, next the second.
    started = act(client, boss, workshop["id"], "start")
    assert started["current_prompt"]["id"] == chosen[0]
    assert act(client, boss, workshop["id"], "next")["current_prompt"]["id"] == chosen[1]


def test_removing_an_answered_prompt_is_409_and_changes_nothing(
    client: TestClient, boss: Headers, workshop: dict[str, Any]
) -> None:
    wid = workshop["id"]
    ids = [p["id"] for p in workshop["prompts"]]
    act(client, boss, wid, "start")
    act(client, boss, wid, "open")
    sanne, _joined = join(client, workshop["join_code"])
    status, _body = answer(
        client, sanne, wid, prompt_id=ids[0], text="Een visie", idempotency_key="key-0001"
    )
    assert status == 201

    response = put(client, boss, wid, ids[1:])

    assert response.status_code == 409
    assert "heeft al antwoorden" in response.json()["detail"]
    after = client.get(f"/api/v1/workshops/{wid}", headers=boss).json()
    assert [p["id"] for p in after["prompts"]] == ids
    assert after["prompts"][0]["answer_count"] == 1

    # Moving it to the end keeps it, with its answer.
    moved = put(client, boss, wid, [*ids[1:], ids[0]])
    assert moved.status_code == 200, moved.text
    last = moved.json()["prompts"][-1]
    assert last["id"] == ids[0] and last["answer_count"] == 1
    assert moved.json()["current_prompt"]["id"] == ids[0]


@pytest.mark.parametrize(
    "prompts",
    [
        [],
        [{"text": "Vraag", "kind": "ja-nee", "theme": 1}],
        [{"text": "", "kind": "open", "theme": 1}],
        [{"text": "Vraag", "kind": "open", "theme": 1, "extra": True}],
        ["eerste"],
    ],
)
def test_bad_bodies_are_422_with_a_message(
    client: TestClient, boss: Headers, workshop: dict[str, Any], prompts: list[Any]
) -> None:
    response = put(client, boss, workshop["id"], prompts)
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith("Ongeldige invoer.")


@pytest.mark.parametrize(
    ("prompts", "message"),
    [
        ([999_999], "hoort niet bij deze bijeenkomst"),
        ([{"text": "Vraag", "kind": "open", "theme": 42}], "thema"),
        ("twice", "één keer"),
    ],
)
def test_rule_violations_are_422_in_dutch(
    client: TestClient, boss: Headers, workshop: dict[str, Any], prompts: Any, message: str
) -> None:
    if prompts == "twice":
        prompts = [workshop["prompts"][0]["id"]] * 2
    response = put(client, boss, workshop["id"], prompts)
    assert response.status_code == 422, response.text
    assert message in response.json()["detail"]


def test_only_facilitators_of_the_workshop_may(
    client: TestClient, boss: Headers, workshop: dict[str, Any]
) -> None:
    ids = [p["id"] for p in workshop["prompts"]]
    assert put(client, {}, workshop["id"], ids).status_code == 401
    other = facilitator_token(client, OTHER)
    assert put(client, other, workshop["id"], ids).status_code == 404
    sanne, _joined = join(client, workshop["join_code"])
    assert put(client, sanne, workshop["id"], ids).status_code == 403


def test_openapi_lists_the_programme_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "put" in paths["/api/v1/workshops/{workshop_id}/programme"]
