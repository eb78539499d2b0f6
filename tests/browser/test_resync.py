"""A phone whose page missed a push notices the gap in seq, skips what builds on it, and asks
for the full state (static/app.js); the answers then show once each."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, WebSocket, expect

from tests.browser.conftest import LiveServer, Watch
from tests.browser.test_live_flow import (
    DUTCH,
    fill_join_form,
    new_phone,
    send_answer,
    sign_up_and_create_workshop,
)

pytestmark = pytest.mark.browser


def test_a_phone_that_missed_a_push_asks_for_a_snapshot(
    browser: Browser, live_server: LiveServer, watch: Watch
) -> None:
    facilitator = browser.new_context(base_url=live_server.base_url, locale=DUTCH)
    watch.attach(facilitator)
    try:
        console = watch.name("console", facilitator.new_page())
        code = sign_up_and_create_workshop(console, live_server.base_url)
        author = watch.name("author", new_phone(browser, live_server, watch).new_page())
        author.goto(f"/w/{code}")
        fill_join_form(author, name="Amira", organisation="Gemeente", domain="gemeente")
        reader = watch.name("reader", new_phone(browser, live_server, watch).new_page())
        sent: list[str] = []

        def record(ws: WebSocket) -> None:
            ws.on("framesent", lambda payload: sent.append(str(payload)))

        reader.on("websocket", record)
        reader.goto(f"/w/{code}")
        fill_join_form(reader, name="Bas", organisation="Wijkteam", domain="jeugdhulp")
        console.get_by_role("button", name="Start de bijeenkomst").click()
        console.get_by_role("button", name="Antwoorden openen").click()
        console.get_by_role("button", name="Antwoorden tonen").click()
        expect(reader.locator("#room-answers")).to_contain_text("0 van 2")

        send_answer(author, "Eerste antwoord")
        expect(reader.locator("#room-answers")).to_contain_text("Eerste antwoord")
        assert not any("resync" in frame for frame in sent)

        # As if a push never arrived: the page is one seq behind what the server sent it.
        reader.evaluate(
            "() => { const s = document.getElementById('sync');"
            " s.setAttribute('data-seq', String(Number(s.getAttribute('data-seq')) - 1)); }"
        )
        send_answer(author, "Tweede antwoord")
        expect(reader.locator("#room-answers")).to_contain_text("Tweede antwoord")
        assert any('"resync"' in frame for frame in sent), sent
        for text in ("Eerste antwoord", "Tweede antwoord"):
            expect(reader.locator("#room-answers li.answer").filter(has_text=text)).to_have_count(1)
        expect(reader.locator("#room-answers")).to_contain_text("1 van 2")
        watch.check()
        live_server.assert_no_server_errors()
    finally:
        watch.screenshots("resync-last")
        for context in browser.contexts:
            context.close()
