"""The agenda pages: console forms, editing with a version, owner links, dots from a phone."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import csrf_of
from tests.live.helpers import as_cookie, join, sign_up_and_create

SCRIPT = "<script>alert(1)</script>"


def _console(client: TestClient) -> tuple[str, int, str, str]:
    cookie, wid, code = sign_up_and_create(client)
    as_cookie(client, cookie)
    token = csrf_of(client.get(f"/workshops/{wid}").text)
    return cookie, wid, code, token


def _make(client: TestClient, wid: int, token: str, **fields: str) -> None:
    response = client.post(
        f"/workshops/{wid}/agenda/items",
        data={"csrf_token": token, **fields},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204, response.text


def test_items_show_on_console_projector_and_agenda_page_as_text(client: TestClient) -> None:
    _, wid, _, token = _console(client)
    _make(client, wid, token, title=SCRIPT, owner_organisation="Politie", level="incidenten",
          due_date="2026-10-01")  # fmt: skip
    for path in (f"/workshops/{wid}", f"/workshops/{wid}/projector", f"/workshops/{wid}/agenda"):
        page = client.get(path)
        assert page.status_code == 200
        assert SCRIPT not in page.text, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text, path
    agenda = client.get(f"/workshops/{wid}/agenda").text
    assert 'id="agenda-matrix"' in agenda and "Wie zijn aan zet?" in agenda
    assert 'role="img"' in agenda and "Actiepunten per maand" in agenda
    assert "oktober 2026" in agenda


def test_a_bad_date_gets_a_dutch_message_and_stores_nothing(client: TestClient) -> None:
    _, wid, _, token = _console(client)
    response = client.post(
        f"/workshops/{wid}/agenda/items",
        data={"csrf_token": token, "title": "Iets", "due_date": "31-02-2026"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422 and "schrijf een datum" in response.text
    assert "Iets" not in client.get(f"/workshops/{wid}/agenda").text


def test_a_stale_edit_form_keeps_the_typed_text_and_says_why(client: TestClient) -> None:
    _, wid, _, token = _console(client)
    _make(client, wid, token, title="Eerste titel")
    agenda = client.get(f"/workshops/{wid}/agenda").text
    edit_url = re.search(r'href="(/workshops/\d+/agenda/items/\d+)/edit"', agenda)
    assert edit_url
    form = client.get(edit_url.group(1) + "/edit").text
    assert 'name="version" value="1"' in form
    fields = {"csrf_token": token, "version": "1", "status": "open"}
    first = client.post(edit_url.group(1), data={**fields, "title": "Van begeleider A"})
    assert first.status_code == 200 and "Van begeleider A" in first.text  # after redirect
    stale = client.post(edit_url.group(1), data={**fields, "title": "Van begeleider B"})
    assert stale.status_code == 409
    assert "intussen door iemand anders gewijzigd" in stale.text
    assert 'value="Van begeleider B"' in stale.text and 'name="version" value="2"' in stale.text
    assert "Van begeleider B" not in client.get(f"/workshops/{wid}/agenda").text


def test_an_owner_link_shows_own_items_and_stops_when_revoked(client: TestClient) -> None:
    cookie, wid, _, token = _console(client)
    _make(client, wid, token, title="Mijn punt", owner_name="Ahmed", owner_organisation="Politie")
    _make(client, wid, token, title="Niet mijn punt", owner_name="Sanne")
    made = client.post(
        f"/workshops/{wid}/agenda/owners",
        data={"csrf_token": token, "owner_name": "Ahmed", "owner_organisation": "Politie"},
    )
    link = re.search(r"http://testserver(/o/[A-Za-z0-9_\-]+)", made.text)
    assert link, made.text[:500]
    client.cookies.clear()
    page = client.get(link.group(1))
    assert page.status_code == 200 and "Mijn punt" in page.text
    assert "Niet mijn punt" not in page.text
    item_form = re.search(r'action="(/o/[^"]+/items/\d+)"', page.text)
    assert item_form
    saved = client.post(
        item_form.group(1),
        data={"csrf_token": csrf_of(page.text), "version": "1", "status": "bezig",
              "notes": "Gesprek gepland"},
    )  # fmt: skip
    assert saved.status_code == 200 and "Gesprek gepland" in saved.text
    feed = client.get(link.group(1) + "/agenda.ics")
    assert feed.status_code == 200 and "BEGIN:VCALENDAR" in feed.text
    as_cookie(client, cookie)
    agenda = client.get(f"/workshops/{wid}/agenda").text
    revoke = re.search(r'action="(/workshops/\d+/agenda/owners/\d+/revoke)"', agenda)
    assert revoke
    client.post(revoke.group(1), data={"csrf_token": token})
    client.cookies.clear()
    gone = client.get(link.group(1))
    assert gone.status_code == 404 and "werkt niet" in gone.text
    assert client.get(link.group(1) + "/agenda.ics").status_code == 404


def test_a_participant_places_dots_within_the_limit(client: TestClient) -> None:
    cookie, wid, code, token = _console(client)
    _make(client, wid, token, title="Stem hierop")
    client.post(f"/workshops/{wid}/agenda/dots", data={"csrf_token": token, "dots": "1"})
    client.cookies.clear()
    phone = join(client, code, name="Sanne")
    as_cookie(client, phone)
    page = client.get(f"/w/{code}").text
    assert "Stemmen met stippen" in page
    item_id = re.search(r'name="item_id" value="(\d+)"', page)
    assert item_id
    data = {"op": "place", "item_id": item_id.group(1)}
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_of(page)}
    assert client.post(f"/w/{code}/dots", data=data, headers=headers).status_code == 204
    over = client.post(f"/w/{code}/dots", data=data, headers=headers)
    assert over.status_code == 409 and "stippen gebruikt" in over.text
    as_cookie(client, cookie)
    items = client.get(f"/api/v1/workshops/{wid}/agenda/items").json()
    assert items[0]["votes"] == 1


def test_the_review_form_appears_only_when_there_is_a_meeting_to_look_back_on(
    client: TestClient,
) -> None:
    _, wid, _, token = _console(client)
    agenda = client.get(f"/workshops/{wid}/agenda").text
    assert "Er is nog geen andere bijeenkomst om op terug te blikken." in agenda
    assert 'name="from_workshop_id"' not in agenda
    created = client.post(
        "/workshops",
        data={
            "csrf_token": token,
            "title": "Terugblik juni",
            "deck_slug": "nji-beleidsmakers",
            "kind": "regional",
            "school_year": "2026-2027",
            "retention_days": "90",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    agenda = client.get(f"/workshops/{wid}/agenda").text
    assert 'name="from_workshop_id"' in agenda and "Terugblik juni" in agenda
    assert "Er is nog geen andere bijeenkomst" not in agenda
