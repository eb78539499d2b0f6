"""Kaartsets pages: copy, edit, download, upload; only for the deck's facilitators, with CSRF."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.db import Database
from tests.conftest import csrf_of
from tests.factories import PASSWORD, make_user
from tests.live.helpers import as_cookie, sign_up_and_create, take_cookie
from tests.routes.api_helpers import create_workshop, facilitator_token

POLICY = "nji-beleidsmakers"


def _login(client: TestClient, email: str) -> str:
    client.cookies.clear()
    page = client.get("/login")
    data = {"email": email, "password": PASSWORD, "csrf_token": csrf_of(page.text)}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    return take_cookie(client)


def _start(client: TestClient) -> str:
    cookie, _workshop_id, _code = sign_up_and_create(client)
    as_cookie(client, cookie)
    return cookie


def _copy(client: TestClient, slug: str = POLICY) -> int:
    page = client.get("/decks")
    response = client.post(
        "/decks/copy", data={"slug": slug, "csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/decks/(\d+)/edit", response.headers["location"])
    assert match
    return int(match.group(1))


def _edit_form(html: str) -> dict[str, str]:
    """The edit form's fields as the browser would send them (textareas, inputs, selects)."""
    data: dict[str, str] = {}
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', html):
        data[name] = value
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or ('type="checkbox"' in tag and "checked" not in tag):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        data[name] = re.search(r'value="([^"]+)" selected', body).group(1)  # type: ignore[union-attr]
    return {k: v.replace("&#39;", "'").replace("&amp;", "&") for k, v in data.items()}


def test_the_dashboard_links_to_the_kaartsets_page(client: TestClient) -> None:
    _start(client)
    assert 'href="/decks"' in client.get("/dashboard").text
    page = client.get("/decks")
    assert page.status_code == 200
    assert "Kaartsets" in page.text and "Gemeente en basisschool" in page.text


def test_copy_edit_and_use_an_own_deck_for_a_workshop(client: TestClient) -> None:
    _start(client)
    deck_id = _copy(client)
    page = client.get(f"/decks/{deck_id}/edit")
    data = _edit_form(page.text)
    data["themes-0-prompts-0-text"] = "Hebben we in onze regio een visie?"
    data["themes-0-prompts-2-text"] = "Nieuwe eigen vraag"  # the empty slot of theme 1
    saved = client.post(f"/decks/{deck_id}", data=data, follow_redirects=False)
    assert saved.status_code == 303
    page = client.get(f"/decks/{deck_id}/edit")
    assert "Kaartset opgeslagen." in page.text
    assert "Hebben we in onze regio een visie?" in page.text and "Nieuwe eigen vraag" in page.text
    export = client.get(f"/decks/{deck_id}/export.yaml")
    assert export.headers["content-disposition"].endswith('.yaml"')
    assert "source: own" in export.text
    slug = re.search(r"^slug: (\S+)$", export.text, re.M).group(1)  # type: ignore[union-attr]
    new = client.get("/workshops/new")
    assert f'value="{slug}"' in new.text
    created = client.post(
        "/workshops",
        data={
            "title": "Met eigen kaartset",
            "deck_slug": slug,
            "kind": "regional",
            "school_year": "2026-2027",
            "csrf_token": csrf_of(new.text),
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    console = client.get(created.headers["location"])
    assert console.status_code == 200


def test_a_bad_edit_shows_a_dutch_message_and_keeps_what_was_typed(client: TestClient) -> None:
    _start(client)
    deck_id = _copy(client)
    data = _edit_form(client.get(f"/decks/{deck_id}/edit").text)
    data["title"] = ""
    data["intro"] = "Mijn nieuwe inleiding"
    response = client.post(f"/decks/{deck_id}", data=data)
    assert response.status_code == 422
    assert "De kaartset klopt niet: titel: mag niet leeg zijn" in response.text
    assert "Mijn nieuwe inleiding" in response.text
    # Nothing was stored.
    assert "Mijn nieuwe inleiding" not in client.get(f"/decks/{deck_id}/export.yaml").text


def test_another_facilitator_cannot_see_or_edit_an_own_deck(
    client: TestClient, db: Database
) -> None:
    _start(client)
    deck_id = _copy(client)
    export = client.get(f"/decks/{deck_id}/export.yaml").text
    slug = re.search(r"^slug: (\S+)$", export, re.M).group(1)  # type: ignore[union-attr]
    with db.write_session() as s:
        make_user(s, email="ander@example.nl")
    other = _login(client, "ander@example.nl")
    as_cookie(client, other)
    assert "(kopie)" not in client.get("/decks").text
    assert client.get(f"/decks/{deck_id}/edit").status_code == 404
    assert client.get(f"/decks/{deck_id}/export.yaml").status_code == 404
    token = csrf_of(client.get("/decks").text)
    response = client.post(f"/decks/{deck_id}", data={"csrf_token": token, "title": "Van mij"})
    assert response.status_code == 404
    copy = client.post("/decks/copy", data={"slug": slug, "csrf_token": token})
    assert copy.status_code == 404
    delete = client.post(f"/decks/{deck_id}/delete", data={"csrf_token": token})
    assert delete.status_code == 404


def test_the_owner_deletes_an_own_deck(client: TestClient) -> None:
    _start(client)
    deck_id = _copy(client)
    page = client.get("/decks")
    assert client.post(f"/decks/{deck_id}/delete").status_code == 403
    response = client.post(
        f"/decks/{deck_id}/delete", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    listing = client.get("/decks").text
    assert "(kopie)” verwijderd." in listing
    assert f"/decks/{deck_id}/edit" not in listing
    assert client.get(f"/decks/{deck_id}/edit").status_code == 404


def test_deck_forms_need_the_csrf_token(client: TestClient) -> None:
    _start(client)
    deck_id = _copy(client)
    assert client.post("/decks/copy", data={"slug": POLICY}).status_code == 403
    assert client.post(f"/decks/{deck_id}", data={"title": "x"}).status_code == 403
    upload = client.post("/decks/import", files={"file": ("k.yaml", b"title: x")})
    assert upload.status_code == 403


def test_a_bad_yaml_upload_gets_a_dutch_message_and_a_good_one_imports(
    client: TestClient,
) -> None:
    _start(client)
    token = csrf_of(client.get("/decks").text)
    bad = client.post(
        "/decks/import",
        data={"csrf_token": token},
        files={"file": ("kapot.yaml", b"title: [kapot", "application/yaml")},
    )
    assert bad.status_code == 422
    assert "kapot.yaml, regel 1: dit is geen geldige YAML." in bad.text
    deck_id = _copy(client)
    exported = client.get(f"/decks/{deck_id}/export.yaml").content
    good = client.post(
        "/decks/import",
        data={"csrf_token": token},
        files={"file": ("eigen.yaml", exported, "application/yaml")},
        follow_redirects=False,
    )
    assert good.status_code == 303
    assert client.get(good.headers["location"]).status_code == 200


def test_the_api_makes_a_workshop_from_an_own_deck_only_for_who_may_use_it(
    client: TestClient, db: Database
) -> None:
    _start(client)
    deck_id = _copy(client)
    export = client.get(f"/decks/{deck_id}/export.yaml").text
    slug = re.search(r"^slug: (\S+)$", export, re.M).group(1)  # type: ignore[union-attr]
    client.cookies.clear()
    created = create_workshop(client, facilitator_token(client), deck=slug)
    state = client.get(
        f"/api/v1/workshops/{created['id']}", headers=facilitator_token(client)
    ).json()
    assert created["deck"] == slug
    assert state["prompts"][0]["text"] == (
        "Is er een gezamenlijke visie op sociale veiligheid geformuleerd? "
        "Zo ja, waar staat deze beschreven?"
    )
    with db.write_session() as s:
        make_user(s, email="ander@example.nl")
    body = {"title": "x", "deck": slug, "kind": "regional", "school_year": "2026-2027"}
    refused = client.post(
        "/api/v1/workshops", json=body, headers=facilitator_token(client, "ander@example.nl")
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == "Kies een bestaande kaartset."
