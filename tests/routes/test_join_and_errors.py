"""Joining as the meeting needs it (a chosen domain, or a school team's role), sensible
new-workshop defaults, and Dutch pages for addresses that do not exist."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import select

from app.db import Database
from app.models import Domain, Participant
from tests.conftest import csrf_of
from tests.live.helpers import as_cookie, sign_up_and_create


def _post_join(client: TestClient, code: str, **fields: str) -> tuple[int, str]:
    page = client.get(f"/w/{code}")
    response = client.post(
        f"/w/{code}/join",
        data={"csrf_token": csrf_of(page.text), **fields},
        follow_redirects=False,
    )
    return response.status_code, response.text


def test_regional_join_has_no_default_domain_and_refuses_none(
    client: TestClient, db: Database
) -> None:
    _cookie, _wid, code = sign_up_and_create(client)
    client.cookies.clear()
    form = client.get(f"/w/{code}").text
    select_box = form.split('<select id="domain"', 1)[1].split("</select>", 1)[0]
    assert " required" in select_box.split(">", 1)[0]
    assert "selected" not in select_box
    status, text = _post_join(client, code, organisation="Politie Utrecht")
    assert status == 422
    assert "Kies je domein" in text
    with db.reading() as session:
        assert session.exec(select(Participant)).all() == []
    status, _text = _post_join(client, code, organisation="Politie Utrecht", domain="politie")
    assert status == 303
    with db.reading() as session:
        person = session.exec(select(Participant)).one()
    assert person.domain is Domain.politie and person.role is None


def test_school_team_join_asks_a_role_instead_of_organisation_and_domain(
    client: TestClient, db: Database
) -> None:
    _cookie, _wid, code = sign_up_and_create(
        client, deck="schoolteam-start-schooljaar", kind="school_team"
    )
    client.cookies.clear()
    form = client.get(f"/w/{code}").text
    assert 'id="role"' in form and "Intern begeleider (IB&#39;er)" in form
    assert 'id="domain"' not in form and 'id="organisation"' not in form
    status, text = _post_join(client, code)
    assert status == 422 and "Kies je rol in het team" in text
    status, _text = _post_join(client, code, role="ib")
    assert status == 303
    with db.reading() as session:
        person = session.exec(select(Participant)).one()
    assert person.role == "ib" and person.domain is Domain.onderwijs


def test_new_workshop_form_starts_regional_with_a_regional_deck(client: TestClient) -> None:
    cookie, _wid, _code = sign_up_and_create(client)
    as_cookie(client, cookie)
    form = client.get("/workshops/new").text
    checked_deck = re.search(
        r'name="deck_slug" value="([a-z-]+)" data-kind="(\w+)"[^>]*checked', form
    )
    assert checked_deck and checked_deck.groups() == ("nji-beleidsmakers", "regional")
    assert re.search(r'name="kind" value="regional"[^>]*checked', form)
    assert 'value="schoolteam-start-schooljaar" data-kind="school_team"' in form


def test_an_unknown_page_is_a_dutch_html_page_and_the_api_keeps_json(client: TestClient) -> None:
    page = client.get("/dit-bestaat-niet")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Deze pagina bestaat niet" in page.text
    english = client.get("/dit-bestaat-niet", headers={"Accept-Language": "en"})
    assert english.status_code == 404 and "This page does not exist" in english.text
    api = client.get("/api/v1/dit-bestaat-niet")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
