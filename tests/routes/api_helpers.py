"""Driving the JSON API as a facilitator and as participants, with bearer tokens only."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import PASSWORD

Headers = dict[str, str]


def bearer(token: str) -> Headers:
    return {"Authorization": f"Bearer {token}"}


def facilitator_token(client: TestClient, email: str = "begeleider@example.nl") -> Headers:
    response = client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    return bearer(body["access_token"])


def create_workshop(client: TestClient, headers: Headers, **overrides: Any) -> dict[str, Any]:
    body = {
        "title": "Regiobijeenkomst Noord",
        "deck": "nji-beleidsmakers",
        "kind": "regional",
        "school_year": "2026-2027",
        **overrides,
    }
    response = client.post("/api/v1/workshops", json=body, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def join(client: TestClient, code: str, name: str = "Sanne") -> tuple[Headers, dict[str, Any]]:
    body = {"code": code, "name": name, "organisation": "OBS De Linde", "domain": "onderwijs"}
    response = client.post("/api/v1/join", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return bearer(result["access_token"]), result


def act(
    client: TestClient, headers: Headers, workshop_id: int, action: str, **extra: Any
) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/workshops/{workshop_id}/actions",
        json={"action": action, **extra},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def answer(
    client: TestClient, headers: Headers, workshop_id: int, **body: Any
) -> tuple[int, dict[str, Any]]:
    response = client.post(f"/api/v1/workshops/{workshop_id}/answers", json=body, headers=headers)
    result: dict[str, Any] = response.json()
    return response.status_code, result
