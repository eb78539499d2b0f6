"""The console's mail box in a real browser: mail off is said plainly, an owner's address is
saved, and the facilitator previews a message before any is sent."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser import steps
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_owner_address_and_preview_from_the_console(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    context = steps.new_context(browser, live_server.base_url, "nl")
    page = context.new_page()
    steps.create_first_account(page)
    workshop_id, _code = steps.create_workshop(page, "Teamstart OBS De Linde")
    steps.make_agenda_item(page, "Pestprotocol herzien", owner="Sanne", due="2026-11-01")
    page.reload()
    box = page.locator("#console-mail")
    expect(box).to_contain_text("E-mail staat uit")
    box.locator("input[name=email]").fill("sanne@")
    box.locator("input[name=email]").evaluate("e => e.type = 'text'")  # past the browser's check
    box.locator("form").first.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("Dit e-mailadres klopt niet: sanne@")
    page.goto(f"/workshops/{workshop_id}")
    box = page.locator("#console-mail")
    box.locator("input[name=email]").fill("sanne@school.example")
    box.locator("form").first.locator("button[type=submit]").click()
    expect(page.locator("#console-mail input[name=email]")).to_have_value("sanne@school.example")
    box = page.locator("#console-mail")
    box.locator("details summary").click()
    steps.screenshot(box, tmp_path / "console-mail.png")
    with context.expect_page() as opened:
        box.locator("a", has_text="Toewijzing").click()
    preview = opened.value
    expect(preview.locator("body")).to_contain_text("ben jij trekker van dit actiepunt")
    expect(preview.locator("body")).to_contain_text("Pestprotocol herzien")
    preview.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
    context.close()
    live_server.assert_no_server_errors()
