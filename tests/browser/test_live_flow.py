"""A whole live workshop in a real browser: facilitator, projector and two phones."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, Watch
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
BEAMER = {"width": 1280, "height": 720}
FIRST_PROMPT = "Is er een gezamenlijke visie op sociale veiligheid geformuleerd?"
ANSWER_A = "De visie staat in het convenant met de scholen."
ANSWER_B = "Nog niet: ieder werkt vanuit de eigen organisatie."
ANSWER_B_EDITED = "Nog niet: ieder werkt vanuit de eigen organisatie, de gemeente pakt het op."

# The UI follows the browser's language; this walk-through reads the Dutch texts.
DUTCH = "nl-NL"


def new_phone(browser: Browser, server: LiveServer, watch: Watch) -> BrowserContext:
    context = browser.new_context(
        base_url=server.base_url, locale=DUTCH, viewport=PHONE, is_mobile=True, has_touch=True
    )
    watch.attach(context)
    return context


def sign_up_and_create_workshop(page: Page, base_url: str) -> str:
    """First run: the setup page makes the account; then a workshop. Returns its join code."""
    page.goto("/")
    expect(page).to_have_url(f"{base_url}/setup")
    page.get_by_label("E-mailadres").fill("begeleider@example.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page).to_have_url(f"{base_url}/dashboard")
    page.get_by_role("link", name="Nieuwe bijeenkomst").click()
    page.get_by_label("Titel").fill("Regiobijeenkomst sociale veiligheid")
    page.get_by_role("radio", name=re.compile("beleidsmakers")).check()
    page.get_by_role("button", name="Bijeenkomst aanmaken").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(base_url)}/workshops/\d+$"))
    code = page.locator(".join-box .join-code")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{4,}$"))
    return code.inner_text()


def fill_join_form(page: Page, *, name: str, organisation: str, domain: str) -> None:
    page.get_by_label("Jouw organisatie").fill(organisation)
    page.get_by_label("Domein").select_option(domain)
    page.get_by_label("Naam").fill(name)
    page.get_by_role("button", name="Deelnemen").click()
    expect(page.locator("#participant-stage")).to_contain_text("We beginnen zo")


def send_answer(page: Page, text: str) -> None:
    page.locator("#answer-text").fill(text)
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator("#flash")).to_have_text("Verstuurd.")
    expect(page.locator("#my-answers")).to_contain_text(text)
    # The acknowledgement brings a fresh, empty form for a further answer.
    expect(page.locator("#answer-text")).to_have_value("")


def test_live_workshop_end_to_end(browser: Browser, live_server: LiveServer, watch: Watch) -> None:
    base = live_server.base_url
    facilitator = browser.new_context(base_url=base, locale=DUTCH)
    watch.attach(facilitator)
    try:
        run_workshop(browser, live_server, watch, facilitator)
        watch.check()
        live_server.assert_no_server_errors()
    finally:
        watch.screenshots("live-flow-last")
        for context in browser.contexts:
            context.close()


def run_workshop(
    browser: Browser, server: LiveServer, watch: Watch, facilitator: BrowserContext
) -> None:
    base = server.base_url
    console = watch.name("console", facilitator.new_page())
    code = sign_up_and_create_workshop(console, base)
    expect(console.locator("#presence")).to_contain_text("0 deelnemers")
    watch.assert_images_loaded(console)

    # The projector is its own window (a second screen), logged in as the same facilitator.
    beamer = browser.new_context(
        base_url=base, locale=DUTCH, viewport=BEAMER, storage_state=facilitator.storage_state()
    )
    watch.attach(beamer)
    projector = watch.name("projector", beamer.new_page())
    projector.goto(console.url + "/projector")
    expect(projector.locator("#projector-stage .join-code")).to_have_text(code)
    watch.assert_images_loaded(projector)

    # One phone types the code, the other follows the join link.
    amira = watch.name("phone-amira", new_phone(browser, server, watch).new_page())
    amira.goto("/join")
    amira.get_by_label("Code").fill(code)
    amira.get_by_role("button", name="Deelnemen").click()
    expect(amira).to_have_url(f"{base}/w/{code}")
    fill_join_form(amira, name="Amira", organisation="Gemeente Utrecht", domain="gemeente")

    bas_context = new_phone(browser, server, watch)
    bas = watch.name("phone-bas", bas_context.new_page())
    bas.goto(f"/w/{code}")
    fill_join_form(bas, name="Bas", organisation="Wijkteam Noord", domain="jeugdhulp")

    expect(console.locator("#presence")).to_contain_text("2 deelnemers, 2 nu verbonden")
    expect(projector.locator("#projector-stage")).to_contain_text("2 deelnemers binnen")

    console.get_by_role("button", name="Start de bijeenkomst").click()
    for page in (console, projector, amira, bas):
        expect(page.locator("#main")).to_contain_text(FIRST_PROMPT)
    expect(amira.locator("#answer-form")).to_contain_text("staat nu niet open voor antwoorden")

    console.get_by_label("Timer").select_option("120")
    console.get_by_role("button", name="Antwoorden openen").click()
    expect(console.locator("#console-stage")).to_contain_text("Open voor antwoorden")
    for page in (projector, amira):
        expect(page.locator("#timer .timer-display")).to_have_text(re.compile(r"^[12]:\d\d$"))

    # A half-typed answer survives a reload; a sent one is not restored.
    bas.locator("#answer-text").fill("Half af")
    bas.reload()
    expect(bas.locator("#answer-text")).to_have_value("Half af")

    send_answer(amira, ANSWER_A)
    expect(console.locator("#console-answers .count")).to_have_text("1")
    expect(console.locator("#console-answers")).to_contain_text(ANSWER_A)
    send_answer(bas, ANSWER_B)
    expect(console.locator("#console-answers .count")).to_have_text("2")
    expect(console.locator("#console-answers")).to_contain_text(ANSWER_B)
    expect(console.locator("#console-answers")).to_contain_text("Amira · Gemeente Utrecht")
    bas.reload()
    expect(bas.locator("#my-answers")).to_contain_text(ANSWER_B)
    expect(bas.locator("#answer-text")).to_have_value("")

    bas.locator("#my-answers").get_by_text("Wijzigen").click()
    bas.locator("#my-answers textarea").fill(ANSWER_B_EDITED)
    bas.get_by_role("button", name="Opslaan").click()
    expect(bas.locator("#flash")).to_have_text("Gewijzigd.")
    expect(console.locator("#console-answers")).to_contain_text(ANSWER_B_EDITED)

    # Nothing reaches the room before the facilitator reveals.
    expect(projector.locator("#projector-answers")).to_contain_text("2 van 2 hebben geantwoord")
    expect(projector.locator(".answer-card")).to_have_count(0)
    expect(amira.locator("#room-answers")).to_contain_text("De begeleider toont")
    expect(amira.locator("#room-answers")).not_to_contain_text(ANSWER_B_EDITED)

    console.get_by_role("button", name="Antwoorden tonen").click()
    wall = projector.locator(".answer-wall .answer-card")
    expect(wall).to_have_count(2)
    expect(wall.filter(has_text=ANSWER_A)).to_have_count(1)
    expect(wall.filter(has_text=ANSWER_B_EDITED)).to_have_count(1)

    # Amira recognises Bas's answer; everyone sees the +1 arrive. Her own gets no button.
    mine = amira.locator("#room-answers li.answer").filter(has_text=ANSWER_A)
    expect(mine).to_have_count(1)
    expect(mine.get_by_role("button")).to_have_count(0)
    theirs = amira.locator("#room-answers li.answer").filter(has_text=ANSWER_B_EDITED)
    expect(theirs).to_have_count(1)
    theirs.get_by_role("button", name=re.compile("Herken ik")).click()
    expect(amira.locator("#flash")).to_have_text("Herken ik: genoteerd.")
    expect(theirs.get_by_role("button", name=re.compile("Herken ik"))).to_contain_text("+1")
    expect(wall.filter(has_text=ANSWER_B_EDITED)).to_contain_text("+1")
    expect(console.locator("#console-answers")).to_contain_text("+1")
    expect(bas.locator("#room-answers li.answer").filter(has_text=ANSWER_B_EDITED)).to_contain_text(
        "+1"
    )

    # Moderation: a hidden answer leaves the wall; its author is told.
    console.locator("#console-answers li.answer").filter(has_text=ANSWER_A).get_by_role(
        "button", name="Verberg dit antwoord"
    ).click()
    expect(wall).to_have_count(1)
    expect(amira.locator("#my-answers")).to_contain_text("verborgen door de begeleider")
    expect(bas.locator("#room-answers")).not_to_contain_text(ANSWER_A)

    # The participant cookie brings Amira back to her own answer after a reload.
    amira.reload()
    expect(amira.locator("#my-answers")).to_contain_text(ANSWER_A)
    expect(amira.locator("#room-answers")).to_contain_text(ANSWER_B_EDITED)
    expect(amira.locator("#answer-text")).to_be_visible()
    expect(console.locator("#presence")).to_contain_text("2 deelnemers, 2 nu verbonden")

    run_scale_prompt(console, projector, amira)
    watch.screenshots("live-flow")

    watch.pages.pop("phone-bas")
    bas_context.close()
    expect(console.locator("#presence")).to_contain_text("2 deelnemers, 1 nu verbonden")

    # Ending asks first.
    console.locator("#console-stage .end-confirm summary").click()
    console.get_by_role("button", name="Ja, bijeenkomst afsluiten").click()
    expect(projector.locator("#projector-stage")).to_contain_text("Bedankt voor het gesprek!")
    expect(amira.locator("#participant-stage")).to_contain_text("afgelopen")
    expect(amira.locator("#flash")).to_be_empty()
    expect(amira.locator("#answer-form textarea, #answer-form input")).to_have_count(0)

    visit_other_pages(facilitator, amira.context, watch)


def run_scale_prompt(console: Page, projector: Page, phone: Page) -> None:
    """The second prompt asks for a 1-5 score; the room sees a distribution."""
    console.get_by_role("button", name="Volgende vraag").click()
    expect(console.locator("#console-stage")).to_contain_text("Vraag 2 van")
    console.get_by_role("button", name="Antwoorden openen").click()
    phone.get_by_role("radio", name="4").check()
    phone.get_by_role("button", name="Antwoord versturen").click()
    expect(phone.locator("#flash")).to_have_text("Verstuurd.")
    expect(console.locator("#console-answers .count")).to_have_text("1")
    expect(projector.locator(".distribution")).to_have_count(0)
    console.get_by_role("button", name="Antwoorden tonen").click()
    expect(projector.locator(".distribution title")).to_contain_text("4: 1")
    expect(phone.locator("#room-answers .distribution title")).to_contain_text("4: 1")
    for page in (console, projector, phone):
        assert_chart_text_inside(page)


def assert_chart_text_inside(page: Page) -> None:
    """Every count and label of the bar chart lies inside the chart, not cut off at its edge."""
    outside = page.evaluate(
        """Array.from(document.querySelectorAll(".distribution-chart text")).filter((t) => {
            const box = t.getBBox(), view = t.ownerSVGElement.viewBox.baseVal;
            return box.y < view.y || box.y + box.height > view.y + view.height;
        }).map((t) => t.textContent)"""
    )
    assert outside == [], f"{page.url}: chart text cut off: {outside}"


def visit_other_pages(facilitator: BrowserContext, phone: BrowserContext, watch: Watch) -> None:
    """The remaining pages load cleanly too, for a facilitator and for a participant."""
    visits = [
        (facilitator, "/", "Samen werken aan sociale veiligheid"),
        (facilitator, "/dashboard", "Mijn bijeenkomsten"),
        (facilitator, "/workshops/new", "Nieuwe bijeenkomst"),
        (phone, "/", "Samen werken aan sociale veiligheid"),
        (phone, "/login", "Inloggen"),
        (phone, "/join", "Deelnemen"),
    ]
    pages = {facilitator: facilitator.new_page(), phone: phone.new_page()}
    for context, path, heading in visits:
        page = pages[context]
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        watch.assert_images_loaded(page)
