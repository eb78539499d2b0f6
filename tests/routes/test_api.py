"""The JSON API end to end: tokens, workshops, steering, joining, answering, access rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.config import Settings
from app.db import Database
from app.models import Answer, User, Workshop, utcnow
from app.services import participation, roster, workshops
from app.services.facilitation import set_answer_hidden
from app.services.tokens import issue_facilitator_token
from tests.factories import RecordingPublisher, make_user
from tests.routes.api_helpers import (
    Headers,
    act,
    answer,
    bearer,
    create_workshop,
    facilitator_token,
    join,
)

OTHER = "collega@example.nl"


@pytest.fixture
def users(db: Database) -> list[User]:
    with db.writing() as session:
        return [make_user(session), make_user(session, email=OTHER)]


def _answers_in_db(db: Database) -> list[Answer]:
    with db.reading() as session:
        return list(session.exec(select(Answer)).all())


def test_the_whole_flow_through_the_api(
    client: TestClient, db: Database, users: list[User]
) -> None:
    boss = facilitator_token(client)
    decks = client.get("/api/v1/decks", headers=boss)
    assert decks.status_code == 200
    deck = next(d for d in decks.json() if d["id"] == "nji-beleidsmakers")
    assert deck["audience"] and deck["themes"][0]["prompt_count"] > 0
    full = client.get("/api/v1/decks/nji-beleidsmakers", headers=boss).json()
    assert full["themes"][0]["prompts"][0]["text"]

    created = create_workshop(client, boss, organisation="Regio Noord")
    wid, code = created["id"], created["join_code"]
    assert created["status"] == "lobby"
    assert created["join_url"] == f"http://testserver/w/{code}"

    sanne, joined = join(client, code.lower())
    assert joined["workshop_id"] == wid
    lobby = client.get(f"/api/v1/workshops/{wid}/prompt", headers=sanne).json()
    assert lobby["status"] == "lobby" and lobby["prompt"] is None

    act(client, boss, wid, "start")
    state = act(client, boss, wid, "open", seconds=120)
    current = state["current_prompt"]
    assert state["status"] == "running" and state["current_position"] == 0
    assert current["phase"] == "open" and not current["revealed"]
    assert state["timer_ends_at"] is not None
    assert state["participants"] == {"joined": 1, "online": 0}
    seen = client.get(f"/api/v1/workshops/{wid}/prompt", headers=sanne).json()
    assert seen["prompt"]["id"] == current["id"]

    status, first = answer(
        client, sanne, wid, prompt_id=current["id"], text=" Een visie ", idempotency_key="key-0001"
    )
    assert status == 201, first
    assert first["text"] == "Een visie" and first["participant_id"] == joined["participant_id"]
    status, again = answer(
        client, sanne, wid, prompt_id=current["id"], text="Een visie", idempotency_key="key-0001"
    )
    assert status == 200
    assert again["id"] == first["id"]
    assert [a.id for a in _answers_in_db(db)] == [first["id"]]

    listed = client.get(f"/api/v1/workshops/{wid}/answers", headers=boss)
    assert listed.status_code == 200
    [row] = listed.json()
    assert row["id"] == first["id"] and row["text"] == "Een visie"
    assert row["participant_name"] == "Sanne" and row["domain"] == "onderwijs"
    assert row["hidden"] is False and row["withdrawn"] is False

    state = act(client, boss, wid, "reveal")
    assert state["current_prompt"]["revealed"] is True
    assert state["current_prompt"]["answer_count"] == 1
    assert state["prompts"][0]["revealed"] is True
    assert state["seq"] > 0
    assert client.get(f"/api/v1/workshops/{wid}", headers=boss).json() == state


def test_hidden_answers_are_flagged_and_withdrawn_ones_left_out_unless_asked(
    client: TestClient, db: Database, users: list[User]
) -> None:
    boss = facilitator_token(client)
    wid, code = (w := create_workshop(client, boss))["id"], w["join_code"]
    sanne, _ = join(client, code)
    act(client, boss, wid, "start")
    prompt_id = act(client, boss, wid, "open")["current_prompt"]["id"]
    ids = [
        answer(client, sanne, wid, prompt_id=prompt_id, text=t, idempotency_key=f"key-{t}")[1]["id"]
        for t in ("houden", "verbergen", "intrekken")
    ]
    with db.writing() as session:
        workshop = session.get(Workshop, wid)
        person = roster.participant_by_token(
            session=session, workshop_id=wid, token=sanne["Authorization"].split()[1]
        )
        assert workshop is not None and person is not None
        publisher = RecordingPublisher()
        set_answer_hidden(
            session=session, publisher=publisher, workshop=workshop, answer_id=ids[1], hidden=True
        )
        participation.withdraw_answer(
            session=session, publisher=publisher, participant=person, answer_id=ids[2]
        )
    rows = client.get(f"/api/v1/workshops/{wid}/answers", headers=boss).json()
    assert [(r["text"], r["hidden"]) for r in rows] == [("houden", False), ("verbergen", True)]
    rows = client.get(
        f"/api/v1/workshops/{wid}/answers?include_withdrawn=true&prompt_id={prompt_id}",
        headers=boss,
    ).json()
    assert [(r["text"], r["withdrawn"]) for r in rows][-1] == (
        None,
        True,
    )  # a withdrawn answer keeps no text
    assert len(rows) == 3


def test_no_token_or_a_bad_one_is_401_with_a_message(
    client: TestClient, users: list[User], settings: Settings
) -> None:
    wid = create_workshop(client, facilitator_token(client))["id"]
    expired = issue_facilitator_token(
        secret_key=settings.resolved_secret_key(), user=users[0], now=utcnow() - timedelta(hours=13)
    )
    foreign = issue_facilitator_token(secret_key="not-this-app", user=users[0])
    cases: list[tuple[Headers, str]] = [
        ({}, "Stuur een token mee"),
        (bearer("nonsense"), "ongeldig"),
        ({"Authorization": "Basic YTpi"}, "Stuur een token mee"),
        (bearer(expired), "verlopen"),
        (bearer(foreign), "ongeldig"),
    ]
    for headers, message in cases:
        for method, path in [
            ("GET", f"/api/v1/workshops/{wid}"),
            ("GET", "/api/v1/decks"),
            ("POST", f"/api/v1/workshops/{wid}/answers"),
        ]:
            body = {"prompt_id": 1, "text": "x", "idempotency_key": "key-0001"}
            response = client.request(method, path, headers=headers, json=body)
            assert response.status_code == 401, (headers, path, response.text)
            assert message in response.json()["detail"]
            assert response.headers["www-authenticate"] == "Bearer"


def test_a_wrong_password_gets_no_token(client: TestClient, users: list[User]) -> None:
    response = client.post(
        "/api/v1/auth/token", data={"username": "begeleider@example.nl", "password": "fout"}
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "E-mailadres of wachtwoord klopt niet."}
    assert "set-cookie" not in response.headers


def test_tokens_of_the_wrong_kind_are_403(client: TestClient, users: list[User]) -> None:
    boss = facilitator_token(client)
    wid, code = (w := create_workshop(client, boss))["id"], w["join_code"]
    sanne, _ = join(client, code)
    for path in (f"/api/v1/workshops/{wid}", f"/api/v1/workshops/{wid}/answers", "/api/v1/decks"):
        response = client.get(path, headers=sanne)
        assert response.status_code == 403
        assert "begeleiderstoken" in response.json()["detail"]
    response = client.post(
        f"/api/v1/workshops/{wid}/actions", json={"action": "start"}, headers=sanne
    )
    assert response.status_code == 403
    assert client.get(f"/api/v1/workshops/{wid}", headers=boss).json()["status"] == "lobby"
    response = client.get(f"/api/v1/workshops/{wid}/prompt", headers=boss)
    assert response.status_code == 403
    assert "deelnemerstoken" in response.json()["detail"]


def test_a_facilitator_reaches_only_own_and_cofacilitated_workshops(
    client: TestClient, db: Database, users: list[User]
) -> None:
    boss = facilitator_token(client)
    colleague = facilitator_token(client, OTHER)
    wid = create_workshop(client, boss)["id"]
    for method, path, body in [
        ("GET", f"/api/v1/workshops/{wid}", None),
        ("GET", f"/api/v1/workshops/{wid}/answers", None),
        ("POST", f"/api/v1/workshops/{wid}/actions", {"action": "start"}),
    ]:
        response = client.request(method, path, headers=colleague, json=body)
        assert response.status_code == 404, response.text
        assert response.json() == {
            "detail": "Deze bijeenkomst bestaat niet of je hebt er geen toegang toe."
        }
    missing = client.get("/api/v1/workshops/999999", headers=colleague)
    assert missing.json() == response.json()
    assert client.get(f"/api/v1/workshops/{wid}", headers=boss).json()["status"] == "lobby"

    with db.writing() as session:
        workshop = session.get(Workshop, wid)
        owner = session.get(User, users[0].id)
        assert workshop is not None and owner is not None
        workshops.add_cofacilitator(session=session, workshop=workshop, by=owner, email=OTHER)
    assert act(client, colleague, wid, "start")["status"] == "running"


def test_a_participant_cannot_reach_another_workshop(
    client: TestClient, db: Database, users: list[User]
) -> None:
    boss = facilitator_token(client)
    a = create_workshop(client, boss, title="A")
    b = create_workshop(client, boss, title="B")
    sanne_a, _ = join(client, a["join_code"])
    act(client, boss, b["id"], "start")
    prompt_b = act(client, boss, b["id"], "open")["current_prompt"]["id"]
    status, body = answer(
        client, sanne_a, b["id"], prompt_id=prompt_b, text="Hallo", idempotency_key="key-cross"
    )
    assert status == 404
    assert "geen toegang" in body["detail"]
    assert client.get(f"/api/v1/workshops/{b['id']}/prompt", headers=sanne_a).status_code == 404
    # Nor by naming B's prompt on A's address.
    act(client, boss, a["id"], "start")
    act(client, boss, a["id"], "open")
    status, body = answer(
        client, sanne_a, a["id"], prompt_id=prompt_b, text="Hallo", idempotency_key="key-cross"
    )
    assert status == 404
    assert _answers_in_db(db) == []


def test_the_api_needs_no_csrf_token_and_sets_no_cookie(
    client: TestClient, users: list[User]
) -> None:
    boss = facilitator_token(client)
    created = client.post(
        "/api/v1/workshops",
        json={
            "title": "T",
            "deck": "nji-beleidsmakers",
            "kind": "regional",
            "school_year": "2026-2027",
        },
        headers=boss,
    )
    assert created.status_code == 201
    assert "set-cookie" not in created.headers
    assert not client.cookies


def test_openapi_lists_every_endpoint_and_both_token_kinds(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    expected = {
        "/api/v1/auth/token": {"post"},
        "/api/v1/decks": {"get"},
        "/api/v1/decks/{deck_id}": {"get"},
        "/api/v1/workshops": {"post"},
        "/api/v1/workshops/{workshop_id}": {"get"},
        "/api/v1/workshops/{workshop_id}/actions": {"post"},
        "/api/v1/join": {"post"},
        "/api/v1/workshops/{workshop_id}/prompt": {"get"},
        "/api/v1/workshops/{workshop_id}/answers": {"get", "post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    schemes = spec["components"]["securitySchemes"]
    assert schemes["FacilitatorToken"]["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"
    assert schemes["ParticipantToken"]["scheme"] == "bearer"
    post_answer = paths["/api/v1/workshops/{workshop_id}/answers"]["post"]
    assert {"200", "201", "401", "404", "409", "422"} <= set(post_answer["responses"])
