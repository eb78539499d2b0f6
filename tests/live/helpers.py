"""Driving the real app as a facilitator and as participants, each with their own cookie."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from tests.conftest import csrf_of
from tests.factories import PASSWORD

COOKIE = "gk_session"


def take_cookie(client: TestClient) -> str:
    value = client.cookies.get(COOKIE)
    assert value, "no session cookie was set"
    client.cookies.clear()
    return f"{COOKIE}={value}"


def as_cookie(client: TestClient, cookie: str) -> None:
    client.cookies.clear()
    name, value = cookie.split("=", 1)
    client.cookies.set(name, value)


def sign_up_and_create(
    client: TestClient, *, deck: str = "nji-beleidsmakers", kind: str = "regional"
) -> tuple[str, int, str]:
    """First-run sign-up, then a workshop. Returns (cookie, workshop id, join code)."""
    page = client.get("/setup")
    client.post(
        "/setup",
        data={
            "email": "begeleider@example.nl",
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
        },
    )
    page = client.get("/workshops/new")
    response = client.post(
        "/workshops",
        data={
            "title": "Regiobijeenkomst",
            "deck_slug": deck,
            "kind": kind,
            "school_year": "2026-2027",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    console = client.get(f"/workshops/{workshop_id}")
    code = re.search(r'class="join-code"[^>]*>([A-Z0-9]+)<', console.text)
    assert code
    return take_cookie(client), workshop_id, code.group(1)


def join(client: TestClient, code: str, *, name: str = "", domain: str = "onderwijs") -> str:
    page = client.get(f"/w/{code}")
    response = client.post(
        f"/w/{code}/join",
        data={
            "name": name,
            "organisation": "Org",
            "domain": domain,
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return take_cookie(client)


def act(client: TestClient, cookie: str, workshop_id: int, action: str, **extra: Any) -> None:
    as_cookie(client, cookie)
    page = client.get(f"/workshops/{workshop_id}")
    response = client.post(
        f"/workshops/{workshop_id}/actions",
        data={"action": action, **{k: str(v) for k, v in extra.items()}},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(page.text)},
    )
    client.cookies.clear()
    assert response.status_code == 204, response.text


def receive_until(
    ws: WebSocketTestSession, predicate: Callable[[str], bool], limit: int = 30
) -> str:
    """Read pushes until one satisfies the predicate; fail (not hang) after `limit` messages."""
    seen = []
    for _ in range(limit):
        message = ws.receive_text()
        seen.append(message)
        if predicate(message):
            return message
    raise AssertionError(f"no matching push in {limit} messages; last: {seen[-1][:500]}")


def send_answer(ws: WebSocketTestSession, prompt_id: int, text: str, key: str) -> None:
    ws.send_text(
        json.dumps(
            {
                "type": "answer",
                "prompt_id": str(prompt_id),
                "text": text,
                "idempotency_key": key,
                "HEADERS": {"HX-Request": "true"},
            }
        )
    )


def prompt_id_in(html: str) -> int:
    match = re.search(r'name="prompt_id" value="(\d+)"', html)
    assert match, "no answer form in this push"
    return int(match.group(1))


@dataclass(frozen=True)
class PhoneRoom:
    """A workshop at its first prompt, open for answers, with Sanne's phone connected."""

    client: TestClient
    facilitator: str  # the facilitator's cookie
    workshop_id: int
    code: str
    sanne: str  # the participant's cookie
    phone: WebSocketTestSession
    prompt_id: int  # the open prompt, as the phone's answer form names it


@contextmanager
def room_with_phone(client: TestClient) -> Iterator[PhoneRoom]:
    """Sign up, create, join as Sanne, start and open, then connect her phone to its form."""
    facilitator, workshop_id, code = sign_up_and_create(client)
    sanne = join(client, code, name="Sanne")
    act(client, facilitator, workshop_id, "start")
    act(client, facilitator, workshop_id, "open")
    with client.websocket_connect(f"/ws/w/{code}", headers={"cookie": sanne}) as phone:
        prompt_id = prompt_id_in(receive_until(phone, lambda m: 'name="prompt_id"' in m))
        yield PhoneRoom(client, facilitator, workshop_id, code, sanne, phone, prompt_id)
