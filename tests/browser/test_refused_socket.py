"""A socket the server refuses (4403) is not retried: no reconnect loop, a clear message."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, WebSocket, expect

from tests.browser.conftest import LiveServer, Watch
from tests.browser.test_live_flow import (
    DUTCH,
    fill_join_form,
    new_phone,
    sign_up_and_create_workshop,
)

pytestmark = pytest.mark.browser


def test_a_refused_socket_is_not_retried(
    browser: Browser, live_server: LiveServer, watch: Watch
) -> None:
    facilitator = browser.new_context(base_url=live_server.base_url, locale=DUTCH)
    watch.attach(facilitator)
    console = watch.name("console", facilitator.new_page())
    code = sign_up_and_create_workshop(console, live_server.base_url)
    context = new_phone(browser, live_server, watch)
    phone = watch.name("phone", context.new_page())
    phone.goto(f"/w/{code}")
    fill_join_form(phone, name="Amira", organisation="Gemeente", domain="gemeente")

    opened: list[WebSocket] = []
    closes: list[int] = []
    phone.on("websocket", lambda ws: opened.append(ws))
    phone.evaluate(
        "() => document.addEventListener('htmx:wsClose', (e) => "
        "window.__closes = (window.__closes || []).concat([e.detail.event.code]))"
    )
    # The phone loses its place (its session is gone), then its network blinks: the page
    # replaces its socket, and the server refuses the new one.
    context.clear_cookies()
    context.set_offline(True)
    context.set_offline(False)
    expect(phone.locator("#connection")).to_have_text("Geen toegang meer. Laad de pagina opnieuw.")
    # htmx's back-off retries a 1006 within 1 s, 3 s, 7 s: 8 s shows whether it loops.
    phone.wait_for_timeout(8000)
    closes = phone.evaluate("window.__closes")
    assert len(opened) == 1, [ws.url for ws in opened]
    assert closes[-1] == 4403, closes
    assert closes.count(4403) == 1, closes
    live_server.assert_no_server_errors()
