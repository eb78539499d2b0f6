"""Pages in Dutch or English: the browser's preference, the switch on every page, errors."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.conftest import csrf_of
from tests.live.helpers import as_cookie, join, sign_up_and_create

EN = {"accept-language": "en-GB,en;q=0.9"}


def test_a_browser_that_prefers_english_gets_english(client: TestClient) -> None:
    sign_up_and_create(client)
    dutch = client.get("/join")
    assert '<html lang="nl">' in dutch.text
    assert "Deelnemen" in dutch.text

    english = client.get("/join", headers=EN)
    assert '<html lang="en">' in english.text
    assert "<h1>Join</h1>" in english.text
    assert "Deelnemen" not in english.text
    assert "Skip to content" in english.text


def test_the_switch_sets_a_cookie_that_outlasts_the_browser_preference(
    client: TestClient,
) -> None:
    sign_up_and_create(client)
    page = client.get("/login?next=/dashboard")
    link = re.search(r'<a href="([^"]+)" hreflang="en" lang="en">English</a>', page.text)
    assert link, "every page offers the other language"
    href = html.unescape(link.group(1))
    assert href == "/login?next=%2Fdashboard&lang=en"

    switched = client.get(href, follow_redirects=False)
    assert switched.status_code == 303
    assert switched.headers["location"] == "/login?next=%2Fdashboard"
    cookie = switched.headers["set-cookie"]
    assert cookie.startswith("gk_lang=en;") and "SameSite=lax" in cookie and "Path=/" in cookie

    # Remembered: English on the next pages, even for a browser that asks for Dutch.
    login = client.get("/login?next=/dashboard", headers={"accept-language": "nl"})
    assert '<html lang="en">' in login.text
    assert 'name="next" value="/dashboard"' in login.text
    assert "Password" in login.text and "Wachtwoord" not in login.text
    assert '<span aria-current="true">English</span>' in login.text

    back = client.get("/login?lang=nl", follow_redirects=True)
    assert '<html lang="nl">' in back.text and "Wachtwoord" in back.text
    assert client.get("/", headers=EN).text.count("Inloggen") > 0  # the cookie wins


def test_the_switch_is_on_every_kind_of_page(client: TestClient) -> None:
    facilitator, workshop_id, code = sign_up_and_create(client)
    participant = join(client, code, name="Sanne")
    pages = [("/", None), ("/login", None), ("/join?code=NOPE", None), (f"/w/{code}", None)]
    pages += [(f"/w/{code}", participant)]
    pages += [(p, facilitator) for p in ("/dashboard", f"/workshops/{workshop_id}")]
    pages += [(f"/workshops/{workshop_id}/projector", facilitator), ("/workshops/999", facilitator)]
    for path, cookie in pages:
        if cookie:
            as_cookie(client, cookie)
        else:
            client.cookies.clear()
        html = client.get(path).text
        assert 'hreflang="en" lang="en">English</a>' in html, path


def test_the_switch_only_redirects_to_this_site(client: TestClient) -> None:
    response = client.get("http://testserver//evil.example/path?lang=en", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/evil.example/path"
    client.cookies.clear()
    unknown = client.get("/login?lang=fr", follow_redirects=False)
    assert unknown.status_code == 200
    assert '<html lang="nl">' in unknown.text


def test_rule_violations_and_flashes_on_pages_are_english(client: TestClient) -> None:
    sign_up_and_create(client)
    client.cookies.set("gk_lang", "en")
    missing = client.get("/join?code=NOPE99")
    assert missing.status_code == 404
    assert "We do not know this code. Check the code on the screen." in missing.text

    page = client.get("/login")
    wrong = client.post(
        "/login",
        data={"email": "x@example.nl", "password": "nope", "csrf_token": csrf_of(page.text)},
    )
    assert "Email address or password is incorrect." in wrong.text

    expired = client.post("/logout", data={"csrf_token": "stale"})
    assert expired.status_code == 403
    assert "This page has expired." in expired.text


def test_a_form_error_page_switches_on_the_page_the_form_came_from(client: TestClient) -> None:
    client.cookies.set("gk_lang", "en")
    page = client.get("/login")
    wrong = client.post(
        "/login",
        data={"email": "x@example.nl", "password": "nope", "csrf_token": csrf_of(page.text)},
        headers={"referer": "http://testserver/login?next=/dashboard"},
    )
    assert 'href="/login?next=%2Fdashboard&amp;lang=nl"' in wrong.text


def test_the_json_api_answers_in_dutch_whatever_the_browser_prefers(client: TestClient) -> None:
    response = client.post("/api/v1/join", json={"code": "NOPE99"}, headers=EN)
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Deze code kennen we niet. Controleer de code op het scherm."
    }
    untouched = client.get("/api/v1/decks?lang=en", follow_redirects=False)
    assert untouched.status_code == 401  # no switch redirect on the API


def test_the_english_projector_shows_domains_and_dates_in_english(client: TestClient) -> None:
    facilitator, workshop_id, code = sign_up_and_create(client)
    join(client, code, name="Sanne", domain="jeugdhulp")
    as_cookie(client, facilitator)
    projector = client.get(f"/workshops/{workshop_id}/projector", headers=EN).text
    assert "Youth care" in projector and "Jeugdhulp" not in projector
    assert "We are about to start" in projector
    dashboard = client.get("/dashboard", headers=EN).text
    months = ("January", "February", "March", "April", "May", "June", "July", "August")
    months += ("September", "October", "November", "December")
    assert any(m in dashboard for m in months)
    assert "not started yet" in dashboard
