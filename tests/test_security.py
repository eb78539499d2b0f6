"""Security headers: HSTS only over HTTPS (also behind a proxy), no caching of pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.live.helpers import as_cookie, join, sign_up_and_create


def test_hsts_is_sent_over_https_and_not_over_plain_http(client: TestClient) -> None:
    assert "strict-transport-security" not in client.get("/privacy").headers
    secure = TestClient(client.app, base_url="https://testserver")
    assert secure.get("/privacy").headers["strict-transport-security"] == "max-age=31536000"


def test_pages_with_answers_or_tokens_are_never_stored_in_a_cache(client: TestClient) -> None:
    cookie, workshop_id, code = sign_up_and_create(client)
    sanne = join(client, code, name="Sanne")
    as_cookie(client, cookie)
    for path in (
        f"/workshops/{workshop_id}",
        f"/workshops/{workshop_id}/projector",
        f"/workshops/{workshop_id}/agenda",
        "/dashboard",
        f"/api/v1/workshops/{workshop_id}/agenda/items",
    ):
        assert client.get(path).headers["cache-control"] == "no-store", path
    as_cookie(client, sanne)
    assert client.get(f"/w/{code}").headers["cache-control"] == "no-store"
    # Static files keep their own caching.
    assert client.get("/static/app.css").headers.get("cache-control") != "no-store"
