"""A phone reacts to the terugblik's item over a form POST (htmx, CSRF); bad input gets a
clear 4xx with a Dutch message and stores nothing."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import csrf_of
from tests.live.helpers import COOKIE, as_cookie, join
from tests.routes.test_review_screen import _terugblik


def terugblik_with_phone(client: TestClient) -> tuple[int, str, str, str]:
    """A terugblik with its first item on the screen and one phone joined to it: (its id,
    the join code, the facilitator's cookie, the phone's cookie). The client is left as
    the phone."""
    back, token = _terugblik(client)
    stepped = client.post(
        f"/workshops/{back}/review/screen",
        data={"step": "next"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert stepped.status_code == 204
    console = client.get(f"/workshops/{back}").text
    found = re.search(r'class="join-code"[^>]*>([A-Z0-9]+)<', console)
    assert found
    code = found.group(1)
    # The session cookie as the server last set it (as_cookie left an older copy beside it).
    facilitator = f"{COOKIE}={[c.value for c in client.cookies.jar if c.name == COOKIE][-1]}"
    client.cookies.clear()
    phone = join(client, code, name="Sanne")
    as_cookie(client, phone)
    return back, code, facilitator, phone


def item_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'name="item_id" value="(\d+)"', html)]


def post(client: TestClient, code: str, token: str, **data: str) -> tuple[int, str]:
    response = client.post(
        f"/w/{code}/review/react",
        data=data,
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    return response.status_code, response.text


def test_the_phone_shows_the_item_and_its_reaction_pressed(client: TestClient) -> None:
    back, code, facilitator, _phone = terugblik_with_phone(client)
    page = client.get(f"/w/{code}").text
    assert 'id="review-react"' in page and "Visie opschrijven" in page
    assert "Sanne" in page and page.count('aria-pressed="false"') >= 3
    [item] = set(item_ids(page))
    token = csrf_of(page)
    assert post(client, code, token, item_id=str(item), kind="join")[0] == 204
    page = client.get(f"/w/{code}").text
    pressed = re.search(r'<button[^>]*aria-pressed="true"[^>]*>([^<]+)<', page)
    assert pressed and pressed.group(1) == "Doe ik mee"
    # Tapped again: taken back.
    assert post(client, code, token, item_id=str(item), kind="join")[0] == 204
    assert 'aria-pressed="true"' not in client.get(f"/w/{code}").text
    # A plain form POST (no htmx) goes back to the phone's page.
    plain = client.post(
        f"/w/{code}/review/react",
        data={"item_id": str(item), "kind": "noticed", "csrf_token": token},
        follow_redirects=False,
    )
    assert plain.status_code == 303 and plain.headers["location"] == f"/w/{code}"
    as_cookie(client, facilitator)
    screen = client.get(f"/workshops/{back}/review/projector").text
    assert re.search(r'class="reaction-count">1</strong> <span>Merk ik', screen)
    agenda = client.get(f"/workshops/{back}/agenda").text
    assert re.search(r"Reacties uit de zaal: Merk ik <strong>1</strong>", agenda)


def test_bad_reactions_get_a_clear_dutch_refusal(client: TestClient) -> None:
    back, code, facilitator, _phone = terugblik_with_phone(client)
    page = client.get(f"/w/{code}").text
    [item] = set(item_ids(page))
    token = csrf_of(page)
    status, text = post(client, code, token, item_id=str(item), kind="applaus")
    assert status == 422 and "Kies een van de reacties" in text
    status, text = post(client, code, token, item_id=str(item + 1), kind="noticed")
    assert status == 409 and "niet op het scherm" in text
    status, text = post(client, code, token, item_id="999999", kind="noticed")
    assert status == 404 and "bestaat niet" in text
    status, _text = post(client, code, token, item_id="een", kind="noticed")
    assert status == 422
    forged = client.post(f"/w/{code}/review/react", data={"item_id": str(item), "kind": "join"})
    assert forged.status_code == 403
    # Someone who did not join this meeting.
    client.cookies.clear()
    stranger = client.get(f"/w/{code}").text
    status, text = post(client, code, csrf_of(stranger), item_id=str(item), kind="noticed")
    assert status == 403 and "Doe eerst mee" in text
    as_cookie(client, facilitator)
    screen = client.get(f"/workshops/{back}/review/projector").text
    assert re.findall(r'class="reaction-count">(\d+)<', screen) == ["0", "0", "0"]
