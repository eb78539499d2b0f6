"""Request bodies past the cap are refused with 413 before anything parses them."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from app.body_limit import TOO_LARGE
from tests.conftest import csrf_of
from tests.live.helpers import as_cookie, sign_up_and_create

MIB = 1024 * 1024


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """A body sent chunked, without Content-Length, as a streaming client may."""
    sent = 0
    while sent < total:
        yield b"a" * min(size, total - sent)
        sent += size


def test_a_declared_body_over_one_mib_gets_413_with_a_message(client: TestClient) -> None:
    big = '{"code": "' + "A" * (2 * MIB) + '"}'
    response = client.post(
        "/api/v1/join", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": TOO_LARGE}


def test_a_chunked_body_without_content_length_is_counted_too(client: TestClient) -> None:
    api = client.post(
        "/api/v1/join", content=chunks(3 * MIB), headers={"content-type": "application/json"}
    )
    assert api.status_code == 413
    assert api.json() == {"detail": TOO_LARGE}
    form = client.post(
        "/login",
        content=chunks(3 * MIB),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 413
    assert "te groot" in form.text
    english = client.post(
        "/login",
        content=chunks(3 * MIB),
        headers={"content-type": "application/x-www-form-urlencoded", "accept-language": "en"},
    )
    assert english.status_code == 413
    assert "too large" in english.text


def test_ordinary_bodies_pass_and_the_import_may_be_larger_but_bounded(
    client: TestClient,
) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    as_cookie(client, cookie)
    token = csrf_of(client.get(f"/workshops/{workshop_id}").text)
    headers = {"X-CSRF-Token": token, "content-type": "application/json"}
    # An archive of 3 MiB reaches the import (which refuses it for its content, not its size).
    padded = '{"format": "x", "padding": "' + "a" * (3 * MIB) + '"}'
    assert client.post("/api/v1/import", content=padded, headers=headers).status_code == 422
    # Past the import's own cap it is refused like any other body.
    huge = '{"padding": "' + "a" * (21 * MIB) + '"}'
    refused = client.post("/api/v1/import", content=huge, headers=headers)
    assert refused.status_code == 413
    # The same 3 MiB anywhere else is too large.
    other = client.post(
        f"/api/v1/workshops/{workshop_id}/agenda/items", content=padded, headers=headers
    )
    assert other.status_code == 413
    small = client.post(
        f"/api/v1/workshops/{workshop_id}/agenda/items",
        json={"title": "Gewoon"},
        headers={"X-CSRF-Token": token},
    )
    assert small.status_code == 201
