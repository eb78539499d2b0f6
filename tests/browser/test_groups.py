"""Groeperen in a real browser: 30 answers, suggested groups, accept, rename, merge, move with
the keyboard, an actiepunt per group; a co-facilitator's console follows live; axe on it all."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import steps
from tests.browser.axe import Audit
from tests.browser.conftest import LiveServer, Watch

pytestmark = pytest.mark.browser

SUBJECTS = [
    "de wijkagent",
    "sexting in de groepsapp",
    "ouders en school",
    "pesten op het schoolplein",
    "de mentor als aanspreekpunt",
]
ANSWERS = [
    f"{start} {subject}{end}"
    for subject in SUBJECTS
    for start, end in [
        ("Meer aandacht voor", "."),
        ("Afspraken maken over", " met partners."),
        ("Het gaat vaak mis bij", ", dat merken we."),
        ("Scholen willen hulp bij", "."),
        ("Elk jaar opnieuw:", " bespreken."),
        ("Wij zien", " als prioriteit."),
    ]
]


def _call(url: str, body: dict[str, Any] | None = None, token: str = "") -> Any:
    request = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _answer_through_the_api(base_url: str, code: str, workshop_id: int) -> None:
    """Thirty people answer by API: the same services as a phone, far faster to set up."""
    api = f"{base_url}/api/v1"
    for i, text in enumerate(ANSWERS):
        token = _call(f"{api}/join", {"code": code, "domain": "onderwijs"})["access_token"]
        prompt = _call(f"{api}/workshops/{workshop_id}/prompt", token=token)["prompt"]
        body = {"prompt_id": prompt["id"], "text": text, "idempotency_key": f"groups-{i:04d}"}
        made = _call(f"{api}/workshops/{workshop_id}/answers", body, token)
        assert made["text"] == text


def _groups(console: Page) -> list[str]:
    return [t.strip() for t in console.locator("#console-groups .group-title").all_inner_texts()]


@pytest.mark.timeout(240)
def test_thirty_answers_grouped_and_turned_into_actiepunten(
    browser: Browser, live_server: LiveServer, watch: Watch
) -> None:
    context = steps.new_context(browser, live_server.base_url, "nl", bypass_csp=True)
    watch.attach(context)
    console = watch.name("console", context.new_page())
    console.set_viewport_size({"width": 1440, "height": 900})
    steps.create_first_account(console)
    workshop_id, code = steps.create_workshop(console, "Regiobijeenkomst 30 antwoorden")
    steps.act(console, "start")
    steps.act(console, "open")
    _answer_through_the_api(live_server.base_url, code, workshop_id)
    expect(console.locator("#console-answers-count")).to_contain_text("30")
    # A co-facilitator's view: the same account in a second window.
    second = watch.name(
        "co-facilitator",
        browser.new_context(
            base_url=live_server.base_url, storage_state=context.storage_state()
        ).new_page(),
    )
    watch.attach(second.context)
    second.goto(f"/workshops/{workshop_id}")
    panel = console.locator("#console-groups")

    panel.locator("form[action$='/groups/regroup'] button").click()
    expect(panel.locator("li.group.is-proposal").first).to_be_visible()
    proposed = panel.locator("li.group").count()
    assert proposed >= 2, _groups(console)
    expect(second.locator("#console-groups li.group")).to_have_count(proposed)

    panel.locator("form[action$='/groups/accept'] button").first.click()
    expect(panel.locator("li.group.is-proposal")).to_have_count(0)

    first = panel.locator("li.group").nth(0)
    first_id = (first.get_attribute("id") or "").removeprefix("group-")
    first.locator("summary", has_text="Naam wijzigen").click()
    first.locator(f"#gl-{first_id}").fill("Politie in de wijk")
    first.locator(f"form[action$='/groups/{first_id}/rename'] button").click()
    expect(panel.locator(f"#group-{first_id} .group-title")).to_contain_text("Politie in de wijk")
    expect(second.locator(f"#group-{first_id} .group-title")).to_contain_text("Politie in de wijk")

    last = panel.locator("li.group").last
    last_id = (last.get_attribute("id") or "").removeprefix("group-")
    last.locator("summary", has_text="Samenvoegen").click()
    last.locator(f"#gi-{last_id}").select_option(first_id)
    last.locator(f"form[action$='/groups/{last_id}/merge'] button").click()
    expect(panel.locator("li.group")).to_have_count(proposed - 1)

    # Moving an answer with the keyboard alone: focus its select, choose, press Enter on
    # the button next to it.
    second_group = panel.locator("li.group").nth(1)
    moving = second_group.locator("li.group-answer").first
    moved_text = moving.locator(".answer-body").inner_text()
    select = moving.locator("select")
    select.focus()
    select.select_option(first_id)
    console.keyboard.press("Tab")
    console.keyboard.press("Enter")
    expect(panel.locator(f"#group-{first_id} li.group-answer")).to_contain_text([moved_text])

    made = []
    for group in panel.locator("li.group").all()[:3]:
        label = group.locator(".group-title").inner_text().split("\n")[0]
        label = re.sub(r"\s+\d+ antwoord(en)?$", "", label.strip()).strip()
        made.append(label)
        group.locator("form[action$='/agenda-item'] button").click()
        expect(console.locator("#agenda-items")).to_contain_text(label)
    assert "Politie in de wijk" in made
    expect(second.locator("#agenda-items")).to_contain_text("Politie in de wijk")

    # A phone after reveal: the groups, a few answers each, its own answer in its own section.
    phone_context = steps.new_context(
        browser, live_server.base_url, "nl", phone=True, bypass_csp=True
    )
    watch.attach(phone_context)
    phone = watch.name("phone", phone_context.new_page())
    steps.join(phone, code, name="Sanne", organisation="OBS De Linde", domain="onderwijs")
    steps.send_answer(phone, "Meer aandacht voor de wijkagent bij ons op school.")
    steps.act(console, "reveal")
    expect(phone.locator("#room-answers .room-group").first).to_be_visible()
    expect(phone.locator("#room-answers .room-group-title").first).to_contain_text(
        "Politie in de wijk"
    )
    assert phone.locator("#room-answers li.answer").count() <= 3 * panel.locator("li.group").count()
    expect(phone.locator("#my-answers")).to_contain_text("Meer aandacht voor de wijkagent bij ons")
    phone.screenshot(path=watch.screenshot_path("groups-phone"), full_page=True)

    console.wait_for_timeout(200)
    console.screenshot(path=watch.screenshot_path("groups-console"), full_page=True)
    steps.screenshot(panel, watch.screenshot_path("groups-panel"))
    audit = Audit()
    audit.check("console with groups", console)
    audit.check("phone with groups", phone)
    audit.assert_clean()
    watch.check()
    live_server.assert_no_server_errors()
    second.context.close()
    phone_context.close()
    context.close()
