"""Every kind of page loads with a clean browser console: no error, no CSP violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from app.db import Database
from app.models import Workshop
from app.services import owners
from tests.browser.conftest import LiveServer, Watch
from tests.browser.test_live_flow import (
    DUTCH,
    fill_join_form,
    new_phone,
    sign_up_and_create_workshop,
)

pytestmark = pytest.mark.browser
# Collected in the page itself: a violation is reported even when nothing is logged.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def visit(page: Page, path: str, ready: str) -> list[str]:
    page.goto(path)
    expect(page.locator(ready).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    violations: list[str] = page.evaluate("window.__csp")
    return [f"{path}: {v}" for v in violations]


def test_no_page_logs_an_error_or_a_csp_violation(
    browser: Browser, live_server: LiveServer, watch: Watch, tmp_path: Path
) -> None:
    facilitator = browser.new_context(base_url=live_server.base_url, locale=DUTCH)
    facilitator.add_init_script(RECORD_VIOLATIONS)
    watch.attach(facilitator)
    console = watch.name("console", facilitator.new_page())
    code = sign_up_and_create_workshop(console, live_server.base_url)
    phone_context = new_phone(browser, live_server, watch)
    phone_context.add_init_script(RECORD_VIOLATIONS)
    phone = watch.name("phone", phone_context.new_page())
    violations = visit(phone, "/join", "form")
    phone.goto(f"/w/{code}")
    fill_join_form(phone, name="Amira", organisation="Gemeente", domain="gemeente")
    violations += visit(phone, f"/w/{code}", "#participant-stage")

    db = Database(f"sqlite:///{tmp_path}/e2e.db")
    try:
        with db.writing() as session:
            workshop = session.exec(select(Workshop)).one()
            _link, token = owners.create_link(
                session=session, workshop=workshop, owner_name="Sanne", owner_organisation=None
            )
            wid = workshop.id
    finally:
        db.dispose()
    for path, ready in (
        ("/", "main"),
        ("/dashboard", "main"),
        (f"/workshops/{wid}", "main"),
        (f"/workshops/{wid}/projector", "body"),
        (f"/workshops/{wid}/results", "main"),
        (f"/workshops/{wid}/agenda", "main"),
        (f"/o/{token}", "main"),
        ("/privacy", "main"),
        ("/docs", "#swagger-ui"),
    ):
        violations += visit(console, path, ready)
    logged_out = browser.new_context(base_url=live_server.base_url, locale=DUTCH)
    logged_out.add_init_script(RECORD_VIOLATIONS)
    watch.attach(logged_out)
    violations += visit(logged_out.new_page(), "/login", "form")
    assert violations == []
    watch.check()
    live_server.assert_no_server_errors()
