"""Pages: login gates, first run, and live fragments identical on first load and on push."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.db import Database
from app.events import Topic
from app.live.render import FRAGMENTS, Audience, partial
from app.live.state import load_room
from tests.conftest import csrf_of
from tests.live.helpers import act, as_cookie, join, sign_up_and_create


def test_pages_need_a_facilitator_and_htmx_gets_a_redirect_header(client: TestClient) -> None:
    page = client.get("/dashboard", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/dashboard"
    fragment = client.get("/dashboard", headers={"HX-Request": "true"}, follow_redirects=False)
    assert fragment.status_code == 401
    assert fragment.headers["HX-Redirect"] == "/login"


def test_first_run_sign_up_works_once(client: TestClient) -> None:
    assert "/setup" in client.get("/").text
    sign_up_and_create(client)
    again = client.get("/setup", follow_redirects=False)
    assert again.status_code in (303, 403, 404)
    assert "/setup" not in client.get("/").text


def test_a_form_without_the_csrf_token_is_refused_in_dutch(client: TestClient) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    as_cookie(client, cookie)
    response = client.post(f"/workshops/{workshop_id}/actions", data={"action": "start"})
    assert response.status_code == 403
    assert "Laad de pagina opnieuw" in response.text
    client.get(f"/workshops/{workshop_id}")
    assert "We beginnen zo" in client.get(f"/workshops/{workshop_id}/projector").text


def test_a_failed_htmx_action_answers_with_a_flash_fragment(client: TestClient) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    as_cookie(client, cookie)
    page = client.get(f"/workshops/{workshop_id}")
    response = client.post(
        f"/workshops/{workshop_id}/actions",
        data={"action": "open"},  # nothing to open before the start
        headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(page.text)},
    )
    assert 400 <= response.status_code < 500
    assert response.headers["HX-Retarget"] == "#flash"
    assert 'id="flash"' in response.text
    assert "<html" not in response.text


@pytest.mark.parametrize("audience", [Audience.facilitator, Audience.projector])
def test_facilitator_fragments_are_identical_on_load_and_on_push(
    client: TestClient, db: Database, audience: Audience
) -> None:
    cookie, workshop_id, code = sign_up_and_create(client)
    join(client, code, name="Sanne")
    act(client, cookie, workshop_id, "start")
    act(client, cookie, workshop_id, "open")
    as_cookie(client, cookie)
    path = f"/workshops/{workshop_id}" + ("" if audience is Audience.facilitator else "/projector")
    page = client.get(path).text
    with client.websocket_connect(
        f"/ws/workshops/{workshop_id}/{audience.value}", headers={"cookie": cookie}
    ) as ws:
        pushed = ws.receive_text()
    _assert_fragments_match(db, workshop_id, audience, page, pushed)


def test_participant_fragments_are_identical_on_load_and_on_push(
    client: TestClient, db: Database
) -> None:
    cookie, workshop_id, code = sign_up_and_create(client)
    phone = join(client, code, name="Sanne")
    act(client, cookie, workshop_id, "start")
    act(client, cookie, workshop_id, "open")
    as_cookie(client, phone)
    page = client.get(f"/w/{code}").text
    with client.websocket_connect(f"/ws/w/{code}", headers={"cookie": phone}) as ws:
        pushed = ws.receive_text()
    _assert_fragments_match(db, workshop_id, Audience.participant, page, pushed)
    assert 'name="prompt_id"' in pushed


def _assert_fragments_match(
    db: Database, workshop_id: int, audience: Audience, page: str, pushed: str
) -> None:
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "<html" not in pushed
    with db.reading() as session:
        room = load_room(session=session, workshop_id=workshop_id)
    assert room is not None
    names = FRAGMENTS[audience][Topic.stage]
    assert names
    for name in names:
        fragment = partial(name, room=room, audience=audience.value)
        assert fragment.strip(), name
        assert fragment in pushed, f"{name} pushed differently from the template"
        assert fragment in page, f"{name} on the page differs from the pushed fragment"
    seq = re.search(r'id="sync" data-seq="(\d+)"', pushed)
    assert seq, "a push carries its sequence number"
    assert 0 < int(seq.group(1)) <= room.seq
