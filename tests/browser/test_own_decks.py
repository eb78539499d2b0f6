"""A facilitator copies a deck, edits a prompt by keyboard, and runs a workshop with it; axe on
the Kaartsets pages in Dutch and English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser import steps
from tests.browser.axe import Audit
from tests.browser.conftest import LiveServer, Watch

pytestmark = pytest.mark.browser

EDITED = "Hebben we in regio Noord een gezamenlijke visie op sociale veiligheid?"


def test_copy_edit_and_run_a_workshop_with_an_own_deck(
    browser: Browser, live_server: LiveServer, watch: Watch
) -> None:
    audit = Audit()
    # axe is injected as a script tag; our CSP (script-src 'self') would refuse it.
    context = steps.new_context(browser, live_server.base_url, "nl", bypass_csp=True)
    watch.attach(context)
    page = watch.name("decks", context.new_page())
    steps.create_first_account(page)

    # From the dashboard to the Kaartsets page and a copy, by keyboard.
    page.locator("a[href='/decks']").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/decks$"))
    audit.check("kaartsets [nl]", page)
    copy = page.locator(f"form[action='/decks/copy']:has(input[value='{steps.DECK}']) button")
    copy.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/decks/\d+/edit$"))
    audit.check("kaartset bewerken [nl]", page)

    # A bad edit keeps what was typed and says why, in Dutch.
    page.locator("#title").fill("")
    page.locator("#themes-0-prompts-0-text").fill(EDITED)
    page.locator("#title").press("Enter")
    expect(page.locator("#deck-error")).to_contain_text("titel: mag niet leeg zijn")
    expect(page.locator("#themes-0-prompts-0-text")).to_have_value(EDITED)
    audit.check("kaartset bewerken, fout [nl]", page)
    # The refused form is answered with a 422, which Chromium logs; that one is expected.
    watch.errors = [e for e in watch.errors if "status of 422" not in e]
    page.locator("#title").fill("Regio Noord")
    page.locator("#title").press("Enter")
    expect(page.locator("#flash")).to_contain_text("opgeslagen")
    expect(page.locator("#themes-0-prompts-0-text")).to_have_value(EDITED)
    expect(page.locator("fieldset.deck-prompt").first.locator(".badge")).to_have_text("eigen vraag")
    page.locator("fieldset.deck-prompt").first.screenshot(
        path=watch.screenshot_path("own-deck-edit")
    )

    page.goto("/decks?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    audit.check("card decks [en]", page)
    page.locator("a[href$='/edit']").first.click()
    audit.check("edit card deck [en]", page)
    page.goto("/decks?lang=nl")

    # The own deck is a choice for a new workshop, and the workshop asks the edited prompt.
    page.goto("/workshops/new")
    page.locator("#title").fill("Regiobijeenkomst Noord")
    page.get_by_text("Regio Noord", exact=True).click()
    steps.submit(page.locator("form[action='/workshops']"))
    expect(page).to_have_url(re.compile(r"/workshops/\d+$"))
    steps.act(page, "start")
    expect(page.locator(".prompt-text")).to_have_text(EDITED)

    page.screenshot(path=watch.screenshot_path("own-deck-console"), full_page=True)
    page.goto("/decks")
    page.screenshot(path=watch.screenshot_path("own-deck-list"), full_page=True)
    watch.check()
    live_server.assert_no_server_errors()
    audit.assert_clean()
