"""Every route of the app against five kinds of caller; a route missing from MATRIX fails.

Callers: anonymous, a participant of workshop A, a facilitator of another workshop ("other"),
a co-facilitator of A ("co") and A's owner. Every request targets workshop A. Outcomes:

- ok: served (2xx, or a redirect that is not to the login page); it may change things.
- same: served, but nothing in the database may change (e.g. a first-run form after setup).
- login: must log in first (303 to /login for pages, 401 for the API); nothing changes.
- deny: 403 or 404 (no hint that the workshop exists); nothing changes.
- an int: exactly that status; nothing changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape as html_escape
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute, iter_route_contexts
from sqlmodel import select
from starlette.routing import BaseRoute, Mount, Route
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from app.models import Answer
from app.routes.live import CLOSE_FORBIDDEN
from app.services.workshops import prompts_of
from tests.live.helpers import receive_until
from tests.security.world import HIDDEN_TEXT, ROLES, UNREVEALED_TEXT, World, renew_login

Expect = str | int
Row = tuple[Expect, Expect, Expect, Expect, Expect]  # anonymous, participant, other, co, owner
PUBLIC: Row = ("ok", "ok", "ok", "ok", "ok")
FACILITATOR_PAGE: Row = ("login", "login", "deny", "ok", "ok")
ANY_FACILITATOR_PAGE: Row = ("login", "login", "ok", "ok", "ok")
FACILITATOR_API: Row = (401, 403, "deny", "ok", "ok")
ANY_FACILITATOR_API: Row = (401, 403, "ok", "ok", "ok")
OWNER_ONLY_PAGE: Row = ("login", "login", "deny", "deny", "ok")
PARTICIPANT_PAGE: Row = ("deny", "ok", "deny", "deny", "deny")
AGENDA = "/workshops/{workshop_id}/agenda"
API_WORKSHOP = "/api/v1/workshops/{workshop_id}"
GROUPS_API = API_WORKSHOP + "/prompts/{prompt_id}"
GROUP_PAGES = "/workshops/{workshop_id}/groups/{group_id}"
EXPORTS = ("agenda.pdf", "agenda.ics", "agenda.xlsx", "agenda.csv", "agenda.md", "answers.md",
           "answers.pdf", "export.json")  # fmt: skip


def _programme(world: World) -> list[int]:
    with world.db.reading() as session:
        prompts = prompts_of(session=session, workshop_id=world.workshop_id)
        return [p.id or 0 for p in prompts]


MATRIX: dict[tuple[str, str], Row] = {
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("MOUNT", "/static"): PUBLIC,
    ("GET", "/"): PUBLIC,
    # After the first account exists, setup only redirects to the login, and creates nothing.
    ("GET", "/setup"): (303, 303, 303, 303, 303),
    ("POST", "/setup"): (303, 303, 303, 303, 303),
    ("GET", "/login"): PUBLIC,
    # Public forms: the same answer for everyone (an incomplete form, so no password hashing).
    ("POST", "/login"): (422, 422, 422, 422, 422),
    ("POST", "/logout"): PUBLIC,
    ("GET", "/dashboard"): ANY_FACILITATOR_PAGE,
    ("GET", "/workshops/new"): ANY_FACILITATOR_PAGE,
    ("POST", "/workshops"): ANY_FACILITATOR_PAGE,
    # Only the owner adds co-facilitators; a co-facilitator gets a message and nothing changes.
    ("POST", "/workshops/{workshop_id}/facilitators"): ("login", "login", "deny", "same", "ok"),
    ("GET", "/workshops/{workshop_id}"): FACILITATOR_PAGE,
    ("GET", "/workshops/{workshop_id}/projector"): FACILITATOR_PAGE,
    ("GET", "/workshops/{workshop_id}/results"): FACILITATOR_PAGE,
    ("POST", "/workshops/{workshop_id}/actions"): FACILITATOR_PAGE,
    ("POST", "/workshops/{workshop_id}/answers/{answer_id}/visibility"): FACILITATOR_PAGE,
    ("POST", "/workshops/{workshop_id}/wall"): FACILITATOR_PAGE,
    ("GET", "/workshops/{workshop_id}/programme"): FACILITATOR_PAGE,
    ("POST", "/workshops/{workshop_id}/programme"): FACILITATOR_PAGE,
    ("PUT", API_WORKSHOP + "/programme"): FACILITATOR_API,
    ("GET", "/join"): PUBLIC,
    ("GET", "/w/{code}"): PUBLIC,
    ("POST", "/w/{code}/join"): PUBLIC,
    ("GET", "/w/{code}/qr.svg"): PUBLIC,
    ("WS", "/ws/workshops/{workshop_id}/{audience}"): ("deny", "deny", "deny", "ok", "ok"),
    # The phone socket is for participants of this workshop only, not for its facilitators.
    ("WS", "/ws/w/{code}"): ("deny", "ok", "deny", "deny", "deny"),
    ("POST", "/api/v1/auth/token"): (422, 422, 422, 422, 422),
    ("GET", "/api/v1/decks"): ANY_FACILITATOR_API,
    ("GET", "/api/v1/decks/{deck_id}"): ANY_FACILITATOR_API,
    ("POST", "/api/v1/workshops"): ANY_FACILITATOR_API,
    ("GET", "/api/v1/workshops/{workshop_id}"): FACILITATOR_API,
    ("POST", "/api/v1/workshops/{workshop_id}/actions"): FACILITATOR_API,
    ("POST", "/api/v1/join"): PUBLIC,
    ("GET", "/api/v1/workshops/{workshop_id}/prompt"): (401, "ok", 403, 403, 403),
    ("POST", "/api/v1/workshops/{workshop_id}/answers"): (401, "ok", 403, 403, 403),
    ("GET", "/api/v1/workshops/{workshop_id}/answers"): FACILITATOR_API,
    ("POST", "/api/v1/workshops/{workshop_id}/answers/{answer_id}/visibility"): FACILITATOR_API,
    # Deleting a workshop (a spare one, made for each call): its owner only.
    ("DELETE", API_WORKSHOP): (401, 403, "deny", "deny", "ok"),
    ("GET", "/workshops/{workshop_id}/delete"): OWNER_ONLY_PAGE,
    ("POST", "/workshops/{workshop_id}/delete"): OWNER_ONLY_PAGE,
    ("GET", "/privacy"): PUBLIC,
    # Only the owner changes privacy settings; a co-facilitator gets a message, nothing changes.
    ("POST", "/workshops/{workshop_id}/privacy"): ("login", "login", "deny", "same", "ok"),
    # The doe-agenda: the workshop's facilitators only.
    ("GET", AGENDA): FACILITATOR_PAGE,
    ("POST", AGENDA + "/items"): FACILITATOR_PAGE,
    ("GET", AGENDA + "/items/{item_id}/edit"): FACILITATOR_PAGE,
    ("POST", AGENDA + "/items/{item_id}"): FACILITATOR_PAGE,
    ("POST", AGENDA + "/items/{item_id}/delete"): FACILITATOR_PAGE,
    ("POST", AGENDA + "/dates"): FACILITATOR_PAGE,
    ("POST", AGENDA + "/dots"): FACILITATOR_PAGE,
    ("POST", AGENDA + "/owners"): FACILITATOR_PAGE,
    ("POST", AGENDA + "/owners/{link_id}/revoke"): FACILITATOR_PAGE,
    ("POST", "/workshops/{workshop_id}/review"): FACILITATOR_PAGE,
    ("POST", "/workshops/{workshop_id}/review/items/{item_id}"): FACILITATOR_PAGE,
    ("POST", "/workshops/{workshop_id}/review/carry"): FACILITATOR_PAGE,
    ("GET", "/workshops/{workshop_id}/review/projector"): FACILITATOR_PAGE,
    ("POST", "/workshops/{workshop_id}/review/screen"): FACILITATOR_PAGE,
    ("GET", API_WORKSHOP + "/agenda/items"): FACILITATOR_API,
    ("POST", API_WORKSHOP + "/agenda/items"): FACILITATOR_API,
    ("PATCH", API_WORKSHOP + "/agenda/items/{item_id}"): FACILITATOR_API,
    ("DELETE", API_WORKSHOP + "/agenda/items/{item_id}"): FACILITATOR_API,
    **{("GET", f"{API_WORKSHOP}/{name}"): FACILITATOR_API for name in EXPORTS},
    # An import makes a new workshop of the caller's own.
    ("POST", "/api/v1/import"): ANY_FACILITATOR_API,
    # A trekker's personal link: whoever holds the token, no account.
    ("GET", "/o/{token}"): PUBLIC,
    ("GET", "/o/{token}/agenda.ics"): PUBLIC,
    ("POST", "/o/{token}/items/{item_id}"): PUBLIC,
    # Dots are placed by participants of this workshop only.
    ("POST", "/w/{code}/dots"): PARTICIPANT_PAGE,
    # Reactions to the terugblik's item: participants only. Workshop A shows no terugblik, so
    # its participant gets past the check to the service's 404 (the accepted reaction is in
    # tests/routes/test_review_reactions.py); everyone else is refused before it.
    ("POST", "/w/{code}/review/react"): ("deny", 404, "deny", "deny", "deny"),
    # Mail: addresses, settings and previews for the workshop's facilitators only.
    ("POST", "/workshops/{workshop_id}/mail/owners"): FACILITATOR_PAGE,
    ("POST", "/workshops/{workshop_id}/mail/settings"): FACILITATOR_PAGE,
    ("GET", "/workshops/{workshop_id}/mail/preview/{item_id}/{kind}"): FACILITATOR_PAGE,
    # One-click unsubscribe needs no login, only a valid token (an owner link's is not one).
    ("GET", "/mail/afmelden/{token}"): (404, 404, 404, 404, 404),
    ("POST", "/mail/afmelden/{token}"): (404, 404, 404, 404, 404),
    # A phone's paged list of revealed answers; others are sent to the join page.
    ("GET", "/w/{code}/answers"): PUBLIC,
    # Own decks (docs/decks.md): any facilitator lists, copies and uploads their own; the
    # owner's co-facilitators see and download the owner's deck; only the owner edits it.
    ("GET", "/decks"): ANY_FACILITATOR_PAGE,
    ("POST", "/decks/copy"): ANY_FACILITATOR_PAGE,
    # No file sent: refused with a message, nothing stored.
    ("POST", "/decks/import"): ("login", "login", 422, 422, 422),
    ("GET", "/decks/{deck_id}/export.yaml"): ("login", "login", "deny", "ok", "ok"),
    ("GET", "/decks/{deck_id}/edit"): OWNER_ONLY_PAGE,
    # An empty form: the owner gets the edit page back with a message, nothing changes.
    ("POST", "/decks/{deck_id}"): ("login", "login", "deny", "deny", 422),
    ("POST", "/decks/{deck_id}/delete"): OWNER_ONLY_PAGE,
    # Answer groups (Groeperen): the workshop's facilitators only.
    ("POST", "/workshops/{workshop_id}/prompts/{prompt_id}/groups/regroup"): FACILITATOR_PAGE,
    ("POST", "/workshops/{workshop_id}/prompts/{prompt_id}/groups/accept"): FACILITATOR_PAGE,
    ("POST", GROUP_PAGES + "/accept"): FACILITATOR_PAGE,
    ("POST", GROUP_PAGES + "/rename"): FACILITATOR_PAGE,
    ("POST", GROUP_PAGES + "/merge"): FACILITATOR_PAGE,
    ("POST", GROUP_PAGES + "/split"): FACILITATOR_PAGE,
    ("POST", GROUP_PAGES + "/delete"): FACILITATOR_PAGE,
    ("POST", GROUP_PAGES + "/agenda-item"): FACILITATOR_PAGE,
    ("POST", "/workshops/{workshop_id}/answers/{answer_id}/group"): FACILITATOR_PAGE,
    ("POST", GROUPS_API + "/groups/suggest"): FACILITATOR_API,
    ("GET", GROUPS_API + "/groups"): FACILITATOR_API,
    ("PUT", GROUPS_API + "/groups"): FACILITATOR_API,
    ("POST", GROUPS_API + "/groups/regroup"): FACILITATOR_API,
    ("PATCH", GROUPS_API + "/groups/{group_id}"): FACILITATOR_API,
    ("POST", GROUPS_API + "/groups/{group_id}/merge"): FACILITATOR_API,
    ("POST", GROUPS_API + "/groups/{group_id}/split"): FACILITATOR_API,
    ("DELETE", GROUPS_API + "/groups/{group_id}"): FACILITATOR_API,
    ("POST", GROUPS_API + "/groups/{group_id}/agenda-item"): FACILITATOR_API,
    ("PUT", GROUPS_API + "/answers/{answer_id}/group"): FACILITATOR_API,
}

Body = Callable[[World], dict[str, Any]]
BODIES: dict[tuple[str, str], Body] = {
    ("POST", "/setup"): lambda w: {"data": {"email": "nieuw@example.nl", "password": "x" * 12}},
    ("POST", "/login"): lambda w: {"data": {"email": "niemand@example.nl"}},
    ("POST", "/decks/copy"): lambda w: {"data": {"slug": "nji-beleidsmakers"}},
    ("POST", "/workshops"): lambda w: {
        "data": {
            "title": "Nieuwe bijeenkomst",
            "deck_slug": "nji-beleidsmakers",
            "kind": "regional",
            "school_year": "2026-2027",
        }
    },
    ("POST", "/workshops/{workshop_id}/facilitators"): lambda w: {"data": {"email": w.extra_email}},
    # "open" again on the open prompt: a real steer that leaves the world as it was.
    ("POST", "/workshops/{workshop_id}/actions"): lambda w: {"data": {"action": "open"}},
    ("POST", "/workshops/{workshop_id}/answers/{answer_id}/visibility"): lambda w: {
        "data": {"hidden": "true"}
    },
    ("POST", "/workshops/{workshop_id}/wall"): lambda w: {"data": {"op": "pause"}},
    # The first prompt up, or the programme as it is: real steps that leave the order alone.
    ("POST", "/workshops/{workshop_id}/programme"): lambda w: {
        "data": {"op": "up", "prompt_id": str(w.prompt_id)}
    },
    ("PUT", API_WORKSHOP + "/programme"): lambda w: {"json": {"prompts": _programme(w)}},
    ("POST", "/w/{code}/join"): lambda w: {"data": {"name": "Nieuw", "domain": "ouders"}},
    ("POST", "/api/v1/auth/token"): lambda w: {"data": {"username": "niemand@example.nl"}},
    ("POST", "/api/v1/workshops"): lambda w: {
        "json": {
            "title": "API-bijeenkomst",
            "deck": "nji-beleidsmakers",
            "kind": "school_team",
            "school_year": "2026-2027",
        }
    },
    ("POST", "/api/v1/workshops/{workshop_id}/actions"): lambda w: {"json": {"action": "open"}},
    ("POST", "/api/v1/workshops/{workshop_id}/answers/{answer_id}/visibility"): lambda w: {
        "json": {"hidden": True}
    },
    ("POST", "/api/v1/join"): lambda w: {"json": {"code": w.code}},
    ("POST", "/api/v1/workshops/{workshop_id}/answers"): lambda w: {
        "json": {"prompt_id": w.prompt_id, "text": "Via de API", "idempotency_key": w.key()}
    },
    ("POST", "/workshops/{workshop_id}/delete"): lambda w: {"data": {"confirm": "true"}},
    ("POST", "/workshops/{workshop_id}/privacy"): lambda w: {"data": {"retention_days": "30"}},
    ("POST", AGENDA + "/items"): lambda w: {"data": {"title": "Nieuw actiepunt"}},
    ("POST", AGENDA + "/items/{item_id}"): lambda w: {
        "data": {"version": w.item_version(w.item_id), "title": "Bijgewerkt", "status": "open"}
    },
    ("POST", AGENDA + "/dates"): lambda w: {"data": {"start_date": "2026-09-01"}},
    ("POST", AGENDA + "/dots"): lambda w: {"data": {"dots": "3"}},
    ("POST", AGENDA + "/owners"): lambda w: {"data": {"owner_name": "Trekker"}},
    ("POST", "/workshops/{workshop_id}/mail/owners"): lambda w: {
        "data": {"owner_name": "Trekker", "email": "trekker@school.example"}
    },
    ("POST", "/workshops/{workshop_id}/mail/settings"): lambda w: {
        "data": {"reminder_days": "14, 2", "language": "nl"}
    },
    ("POST", API_WORKSHOP + "/agenda/items"): lambda w: {"json": {"title": "Via de API"}},
    ("PATCH", API_WORKSHOP + "/agenda/items/{item_id}"): lambda w: {
        "json": {"version": w.item_version(w.item_id), "title": "Via de API bijgewerkt"}
    },
    # A's archive under another title, so the dashboards keep telling A and B apart.
    ("POST", "/api/v1/import"): lambda w: {
        "json": json.loads(
            w.request(
                "GET",
                f"/api/v1/workshops/{w.workshop_id}/export.json",
                w.principals["owner"],
                api=True,
            ).text.replace("Bijeenkomst A", "Ingelezen")
        )
    },
    ("POST", "/o/{token}/items/{item_id}"): lambda w: {
        "data": {"version": w.item_version(w.item_id), "status": "bezig", "notes": "Loopt"}
    },
    ("POST", "/w/{code}/dots"): lambda w: {"data": {"op": "place", "item_id": w.item_id}},
    ("POST", "/w/{code}/review/react"): lambda w: {
        "data": {"item_id": w.item_id, "kind": "noticed"}
    },
    ("POST", GROUP_PAGES + "/rename"): lambda w: {"data": {"label": "Hernoemd"}},
    ("POST", GROUP_PAGES + "/merge"): lambda w: {"data": {"into": str(w.group_ids[1])}},
    ("POST", GROUP_PAGES + "/split"): lambda w: {
        "data": {"label": "Nieuw", "answer_ids": [str(w.unrevealed_answer_id)]}
    },
    ("POST", "/workshops/{workshop_id}/answers/{answer_id}/group"): lambda w: {
        "data": {"group_id": str(w.group_ids[1])}
    },
    ("PUT", GROUPS_API + "/groups"): lambda w: {
        "json": {"groups": [{"label": "Via de API", "answer_ids": [w.hidden_answer_id]}]}
    },
    ("PATCH", GROUPS_API + "/groups/{group_id}"): lambda w: {"json": {"label": "Via de API"}},
    ("POST", GROUPS_API + "/groups/{group_id}/merge"): lambda w: {"json": {"into": w.group_ids[1]}},
    ("POST", GROUPS_API + "/groups/{group_id}/split"): lambda w: {
        "json": {"label": "Nieuw", "answer_ids": [w.unrevealed_answer_id]}
    },
    ("PUT", GROUPS_API + "/answers/{answer_id}/group"): lambda w: {
        "json": {"group_id": w.group_ids[1]}
    },
    ("POST", "/workshops/{workshop_id}/review"): lambda w: {
        "data": {"from_workshop_id": w.workshop_id}
    },
    ("POST", "/workshops/{workshop_id}/review/items/{item_id}"): lambda w: {
        "data": {"version": w.item_version(w.item_id), "status": "bezig", "lesson": "Geleerd"}
    },
    ("POST", "/workshops/{workshop_id}/review/screen"): lambda w: {"data": {"step": "next"}},
}

# Calls that use up what they act on get a fresh one each time, made before the check.
Fresh = Callable[[World], dict[str, Any]]
FRESH: dict[tuple[str, str], Fresh] = {
    ("DELETE", API_WORKSHOP): lambda w: {"workshop_id": w.new_workshop()},
    ("POST", "/workshops/{workshop_id}/delete"): lambda w: {"workshop_id": w.new_workshop()},
    ("POST", AGENDA + "/items/{item_id}/delete"): lambda w: {"item_id": w.new_item()},
    ("DELETE", API_WORKSHOP + "/agenda/items/{item_id}"): lambda w: {"item_id": w.new_item()},
    ("POST", AGENDA + "/owners/{link_id}/revoke"): lambda w: {"link_id": w.new_link()[0]},
    # A review happens in a spare workshop (owner, with co) looking back on A's agenda.
    ("POST", "/workshops/{workshop_id}/review"): lambda w: {"workshop_id": w.new_workshop()},
    ("POST", "/workshops/{workshop_id}/review/items/{item_id}"): lambda w: _reviewing(w),
    ("POST", "/workshops/{workshop_id}/review/carry"): lambda w: _reviewing(w),
    ("GET", "/workshops/{workshop_id}/review/projector"): lambda w: _reviewing(w),
    ("POST", "/workshops/{workshop_id}/review/screen"): lambda w: _reviewing(w),
    ("POST", "/w/{code}/dots"): lambda w: _voting_open(w),
    ("GET", "/decks/{deck_id}/export.yaml"): lambda w: w.new_own_deck(),
    ("GET", "/decks/{deck_id}/edit"): lambda w: w.new_own_deck(),
    ("POST", "/decks/{deck_id}"): lambda w: w.new_own_deck(),
    ("POST", "/decks/{deck_id}/delete"): lambda w: w.new_own_deck(),
    **{
        key: lambda w: w.new_groups()
        for key in MATRIX
        if "{group_id}" in key[1] or key[1].endswith("/answers/{answer_id}/group")
    },
}


def _reviewing(world: World) -> dict[str, Any]:
    spare = world.new_workshop()
    response = world.request(
        "POST",
        f"/workshops/{spare}/review",
        world.principals["owner"],
        data={"from_workshop_id": world.workshop_id},
    )
    assert response.status_code == 303, response.text
    return {"workshop_id": spare}


def _voting_open(world: World) -> dict[str, Any]:
    response = world.request(
        "POST",
        f"/workshops/{world.workshop_id}/agenda/dots",
        world.principals["owner"],
        data={"dots": "5"},
    )
    assert response.status_code == 303, response.text
    return {}


def app_routes(world: World) -> set[tuple[str, str]]:
    """(method, path) for every route the app serves; websockets as WS, mounts as MOUNT; a
    mounted FastAPI application (the JSON API) by its own routes."""
    return _routes(world.client.app.routes)  # type: ignore[attr-defined]


def _routes(routes: list[BaseRoute], prefix: str = "") -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for context in iter_route_contexts(routes):
        route = context.original_route
        path = context.path
        assert path is not None, route
        path = prefix + path
        if isinstance(route, APIWebSocketRoute):
            found.add(("WS", path))
        elif isinstance(route, Mount) and isinstance(route.app, FastAPI):
            found |= _routes(route.app.routes, path)
        elif isinstance(route, Mount):
            found.add(("MOUNT", path))
        elif isinstance(route, APIRoute | Route):
            found |= {(m, path) for m in (context.methods or set()) if m != "HEAD"}
        else:
            raise AssertionError(f"a kind of route the matrix does not know: {route!r}")
    return found


def test_every_route_has_a_row_in_the_matrix(world: World) -> None:
    served = app_routes(world)
    assert served - MATRIX.keys() == set(), "new routes need a row in MATRIX"
    assert MATRIX.keys() - served == set(), "MATRIX lists routes the app no longer has"


def _url(world: World, path: str, fresh: dict[str, Any] | None = None) -> str:
    params: dict[str, Any] = {
        "workshop_id": world.workshop_id,
        "answer_id": world.hidden_answer_id,
        "code": world.code,
        "deck_id": "nji-beleidsmakers",
        "audience": "facilitator",
        "item_id": world.item_id,
        "link_id": world.link_id,
        "token": world.owner_token,
        "kind": "checkin_summary",
        "prompt_id": world.prompt_id,
        "group_id": world.group_ids[0],
    }
    return path.format(**{**params, **(fresh or {})})


def _websocket_outcome(world: World, url: str, role: str) -> str:
    who = world.principals[role]
    try:
        with world.client.websocket_connect(url, headers=who.headers()) as ws:
            first = ws.receive_text()
            assert 'id="sync"' in first, first[:300]
            return "ok"
    except WebSocketDisconnect as exc:
        assert exc.code == CLOSE_FORBIDDEN, exc.code
        return "deny"


def _http_outcome(
    world: World,
    method: str,
    path: str,
    role: str,
    expected: Expect,
    *,
    htmx: bool = False,
    fresh: dict[str, Any] | None = None,
) -> Expect:
    who = world.principals[role]
    api = path.startswith("/api/")
    url = "/static/app.css" if method == "MOUNT" else _url(world, path, fresh)
    kwargs = BODIES.get((method, path), lambda w: {})(world)
    if htmx:
        kwargs["headers"] = {"HX-Request": "true"}
    response = world.request("GET" if method == "MOUNT" else method, url, who, api=api, **kwargs)
    status = response.status_code
    location = response.headers.get("location", "")
    if isinstance(expected, int):
        return status
    if htmx and status == 401 and response.headers.get("hx-redirect") == "/login":
        return "login"
    if (not api and status == 303 and location.startswith("/login")) or (api and status == 401):
        return "login"
    if status in (403, 404):
        return "deny"
    if status < 400:
        return expected if expected in ("ok", "same") else "ok"
    return status


@pytest.mark.parametrize("key", sorted(MATRIX), ids=lambda k: f"{k[0]} {k[1]}")
def test_route_against_every_kind_of_caller(world: World, key: tuple[str, str]) -> None:
    method, path = key
    make = FRESH.get(key, lambda w: {})
    for role, expected in zip(ROLES, MATRIX[key], strict=True):
        fresh = make(world)
        before = world.fingerprint()
        if method == "WS":
            outcome: Expect = _websocket_outcome(world, _url(world, path), role)
        else:
            outcome = _http_outcome(world, method, path, role, expected, fresh=fresh)
        assert outcome == expected, (role, method, path)
        if expected != "ok":
            assert world.fingerprint() == before, f"{role} changed something via {method} {path}"
        if path == "/logout" and role in world.facilitators:
            renew_login(world, role)
        if method == "POST" and not path.startswith("/api/"):
            # The same through htmx, as the console's buttons send it.
            fresh = make(world)
            before = world.fingerprint()
            outcome = _http_outcome(world, method, path, role, expected, htmx=True, fresh=fresh)
            assert outcome == expected, (role, "htmx", method, path)
            if expected != "ok":
                assert world.fingerprint() == before, f"{role} changed something via htmx {path}"
            if path == "/logout" and role in world.facilitators:
                renew_login(world, role)


def _answer_texts_in(html: str) -> set[str]:
    return {t for t in (HIDDEN_TEXT, UNREVEALED_TEXT, html_escape(HIDDEN_TEXT)) if t in html}


def test_hidden_and_unrevealed_answers_reach_no_participant_or_projector(world: World) -> None:
    owner, participant = world.principals["owner"], world.principals["participant"]
    hidden = html_escape(HIDDEN_TEXT)
    pages = {
        "participant": world.request("GET", f"/w/{world.code}", participant).text,
        "projector": world.request("GET", f"/workshops/{world.workshop_id}/projector", owner).text,
        "api prompt": world.request(
            "GET", f"/api/v1/workshops/{world.workshop_id}/prompt", participant, api=True
        ).text,
    }
    for name, body in pages.items():
        assert _answer_texts_in(body) == set(), name
    # Facilitators see everything, hidden answers as text, never as markup.
    for role in ("owner", "co"):
        console = world.request("GET", f"/workshops/{world.workshop_id}", world.principals[role])
        assert hidden in console.text and UNREVEALED_TEXT in console.text
        assert HIDDEN_TEXT not in console.text

    reveal = f"/api/v1/workshops/{world.workshop_id}/actions"
    with (
        world.client.websocket_connect(
            f"/ws/w/{world.code}", headers=participant.headers()
        ) as phone,
        world.client.websocket_connect(
            f"/ws/workshops/{world.workshop_id}/projector", headers=owner.headers()
        ) as beamer,
    ):
        seen = [phone.receive_text(), beamer.receive_text()]
        assert _answer_texts_in("".join(seen)) == set()
        try:
            world.request("POST", reveal, owner, api=True, json={"action": "reveal"})
            for ws in (phone, beamer):
                seen.append(receive_until(ws, lambda m: UNREVEALED_TEXT in m))
            after = world.request("GET", f"/w/{world.code}", participant).text
            assert UNREVEALED_TEXT in after
            seen.append(after)
        finally:
            world.request("POST", reveal, owner, api=True, json={"action": "hide"})
    for body in seen:
        assert hidden not in body and HIDDEN_TEXT not in body


def _flash(ws: WebSocketTestSession) -> str:
    return receive_until(ws, lambda m: "flash-ok" in m or "flash-error" in m)


def test_a_participant_cannot_touch_others_answers_over_the_socket(world: World) -> None:
    participant = world.principals["participant"]
    with world.db.reading() as session:
        theirs = session.exec(
            select(Answer.id).where(Answer.workshop_id == world.other_workshop_id)
        ).all()
    other_prompt = world.request(
        "GET",
        f"/api/v1/workshops/{world.other_workshop_id}/prompt",
        world.other_participant,
        api=True,
    ).json()["prompt"]["id"]
    attempts = [
        # Someone else's answer in the same workshop: not theirs to change.
        ({"type": "edit", "answer_id": world.own_answer_id, "text": "overschreven"}, "eigen"),
        ({"type": "withdraw", "answer_id": world.own_answer_id}, "eigen"),
        # A "+1" only on answers the room is shown.
        ({"type": "react", "answer_id": world.hidden_answer_id}, "getoond"),
        ({"type": "react", "answer_id": world.unrevealed_answer_id}, "getoond"),
        # Another workshop's prompt and answers do not exist from here.
        (
            {
                "type": "answer",
                "prompt_id": other_prompt,
                "text": "x",
                "idempotency_key": world.key(),
            },
            "bestaat niet",
        ),
        *[
            ({"type": t, "answer_id": a}, "bestaat niet")
            for a in theirs
            for t in ("withdraw", "react")
        ],
    ]
    with world.client.websocket_connect(f"/ws/w/{world.code}", headers=participant.headers()) as ws:
        ws.receive_text()
        for message, expected in attempts:
            before = world.fingerprint()
            ws.send_text(json.dumps(message))
            reply = _flash(ws)
            assert "flash-error" in reply and expected in reply, (message, reply)
            assert world.fingerprint() == before, message


def test_the_facilitator_socket_takes_no_participant_messages(world: World) -> None:
    owner = world.principals["owner"]
    before = world.fingerprint()
    url = f"/ws/workshops/{world.workshop_id}/facilitator"
    with world.client.websocket_connect(url, headers=owner.headers()) as ws:
        ws.receive_text()
        for message in (
            {
                "type": "answer",
                "prompt_id": world.prompt_id,
                "text": "x",
                "idempotency_key": "k" * 10,
            },
            {"type": "withdraw", "answer_id": world.own_answer_id},
        ):
            ws.send_text(json.dumps(message))
    # A participant socket would have replied; a round trip proves the frames were read.
    world.request("GET", f"/workshops/{world.workshop_id}", owner)
    assert world.fingerprint() == before


def test_a_participant_cannot_reach_another_workshop(world: World) -> None:
    participant = world.principals["participant"]
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        world.client.websocket_connect(
            f"/ws/w/{world.other_code}", headers=participant.headers()
        ) as ws,
    ):
        ws.receive_text()
    assert closed.value.code == CLOSE_FORBIDDEN
    other = world.other_workshop_id
    before = world.fingerprint()
    for method, url, body in (
        ("GET", f"/api/v1/workshops/{other}/prompt", None),
        ("POST", f"/api/v1/workshops/{other}/answers",
         {"prompt_id": world.prompt_id, "text": "x", "idempotency_key": world.key()}),
        ("GET", f"/api/v1/workshops/{other}/answers", None),
        ("GET", f"/api/v1/workshops/{other}", None),
    ):  # fmt: skip
        response = world.request(method, url, participant, api=True, json=body)
        assert response.status_code in (403, 404), (url, response.status_code)
    # Their own code shows B's join form, not B's room.
    page = world.request("GET", f"/w/{world.other_code}", participant)
    assert f"/w/{world.other_code}/join" in page.text
    assert world.fingerprint() == before


def test_a_facilitator_lists_only_own_and_cofacilitated_workshops(world: World) -> None:
    def titles(role: str) -> set[str]:
        page = world.request("GET", "/dashboard", world.principals[role]).text
        return {t for t in ("Bijeenkomst A", "Bijeenkomst B") if t in page}

    assert titles("owner") == {"Bijeenkomst A"}
    assert titles("co") == {"Bijeenkomst A"}
    assert titles("other") == {"Bijeenkomst B"}
