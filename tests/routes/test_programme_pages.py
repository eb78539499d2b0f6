"""The preparation page: plain forms and htmx, own prompts, Dutch errors, CSRF, access."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.db import Database
from app.models import Workshop
from app.services.workshops import prompts_of
from tests.conftest import csrf_of
from tests.factories import make_answer, make_participant
from tests.live.helpers import act, as_cookie, join, sign_up_and_create


def texts(db: Database, workshop_id: int) -> list[str]:
    with db.reading() as session:
        return [p.text for p in prompts_of(session=session, workshop_id=workshop_id)]


def ids(db: Database, workshop_id: int) -> list[int]:
    with db.reading() as session:
        return [p.id or 0 for p in prompts_of(session=session, workshop_id=workshop_id)]


def step(
    client: TestClient,
    cookie: str,
    workshop_id: int,
    *,
    htmx: bool = False,
    lang: str = "nl",
    **data: str,
) -> tuple[int, str, str]:
    """One form post from the page, as a browser sends it; (status, body, location)."""
    as_cookie(client, cookie)
    client.cookies.set("gk_lang", lang)
    page = client.get(f"/workshops/{workshop_id}/programme")
    assert page.status_code == 200
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(
        f"/workshops/{workshop_id}/programme",
        data={**data, "csrf_token": csrf_of(page.text)},
        headers=headers,
        follow_redirects=False,
    )
    return response.status_code, response.text, response.headers.get("location", "")


def test_the_console_links_to_the_page_which_lists_the_programme(client: TestClient) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    as_cookie(client, cookie)
    console = client.get(f"/workshops/{workshop_id}").text
    assert f'href="/workshops/{workshop_id}/programme"' in console

    page = client.get(f"/workshops/{workshop_id}/programme").text

    assert "Programma voorbereiden" in page
    assert page.count('name="op" value="up"') == 22
    assert "Alle vragen van de kaartset staan in het programma." in page
    # The own prompt's theme comes from the deck's six themes.
    assert len(re.findall(r'<option value="\d+"', page)) == 6


def test_moving_up_without_javascript_comes_back_at_the_prompt(
    client: TestClient, db: Database
) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    before = ids(db, workshop_id)

    status, _body, location = step(client, cookie, workshop_id, op="up", prompt_id=str(before[1]))

    assert status == 303
    assert location == f"/workshops/{workshop_id}/programme#prompt-{before[1]}"
    assert ids(db, workshop_id)[:2] == [before[1], before[0]]


def test_htmx_gets_the_editor_back_with_the_new_order(client: TestClient, db: Database) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    before = ids(db, workshop_id)

    status, body, _location = step(
        client, cookie, workshop_id, htmx=True, op="down", prompt_id=str(before[0])
    )

    assert status == 200
    assert body.startswith("<div") or 'id="programme-editor"' in body.split("\n", 3)[-1]
    assert "<html" not in body
    assert ids(db, workshop_id)[:2] == [before[1], before[0]]
    assert body.index(f'id="prompt-{before[1]}"') < body.index(f'id="prompt-{before[0]}"')


def test_a_removed_prompt_waits_outside_the_programme_and_comes_back_at_the_end(
    client: TestClient, db: Database
) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    first = texts(db, workshop_id)[0]
    first_id = ids(db, workshop_id)[0]

    step(client, cookie, workshop_id, op="remove", prompt_id=str(first_id))

    assert first not in texts(db, workshop_id)
    as_cookie(client, cookie)
    page = client.get(f"/workshops/{workshop_id}/programme").text
    picked = re.search(r'name="deck_prompt_id" value="([^"]+)"', page)
    assert picked is not None

    step(client, cookie, workshop_id, op="add_deck", deck_prompt_id=picked.group(1))

    assert texts(db, workshop_id)[-1] == first


def test_an_own_prompt_is_added_at_the_end(client: TestClient, db: Database) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)

    status, _body, _location = step(
        client,
        cookie,
        workshop_id,
        op="add_own",
        text="Wat pakken wij op?",
        kind="scale",
        theme="3",
    )

    assert status == 303
    assert texts(db, workshop_id)[-1] == "Wat pakken wij op?"
    as_cookie(client, cookie)
    page = client.get(f"/workshops/{workshop_id}/programme").text
    assert "eigen vraag" in page


def test_an_empty_own_prompt_gets_a_dutch_error_and_keeps_the_choices(
    client: TestClient, db: Database
) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    before = texts(db, workshop_id)

    status, body, _location = step(
        client, cookie, workshop_id, op="add_own", text="   ", kind="scale", theme="4"
    )

    assert status == 422
    assert "Schrijf de tekst van je eigen vraag." in body
    assert 'value="scale" checked' in body
    assert '<option value="4" selected>' in body
    assert texts(db, workshop_id) == before


def test_removing_an_answered_prompt_is_refused_in_dutch_and_in_english(
    client: TestClient, db: Database
) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    act(client, cookie, workshop_id, "start")
    act(client, cookie, workshop_id, "open")
    first = ids(db, workshop_id)[0]
    with db.writing() as session:
        workshop = session.get(Workshop, workshop_id)
        assert workshop is not None
        person, _token = make_participant(session, workshop=workshop)
        make_answer(session, participant=person, text="Meer samen optrekken")

    status, body, _location = step(client, cookie, workshop_id, op="remove", prompt_id=str(first))
    assert status == 409
    assert "heeft al antwoorden en blijft daarom in het programma" in body
    assert ids(db, workshop_id)[0] == first

    status, body, _location = step(
        client, cookie, workshop_id, htmx=True, lang="en", op="remove", prompt_id=str(first)
    )
    assert status == 409
    assert "already has answers" in body


def test_the_page_needs_the_csrf_token_and_a_facilitator(client: TestClient, db: Database) -> None:
    cookie, workshop_id, code = sign_up_and_create(client)
    before = ids(db, workshop_id)
    as_cookie(client, cookie)
    refused = client.post(
        f"/workshops/{workshop_id}/programme", data={"op": "remove", "prompt_id": str(before[0])}
    )
    assert refused.status_code == 403
    client.cookies.clear()
    phone = join(client, code, name="Sanne")
    as_cookie(client, phone)
    page = client.get(f"/workshops/{workshop_id}/programme", follow_redirects=False)
    assert page.status_code in (303, 401, 403)
    assert "Programma voorbereiden" not in page.text
    assert ids(db, workshop_id) == before


def test_results_show_an_own_scale_prompt_in_its_place(client: TestClient, db: Database) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    step(
        client,
        cookie,
        workshop_id,
        op="add_own",
        text="Hoe staat regio Noord ervoor?",
        kind="scale",
        theme="2",
    )
    before = ids(db, workshop_id)
    for _ in range(len(before) - 3):
        step(client, cookie, workshop_id, htmx=True, op="up", prompt_id=str(before[-1]))
    assert ids(db, workshop_id)[2] == before[-1]

    as_cookie(client, cookie)
    page = client.get(f"/workshops/{workshop_id}/results")

    assert page.status_code == 200
    scales = re.findall(r"<h3[^>]*>([^<]+)</h3>", page.text)
    # The card's first prompt is a scale, the second open: the own scale prompt comes second.
    assert scales.index("Hoe staat regio Noord ervoor?") == 1
