"""The HTTP steps of the fault tests: log in, a workshop with its first prompt open, join.

The server processes themselves come from tests/serverproc.py.
"""

from __future__ import annotations

import re

import httpx2 as httpx

from tests.conftest import csrf_of
from tests.serverproc import COOKIE


def log_in(base_url: str, email: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=30)
    page = client.get("/login")
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 303, response.text
    return client


def create_running_workshop(client: httpx.Client) -> tuple[int, str]:
    """A workshop with its first prompt open; returns (id, join code)."""
    page = client.get("/workshops/new")
    response = client.post(
        "/workshops",
        data={"title": "Storingstest", "deck_slug": "nji-beleidsmakers", "kind": "regional",
              "school_year": "2026-2027", "csrf_token": csrf_of(page.text)},
    )  # fmt: skip
    assert response.status_code == 303, response.text
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    console = client.get(f"/workshops/{workshop_id}")
    code = re.search(r'class="join-code"[^>]*>([A-Z0-9]+)<', console.text)
    assert code
    for action in ("start", "open"):
        response = client.post(
            f"/workshops/{workshop_id}/actions",
            data={"action": action},
            headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(console.text)},
        )
        assert response.status_code == 204, response.text
    return workshop_id, code.group(1)


def join(base_url: str, code: str, name: str) -> str:
    """Join over HTTP as a phone does; returns the cookie header for the websocket."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        page = client.get(f"/w/{code}")
        response = client.post(
            f"/w/{code}/join",
            data={"name": name, "domain": "onderwijs", "csrf_token": csrf_of(page.text)},
        )
        assert response.status_code == 303, response.text
        return f"{COOKIE}={client.cookies[COOKIE]}"
