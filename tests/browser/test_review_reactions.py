"""A terugblik the room reacts to: a phone taps a reaction to the actiepunt on the screen,
sees it pressed, can take it back, and the projector counts it live."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import axe, steps
from tests.browser.conftest import LiveServer, Watch

pytestmark = pytest.mark.browser

ITEM = "Visie op sociale veiligheid opschrijven"


def start_terugblik(console: Page) -> tuple[int, str]:
    """Last year's meeting with one item, and a terugblik on it; (its id, its join code)."""
    steps.create_first_account(console)
    steps.create_workshop(console, "Start schooljaar")
    steps.make_agenda_item(console, ITEM, owner="Sanne")
    back, code = steps.create_workshop(console, "Terugblik")
    console.goto(f"/workshops/{back}/agenda")
    earlier = console.locator("#from-workshop")
    option = earlier.locator("option", has_text="Start schooljaar")
    earlier.select_option(option.get_attribute("value"))
    steps.submit(console.locator(f"form[action='/workshops/{back}/review']"))
    expect(console.locator(".review-list")).to_contain_text(ITEM)
    return back, code


def test_a_phone_reacts_and_the_projector_counts_it(
    browser: Browser, live_server: LiveServer, watch: Watch
) -> None:
    facilitator = steps.new_context(browser, live_server.base_url, "nl", viewport=steps.BEAMER)
    watch.attach(facilitator)
    # axe is injected inline: the phone context bypasses the CSP (tests/browser/axe.py).
    phone_context = steps.new_context(
        browser, live_server.base_url, "nl", phone=True, bypass_csp=True
    )
    watch.attach(phone_context)
    try:
        console = watch.name("review-agenda", facilitator.new_page())
        back, code = start_terugblik(console)
        projector = watch.name("review-projector", facilitator.new_page())
        projector.goto(f"/workshops/{back}/review/projector")
        expect(projector.locator("#review-screen")).to_contain_text("We kijken samen terug")

        phone = watch.name("review-phone", phone_context.new_page())
        steps.join(phone, code, name="Sanne", organisation="OBS De Linde", domain="onderwijs")
        # Nothing on the screen yet: nothing to react to.
        expect(phone.locator("#review-react button")).to_have_count(0)

        console.locator("form[action$='/review/screen']:has(input[value=next]) button").click()
        expect(projector.locator("#review-screen h1")).to_have_text(ITEM)
        card = phone.locator("#review-react")
        expect(card.locator("h2")).to_have_text(ITEM)
        expect(card).to_contain_text("Sanne")
        join = card.get_by_role("button", name="Doe ik mee")
        expect(join).to_have_attribute("aria-pressed", "false")

        count = projector.locator("#review-screen .reaction-join .reaction-count")
        expect(count).to_have_text("0")
        join.click()
        expect(card.get_by_role("button", name="Doe ik mee")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(count).to_have_text("1")
        # Tapped again it is taken back, on the phone and on the screen.
        card.get_by_role("button", name="Doe ik mee").click()
        expect(card.get_by_role("button", name="Doe ik mee")).to_have_attribute(
            "aria-pressed", "false"
        )
        expect(count).to_have_text("0")
        # Another reaction: one per person, the new one pressed.
        card.get_by_role("button", name="Merk ik").click()
        expect(card.get_by_role("button", name="Merk ik")).to_have_attribute("aria-pressed", "true")
        expect(projector.locator("#review-screen .reaction-noticed .reaction-count")).to_have_text(
            "1"
        )
        assert card.locator("button[aria-pressed=true]").count() == 1

        found = axe.describe("phone during a terugblik", axe.violations(phone))
        assert found == [], "\n".join(found)
        console.reload()
        expect(console.locator(".review-list .review-tally")).to_contain_text(
            re.compile(r"Merk ik\s*1")
        )
        watch.check()
        live_server.assert_no_server_errors()
    finally:
        watch.screenshots("review-reactions")
        facilitator.close()
        phone_context.close()
