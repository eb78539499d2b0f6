"""States people notice on their phones: dot voting opening at the top of the page, a
"herken ik" that shows it was pressed and can be undone, joining that asks for a domain,
and a Dutch page for a mistyped address."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.browser import steps
from tests.browser.axe import Audit
from tests.browser.conftest import LiveServer, Watch

pytestmark = pytest.mark.browser

ANSWER = "Wij delen de visie nog niet met het jongerenwerk."


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def _context(
    opened: list[BrowserContext], browser: Browser, server: LiveServer, watch: Watch, **kw: object
) -> BrowserContext:
    # axe is injected as a script tag, which our CSP would refuse.
    made = steps.new_context(browser, server.base_url, "nl", bypass_csp=True, **kw)
    watch.attach(made)
    opened.append(made)
    return made


def test_voting_banner_herken_ik_and_join_in_the_browser(
    browser: Browser, live_server: LiveServer, watch: Watch, contexts: list[BrowserContext]
) -> None:
    audit = Audit()
    console = _context(contexts, browser, live_server, watch).new_page()
    steps.create_first_account(console)
    workshop_id, code = steps.create_workshop(console, "Regiobijeenkomst")

    # Joining: the domain has no default; the browser and, without it, the server refuse.
    sanne = _context(contexts, browser, live_server, watch, phone=True).new_page()
    sanne.goto(f"/w/{code}")
    expect(sanne.locator("#domain")).to_have_value("")
    audit.check("join form", sanne)
    sanne.locator("#organisation").fill("Gemeente Utrecht")
    steps.submit(sanne.locator(f"form[action='/w/{code}/join']"))
    expect(sanne.locator("#domain:invalid")).to_have_count(1)
    sanne.evaluate("document.getElementById('domain').removeAttribute('required')")
    steps.submit(sanne.locator(f"form[action='/w/{code}/join']"))
    expect(sanne.locator(".error-text")).to_contain_text("Kies je domein")
    steps.join(sanne, code, name="Sanne", organisation="Gemeente Utrecht", domain="gemeente")
    ahmed = _context(contexts, browser, live_server, watch, phone=True).new_page()
    steps.join(ahmed, code, name="Ahmed", organisation="Politie", domain="politie")

    # "Herken ik" shows its state and a second tap takes it back.
    steps.act(console, "start")
    steps.act(console, "open")
    steps.send_answer(ahmed, ANSWER)
    steps.act(console, "reveal")
    button = (
        sanne.locator("#room-answers li.answer").filter(has_text=ANSWER).locator("button.plus-one")
    )
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button.locator(".plus-count")).to_have_text("+1")
    expect(sanne.locator("#flash")).to_contain_text("genoteerd")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button.locator(".plus-count")).to_have_count(0)
    expect(sanne.locator("#flash")).to_contain_text("teruggenomen")

    # Dot voting: the phone says so at the top, without a reload, on what was chosen.
    steps.make_agenda_item(console, "Visie delen met het jongerenwerk")
    expect(sanne.locator("#vote-banner .vote-banner")).to_have_count(0)
    console.locator("#dots").fill("3")
    console.locator("input[name=vote_on][value=items]").check()
    steps.submit(console.locator("form[action$='/agenda/dots']"))
    banner = sanne.locator("#vote-banner .vote-banner")
    expect(banner).to_contain_text("Stemmen is open")
    expect(banner).to_contain_text("Je hebt nog 3 stippen.")
    banner_box = banner.bounding_box()
    stage_box = sanne.locator("#participant-stage").bounding_box()
    assert banner_box and stage_box and banner_box["y"] < stage_box["y"]
    assert banner_box["y"] + banner_box["height"] <= steps.PHONE["height"]
    vote = sanne.locator("#dot-vote")
    expect(vote.locator("input[name=answer_id]")).to_have_count(0)
    vote.locator("form:has(input[name=op][value=place]) button").first.click()
    expect(banner).to_contain_text("Je hebt nog 2 stippen.")
    audit.check("phone while voting", sanne)
    sanne.evaluate("window.scrollTo(0, 0)")
    watch.name("phone-voting", sanne).screenshot(path=watch.screenshot_path("meeting-phone-voting"))

    # The end closes voting, on the phone and on the console's list.
    steps.act(console, "end")
    expect(sanne.locator("#vote-banner")).to_contain_text("Stemmen is gesloten.")
    expect(sanne.locator("#dot-vote button")).to_have_count(0)
    expect(console.locator("#agenda-items")).to_contain_text("Stemmen is gesloten.")

    # A mistyped address: a Dutch page, not JSON.
    lost = _context(contexts, browser, live_server, watch).new_page()
    response = lost.goto(f"/workshops/{workshop_id}/bestaat-niet")
    assert response is not None and response.status == 404
    expect(lost.locator("h1")).to_have_text(re.compile(r"\S"))
    expect(lost.locator(".error-text")).to_contain_text("Deze pagina bestaat niet")
    audit.check("404 page", lost)

    audit.assert_clean()
    # The two refusals above were asked for; the browser logs every 4xx page load.
    expected = ("status of 422", "status of 404")
    watch.errors = [e for e in watch.errors if not any(x in e for x in expected)]
    watch.check()
    live_server.assert_no_server_errors()


def test_the_review_projector_shows_the_item_stepped_to_and_its_lesson(
    browser: Browser, live_server: LiveServer, watch: Watch, contexts: list[BrowserContext]
) -> None:
    audit = Audit()
    console = _context(contexts, browser, live_server, watch).new_page()
    steps.create_first_account(console)
    steps.create_workshop(console, "Start schooljaar")
    steps.make_agenda_item(console, "Visie delen met het jongerenwerk", owner="Sanne")
    back_id, _code = steps.create_workshop(console, "Terugblik juni")
    agenda = console
    agenda.goto(f"/workshops/{back_id}/agenda")
    steps.submit(agenda.locator(f"form[action='/workshops/{back_id}/review']"))
    expect(agenda.locator(".review-list")).to_contain_text("Visie delen met het jongerenwerk")

    # The projector is a second window of the facilitator's browser (it shares the login).
    screen = console.context.new_page()
    screen.set_viewport_size(steps.BEAMER)
    fetched: list[str] = []
    screen.on("request", lambda r: fetched.append(r.url) if "/review/projector" in r.url else None)
    screen.goto(f"/workshops/{back_id}/review/projector")
    expect(screen.locator("#review-screen h1")).to_have_text("We kijken samen terug")
    # Stepped from the agenda page; the screen follows without a reload, pushed over its
    # websocket (the page is fetched once, never polled).
    agenda.locator("form[action$='/review/screen']:has(input[value=next]) button").click()
    expect(screen.locator("#review-screen h1")).to_have_text("Visie delen met het jongerenwerk")
    expect(screen.locator("#review-screen")).to_contain_text("Sanne")
    item = agenda.locator(".review-list li").first
    item.locator("select[name=status]").select_option("bezig")
    item.locator("textarea[name=lesson]").fill("Eerder beginnen met de scholen")
    steps.submit(item.locator("form[action*='/review/items/']"))
    expect(screen.locator(".review-lesson")).to_have_text("Eerder beginnen met de scholen")
    expect(screen.locator(".review-facts")).to_contain_text("Bezig")
    assert len(fetched) == 1, fetched
    for size in (steps.BEAMER, {"width": 1280, "height": 720}):
        screen.set_viewport_size(size)
        fits = screen.evaluate(
            "document.documentElement.scrollHeight <= window.innerHeight"
            " && document.documentElement.scrollWidth <= window.innerWidth"
        )
        assert fits, f"the review screen scrolls at {size}"
    screen.set_viewport_size(steps.BEAMER)
    audit.check("review projector", screen)
    screen.screenshot(path=watch.screenshot_path("meeting-review-projector"))
    audit.assert_clean()
    watch.check()
    live_server.assert_no_server_errors()
