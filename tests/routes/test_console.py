"""The console's actions over HTTP: facilitator only, CSRF, Dutch messages for bad input, and the
page showing the new controls (programme, confirm before end, reopen, shortcuts)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import select

from app.db import Database
from app.models import Workshop, WorkshopStatus
from tests.conftest import csrf_of
from tests.live.helpers import act, as_cookie, join, sign_up_and_create


def post_action(
    client: TestClient, cookie: str, workshop_id: int, *, htmx: bool = True, **data: str
) -> tuple[int, str]:
    as_cookie(client, cookie)
    page = client.get(f"/workshops/{workshop_id}")
    headers = {"X-CSRF-Token": csrf_of(page.text)}
    if htmx:
        headers["HX-Request"] = "true"
    else:
        data = {**data, "csrf_token": csrf_of(page.text)}
    response = client.post(
        f"/workshops/{workshop_id}/actions", data=data, headers=headers, follow_redirects=False
    )
    return response.status_code, response.text


def status_of(db: Database, workshop_id: int) -> WorkshopStatus:
    with db.reading() as session:
        workshop = session.exec(select(Workshop).where(Workshop.id == workshop_id)).one()
        return workshop.status


def test_a_participant_cannot_steer_or_reopen(client: TestClient, db: Database) -> None:
    cookie, workshop_id, code = sign_up_and_create(client)
    phone = join(client, code, name="Sanne")
    act(client, cookie, workshop_id, "end")
    as_cookie(client, phone)
    response = client.post(
        f"/workshops/{workshop_id}/actions",
        data={"action": "reopen"},
        headers={"HX-Request": "true"},
        follow_redirects=False,
    )
    assert response.status_code in (401, 403)
    assert status_of(db, workshop_id) is WorkshopStatus.ended


def test_reopen_needs_the_csrf_token(client: TestClient, db: Database) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    act(client, cookie, workshop_id, "end")
    as_cookie(client, cookie)
    response = client.post(f"/workshops/{workshop_id}/actions", data={"action": "reopen"})
    assert response.status_code == 403
    assert "Laad de pagina opnieuw" in response.text
    assert status_of(db, workshop_id) is WorkshopStatus.ended


def test_ending_and_reopening_without_javascript(client: TestClient, db: Database) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    act(client, cookie, workshop_id, "start")
    as_cookie(client, cookie)
    console = client.get(f"/workshops/{workshop_id}").text
    # The end button sits behind a <details> confirmation, not behind window.confirm.
    confirm = re.search(r'<details class="end-confirm">.*?</details>', console, re.S)
    assert confirm and 'value="end"' in confirm.group(0)
    assert 'value="end"' not in console.replace(confirm.group(0), "")

    status, _ = post_action(client, cookie, workshop_id, htmx=False, action="end")
    assert status == 303
    assert status_of(db, workshop_id) is WorkshopStatus.ended
    console = client.get(f"/workshops/{workshop_id}").text
    assert "Heropenen" in console and 'value="reopen"' in console

    status, _ = post_action(client, cookie, workshop_id, htmx=False, action="reopen")
    assert status == 303
    assert status_of(db, workshop_id) is WorkshopStatus.running
    assert 'value="reopen"' not in client.get(f"/workshops/{workshop_id}").text


def test_reopening_a_running_workshop_is_refused_in_dutch(client: TestClient) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    status, text = post_action(client, cookie, workshop_id, action="reopen")
    assert status == 409
    assert "Deze bijeenkomst loopt nog." in text


def test_plus_one_minute_without_a_timer_is_refused_in_dutch(client: TestClient) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    act(client, cookie, workshop_id, "start")
    act(client, cookie, workshop_id, "open")
    status, text = post_action(client, cookie, workshop_id, action="extend")
    assert status == 409
    assert "Er loopt geen timer." in text


def test_the_console_offers_plus_one_minute_while_a_timer_runs(client: TestClient) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    act(client, cookie, workshop_id, "start")
    act(client, cookie, workshop_id, "open", seconds=120)
    as_cookie(client, cookie)
    console = client.get(f"/workshops/{workshop_id}").text
    assert 'value="extend"' in console and "+1 minuut" in console
    # Local time for screen readers, never a UTC clock.
    assert re.search(r"Timer loopt tot \d\d:\d\d:\d\d<", console)
    assert "UTC" not in console


def test_goto_a_prompt_that_does_not_exist_is_refused_in_dutch(client: TestClient) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    act(client, cookie, workshop_id, "start")
    status, text = post_action(client, cookie, workshop_id, action="goto", position="999")
    assert status == 422
    assert "Die vraag bestaat niet in deze bijeenkomst." in text
    status, text = post_action(client, cookie, workshop_id, action="goto", position="vijf")
    assert 400 <= status < 500


def test_the_programme_jumps_to_any_prompt(client: TestClient) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    act(client, cookie, workshop_id, "start")
    as_cookie(client, cookie)
    console = client.get(f"/workshops/{workshop_id}").text
    programme = re.search(r'<section id="console-programme".*?</section>', console, re.S)
    assert programme
    positions = re.findall(r'name="position" value="(\d+)"', programme.group(0))
    assert len(positions) > 10 and positions[:3] == ["0", "1", "2"]
    assert "0 antwoorden" in programme.group(0)
    act(client, cookie, workshop_id, "goto", position=7)
    as_cookie(client, cookie)
    assert "Vraag 8 van" in client.get(f"/workshops/{workshop_id}").text


def test_open_on_arrival_is_a_setting_on_the_console(client: TestClient) -> None:
    cookie, workshop_id, code = sign_up_and_create(client)
    act(client, cookie, workshop_id, "auto_open")
    act(client, cookie, workshop_id, "start")
    phone = join(client, code, name="Sanne")
    as_cookie(client, phone)
    assert 'name="prompt_id"' in client.get(f"/w/{code}").text
    as_cookie(client, cookie)
    console = client.get(f"/workshops/{workshop_id}").text
    assert "Elke vraag meteen openen: aan" in console
    assert "Open voor antwoorden" in console


def test_an_unknown_action_is_a_4xx(client: TestClient) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    status, _ = post_action(client, cookie, workshop_id, action="explode")
    assert 400 <= status < 500


def test_the_console_lists_its_shortcuts_and_labels_each_action_once(client: TestClient) -> None:
    cookie, workshop_id, _code = sign_up_and_create(client)
    act(client, cookie, workshop_id, "start")
    act(client, cookie, workshop_id, "reveal")
    as_cookie(client, cookie)
    console = client.get(f"/workshops/{workshop_id}").text
    assert 'id="console-shortcuts"' in console
    for key in ("n", "o", "t"):
        assert f'data-shortcut="{key}"' in console
    assert "Antwoorden verbergen voor de zaal" in console
    assert ">Verbergen<" not in console
    assert "Antwoorden staat open" not in console
