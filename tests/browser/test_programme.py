"""A facilitator prepares a 7-prompt regional meeting from the policymakers' card plus one own
prompt, by pointer and keyboard, runs it, and the projector and a phone follow the programme;
axe on the preparation page in Dutch and English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import steps
from tests.browser.axe import Audit
from tests.browser.conftest import LiveServer, Watch

pytestmark = pytest.mark.browser

OWN = "Wat spreken we vandaag met elkaar af voor regio Noord?"
# The deck's prompts that stay (1-based places on the card; the card has 22 with the closers).
KEEP = {1, 2, 4, 7, 10, 13, 16}


def chosen(page: Page) -> list[str]:
    """The ids of the programme's items, in order."""
    items = page.locator("#programme-chosen-title ~ ol > li")
    return [i.get_attribute("id") or "" for i in items.all()]


def remove_all_but(page: Page, keep: set[int]) -> list[str]:
    """Remove every prompt whose place is not in `keep` with the pointer; the kept ids."""
    ids = chosen(page)
    assert len(ids) == 22
    for place, item in enumerate(ids, start=1):
        if place in keep:
            continue
        count = len(chosen(page))
        page.locator(f"#{item} button[value=remove]").click()
        expect(page.locator("#programme-chosen-title ~ ol > li")).to_have_count(count - 1)
    return [i for n, i in enumerate(ids, start=1) if n in keep]


def test_prepare_a_programme_with_an_own_prompt_and_run_it(
    browser: Browser, live_server: LiveServer, watch: Watch
) -> None:
    audit = Audit()
    context = steps.new_context(browser, live_server.base_url, "nl", bypass_csp=True)
    watch.attach(context)
    page = watch.name("console", context.new_page())
    steps.create_first_account(page)
    workshop_id, code = steps.create_workshop(page, "Regiobijeenkomst Noord")

    # From the console's programme to the preparation page, by keyboard.
    page.locator(f"a[href='/workshops/{workshop_id}/programme']").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/programme$"))
    audit.check("programma voorbereiden [nl]", page)

    kept = remove_all_but(page, KEEP)
    assert chosen(page) == kept
    expect(page.locator("#programme-available-title ~ ul > li")).to_have_count(15)

    # An own prompt: a scale question in theme 3, added at the end.
    page.locator("#own-text").fill(OWN)
    page.locator("input[name=kind][value=scale]").check()
    page.locator("#own-theme").select_option("3")
    page.locator("#own-submit").click()
    expect(page.locator("#programme-chosen-title ~ ol > li")).to_have_count(8)
    last = page.locator("#programme-chosen-title ~ ol > li").last
    expect(last).to_contain_text(OWN)
    expect(last.locator(".badge")).to_have_text("eigen vraag")
    own_id = last.get_attribute("id") or ""

    # Up by keyboard, four times: the focus stays on the same button after every swap.
    up = page.locator(f"#up-{own_id.removeprefix('prompt-')}")
    up.focus()
    for _ in range(4):
        count = chosen(page).index(own_id)
        page.keyboard.press("Enter")
        expect(page.locator("#programme-chosen-title ~ ol > li").nth(count - 1)).to_have_id(own_id)
        expect(up).to_be_focused()
    # And the first kept prompt one down with the pointer.
    page.locator(f"#{kept[0]} button[value=down]").click()
    expect(page.locator("#programme-chosen-title ~ ol > li").nth(1)).to_have_id(kept[0])
    programme = chosen(page)
    assert programme == [kept[1], kept[0], kept[2], own_id, *kept[3:]]
    audit.check("programma voorbereiden, 8 vragen [nl]", page)
    first_text = page.locator(f"#{kept[1]} .programme-edit-text p").inner_text()
    page.screenshot(path=watch.screenshot_path("programme-prepared"), full_page=True)

    page.goto(f"/workshops/{workshop_id}/programme?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    audit.check("prepare the programme [en]", page)
    page.goto(f"/workshops/{workshop_id}?lang=nl")

    # Run it: the projector and a phone show the programme, not the deck.
    beamer = steps.new_context(
        browser,
        live_server.base_url,
        "nl",
        viewport=steps.BEAMER,
        storage_state=context.storage_state(),
    )
    watch.attach(beamer)
    projector = watch.name("projector", beamer.new_page())
    projector.goto(f"/workshops/{workshop_id}/projector")
    phone_context = steps.new_context(browser, live_server.base_url, "nl", phone=True)
    watch.attach(phone_context)
    phone = watch.name("phone", phone_context.new_page())
    steps.join(phone, code, name="Sanne", organisation="OBS De Linde", domain="onderwijs")

    steps.act(page, "start")
    stage = projector.locator("#projector-stage")
    expect(stage.locator(".position")).to_have_text(re.compile(r"Vraag\s+1\s+van\s+8"))
    expect(stage).to_contain_text(first_text)
    expect(phone.locator("#participant-stage .position")).to_have_text(
        re.compile(r"Vraag\s+1\s+van\s+8")
    )
    for _ in range(3):
        steps.act(page, "next")
    expect(stage.locator(".position")).to_have_text(re.compile(r"Vraag\s+4\s+van\s+8"))
    expect(stage).to_contain_text(OWN)
    expect(phone.locator("#participant-stage")).to_contain_text(OWN)
    expect(page.locator("#console-programme li.is-current")).to_contain_text(OWN)
    projector.screenshot(path=watch.screenshot_path("programme-own-prompt-projector"))

    watch.check()
    live_server.assert_no_server_errors()
    audit.assert_clean()
