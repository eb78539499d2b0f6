"""The terugblik's projector page: it shows the item the facilitator stepped to, and its
screen alone when htmx fetches it again."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import csrf_of
from tests.live.helpers import as_cookie, sign_up_and_create


def _terugblik(client: TestClient) -> tuple[int, str]:
    """Last year's workshop with two items, and a terugblik on it; (its id, a CSRF token)."""
    cookie, start, _code = sign_up_and_create(client)
    as_cookie(client, cookie)
    token = csrf_of(client.get(f"/workshops/{start}").text)
    for title in ("Visie opschrijven", "Ouders betrekken"):
        made = client.post(
            f"/workshops/{start}/agenda/items",
            data={"csrf_token": token, "title": title, "owner_name": "Sanne"},
            headers={"HX-Request": "true"},
        )
        assert made.status_code == 204, made.text
    created = client.post(
        "/workshops",
        data={
            "csrf_token": token, "title": "Terugblik", "deck_slug": "nji-beleidsmakers",
            "kind": "regional", "school_year": "2026-2027",
        },
        follow_redirects=False,
    )  # fmt: skip
    back = int(created.headers["location"].rsplit("/", 1)[1])
    linked = client.post(
        f"/workshops/{back}/review",
        data={"csrf_token": token, "from_workshop_id": str(start)},
        follow_redirects=False,
    )
    assert linked.status_code == 303
    return back, token


def test_the_review_projector_shows_the_item_stepped_to(client: TestClient) -> None:
    back, token = _terugblik(client)
    page = client.get(f"/workshops/{back}/review/projector")
    assert page.status_code == 200 and "We kijken samen terug" in page.text
    assert "2 actiepunten uit de doe-agenda." in page.text
    stepped = client.post(
        f"/workshops/{back}/review/screen",
        data={"csrf_token": token, "step": "next"},
        follow_redirects=False,
    )
    assert stepped.status_code == 303
    page = client.get(f"/workshops/{back}/review/projector")
    assert "Actiepunt 1 van 2" in page.text and "Visie opschrijven" in page.text
    assert "Nog niet vastgelegd." in page.text
    agenda = client.get(f"/workshops/{back}/agenda").text
    assert "op het scherm" in agenda
    client.post(
        f"/workshops/{back}/review/screen",
        data={"csrf_token": token, "step": "next"},
        headers={"HX-Request": "true"},
    )
    fragment = client.get(
        f"/workshops/{back}/review/projector", headers={"HX-Request": "true"}
    ).text
    assert fragment.lstrip().startswith('<section id="review-screen"')
    assert "Actiepunt 2 van 2" in fragment and "Ouders betrekken" in fragment


def test_a_workshop_that_reviews_nothing_has_no_review_projector(client: TestClient) -> None:
    cookie, wid, _code = sign_up_and_create(client)
    as_cookie(client, cookie)
    page = client.get(f"/workshops/{wid}/review/projector")
    assert page.status_code == 404 and "geen terugblik" in page.text
