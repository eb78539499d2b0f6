"""HEAD answers wherever GET does (app/head.py): same status and headers, no body.

Monitoring and link checkers send HEAD; FastAPI's own routes would answer 405.
"""

from __future__ import annotations

import pytest

from tests.security.test_authorization_matrix import _url, app_routes
from tests.security.world import World

# Headers that legitimately differ between two requests (a fresh cookie, the clock).
VOLATILE = {"date", "set-cookie", "content-length"}


def _get_paths(world: World) -> list[str]:
    paths = sorted(path for method, path in app_routes(world) if method == "GET")
    return [*paths, "/static/app.css"]


def test_head_on_the_home_page_is_not_405(world: World) -> None:
    response = world.request("HEAD", "/", world.principals["anonymous"])
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("role", ["anonymous", "owner"])
def test_head_matches_get_on_every_get_route(world: World, role: str) -> None:
    who = world.principals[role]
    checked = 0
    for path in _get_paths(world):
        url = _url(world, path)
        api = path.startswith("/api/")
        got = world.request("GET", url, who, api=api)
        head = world.request("HEAD", url, who, api=api)
        assert head.status_code == got.status_code, (role, url)
        assert head.content == b"", (role, url)
        same = {k: v for k, v in got.headers.items() if k not in VOLATILE}
        assert {k: v for k, v in head.headers.items() if k not in VOLATILE} == same, (role, url)
        checked += 1
    assert checked > 20


def test_head_keeps_the_length_get_would_send(world: World) -> None:
    who = world.principals["anonymous"]
    got = world.request("GET", "/privacy", who)
    head = world.request("HEAD", "/privacy", who)
    assert int(head.headers["content-length"]) == len(got.content)
