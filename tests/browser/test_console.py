"""The facilitator's console in Chromium: one screen at 1366x768, shortcuts, the timer that
closes answering everywhere, ending with a confirmation and reopening, and 300 answers to
filter and pick from."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import select

from app.db import Database
from app.decks import CARDS_DIR, load_decks
from app.events import NullPublisher
from app.models import Domain, ParticipantCreate, User, Workshop, WorkshopPrompt
from app.services import participation, roster
from app.services.facilitation import Action, apply_action
from tests.browser import axe, steps
from tests.browser.conftest import LiveServer, Watch
from tests.factories import make_workshop

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
FULL_HD = {"width": 1920, "height": 1080}
WIJKAGENT = "De wijkagent komt te weinig op school, we kennen hem niet."
DOMAINS = [Domain.onderwijs, Domain.gemeente, Domain.politie, Domain.jeugdhulp]


@dataclass
class Site:
    server: LiveServer
    browser: Browser
    contexts: list[BrowserContext]

    def context(self, *, phone: bool = False, **options: object) -> BrowserContext:
        made = steps.new_context(self.browser, self.server.base_url, "nl", phone=phone, **options)
        self.contexts.append(made)
        return made

    def console(self, workshop_id: int, viewport: dict[str, int] = LAPTOP) -> Page:
        page = self.context(viewport=viewport, bypass_csp=True).new_page()
        steps.log_in(page)
        page.goto(f"/workshops/{workshop_id}")
        expect(page.locator("#sync")).to_have_count(1)
        return page

    def database(self) -> Database:
        return Database(f"sqlite:///{self.server.log.parent}/e2e.db")


@pytest.fixture(scope="module")
def site(browser: Browser, module_server: LiveServer) -> Iterator[Site]:
    made = Site(module_server, browser, [])
    first = made.context().new_page()
    steps.create_first_account(first)
    yield made
    for context in made.contexts:
        context.close()
    module_server.assert_no_server_errors()


def new_workshop(site: Site, title: str) -> tuple[int, str]:
    page = site.context(viewport=LAPTOP).new_page()
    steps.log_in(page)
    workshop_id, code = steps.create_workshop(page, title)
    page.close()
    return workshop_id, code


def phone_in(site: Site, code: str, name: str) -> Page:
    page = site.context(phone=True).new_page()
    steps.join(page, code, name=name, organisation="OBS De Linde", domain="onderwijs")
    return page


_WITHIN_VIEW = """(selector) => {
  const el = document.querySelector(selector);
  if (!el) { return null; }
  const r = el.getBoundingClientRect();
  return {x: r.left, y: r.top, width: r.width, height: r.height,
          inside: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 &&
                  r.bottom <= window.innerHeight && r.right <= window.innerWidth};
}"""


def in_viewport(page: Page, selector: str) -> None:
    """The first match lies wholly within the window. Measured in one evaluation, retried for
    a while: a push may replace the element between two separate calls."""
    box = None
    for _ in range(50):
        box = page.evaluate(_WITHIN_VIEW, selector)
        if box is not None and box["inside"]:
            return
        page.wait_for_timeout(100)
    raise AssertionError((selector, box))


def test_answers_and_controls_fit_one_laptop_screen(site: Site) -> None:
    workshop_id, code = new_workshop(site, "Regiobijeenkomst Laptop")
    phones = [phone_in(site, code, f"Deelnemer {i}") for i in range(3)]
    console = site.console(workshop_id)
    steps.act(console, "start")
    steps.act(console, "open")
    for i, phone in enumerate(phones):
        steps.send_answer(phone, f"Antwoord nummer {i} over samenwerken met de wijkagent.")
    expect(console.locator("#console-answer-list li.answer")).to_have_count(3)
    # Newest first: what just came in is on top, without scrolling.
    expect(console.locator("#console-answer-list li.answer").first).to_contain_text("nummer 2")
    for selector in (
        "#console-answer-list li.answer",
        "[data-shortcut=o]",
        "[data-shortcut=t]",
        "[data-shortcut=n]",
        "#answer-search",
        "#answer-domain-counts .chip",
        "#console-stage .prompt-text",
    ):
        in_viewport(console, selector)
    assert console.evaluate("window.scrollY") == 0
    # Reveal and next read and look different.
    reveal = console.locator("[data-shortcut=t]")
    nxt = console.locator("[data-shortcut=n]")
    assert reveal.inner_text() != nxt.inner_text()
    colours = [b.evaluate("b => getComputedStyle(b).backgroundColor") for b in (reveal, nxt)]
    assert colours[0] != colours[1]
    console.screenshot(path=Watch.screenshot_path("console-1366x768"))
    wide = site.console(workshop_id, FULL_HD)
    for selector in ("#console-answer-list li.answer", "[data-shortcut=n]"):
        in_viewport(wide, selector)
    wide.screenshot(path=Watch.screenshot_path("console-1920x1080"))


def test_shortcuts_step_through_but_not_while_typing(site: Site) -> None:
    workshop_id, _code = new_workshop(site, "Regiobijeenkomst Sneltoetsen")
    console = site.console(workshop_id)
    expect(console.locator("#console-shortcuts")).to_contain_text("N")
    stage = console.locator("#console-stage")
    sync = console.locator("#sync")

    def press(key: str) -> None:
        seq = sync.get_attribute("data-seq")
        console.keyboard.press(key)
        expect(sync).not_to_have_attribute("data-seq", seq or "")

    console.locator("h1").click()
    press("n")  # start
    expect(stage).to_contain_text("Vraag 1 van")
    press("o")
    expect(stage).to_contain_text("Open voor antwoorden")
    press("t")
    expect(stage).to_contain_text("antwoorden zichtbaar voor de zaal")
    press("o")
    expect(stage).to_contain_text("Gesloten voor antwoorden")

    # Typing in a field types; it steers nothing.
    seq = sync.get_attribute("data-seq")
    console.locator("#answer-search").click()
    console.keyboard.type("not")
    console.locator("#new-title").click()
    console.keyboard.type("nto")
    expect(console.locator("#new-title")).to_have_value("nto")
    console.wait_for_timeout(300)
    expect(sync).to_have_attribute("data-seq", seq or "")
    expect(stage).to_contain_text("Vraag 1 van")

    console.locator("#answer-search").fill("")
    console.locator("h1").click()
    press("n")
    expect(stage).to_contain_text("Vraag 2 van")


def test_the_timer_closes_answering_on_phones_and_console(site: Site) -> None:
    workshop_id, code = new_workshop(site, "Regiobijeenkomst Timer")
    phone = phone_in(site, code, "Amira")
    console = site.console(workshop_id)
    steps.act(console, "start")
    # A short timer: the menu offers minutes, the server takes any number of seconds.
    console.locator("#timer-seconds").evaluate("s => { s.options[1].value = '3'; s.value = '3'; }")
    steps.act(console, "open")
    expect(phone.locator("#answer-text")).to_be_visible()
    expect(console.locator("#console-stage")).to_contain_text("Open voor antwoorden")
    expect(console.locator("[data-shortcut=o]")).to_contain_text("Antwoorden sluiten")
    # 0:00: the phone's form goes and the console says closed, without a reload.
    expect(phone.locator("#answer-text")).to_have_count(0, timeout=15_000)
    expect(phone.locator("#answer-form")).to_contain_text("niet open")
    expect(console.locator("#console-stage")).to_contain_text("Gesloten voor antwoorden")
    expect(console.locator("#timer")).to_have_class(re.compile("timer-off"))


def test_plus_one_minute_and_local_time(site: Site) -> None:
    workshop_id, _code = new_workshop(site, "Regiobijeenkomst Extra minuut")
    console = site.console(workshop_id)
    steps.act(console, "start")
    console.locator("#timer-seconds").select_option("60")
    steps.act(console, "open")
    display = console.locator("#timer .timer-display")
    expect(display).to_have_text(re.compile(r"^(1:00|0:5\d)$"))
    steps.act(console, "extend")
    expect(display).to_have_text(re.compile(r"^(2:00|1:5\d)$"))
    spoken = console.locator("#timer .visually-hidden").inner_text()
    assert "UTC" not in spoken and re.search(r"\d\d:\d\d:\d\d$", spoken)


def test_ending_asks_first_and_can_be_undone(site: Site) -> None:
    workshop_id, code = new_workshop(site, "Regiobijeenkomst Afsluiten")
    phone = phone_in(site, code, "Bas")
    console = site.console(workshop_id)
    steps.act(console, "start")
    steps.act(console, "next")
    end = steps.action_button(console, "end")
    expect(end).to_be_hidden()  # behind "Bijeenkomst afsluiten…"
    console.locator("#console-stage .end-confirm summary").click()
    expect(end).to_be_visible()
    expect(console.locator(".end-confirm-body")).to_contain_text("Weet je het zeker?")
    end.click()
    expect(phone.locator("#participant-stage")).to_contain_text("afgelopen")
    expect(console.locator("#console-stage")).to_contain_text("afgelopen")

    steps.act(console, "reopen")
    expect(console.locator("#console-stage")).to_contain_text("Vraag 2 van")
    expect(phone.locator("#participant-stage")).not_to_contain_text("afgelopen")


def test_the_programme_jumps_and_open_on_arrival_opens(site: Site) -> None:
    workshop_id, code = new_workshop(site, "Regiobijeenkomst Programma")
    phone = phone_in(site, code, "Chris")
    console = site.console(workshop_id)
    steps.act(console, "auto_open")
    steps.act(console, "start")
    expect(phone.locator("#answer-text")).to_be_visible()
    programme = console.locator("#console-programme")
    expect(programme.locator("li")).not_to_have_count(0)
    programme.locator("li").nth(4).locator("button").click()
    expect(console.locator("#console-stage")).to_contain_text("Vraag 5 van")
    expect(console.locator("#console-stage")).to_contain_text("Open voor antwoorden")
    # A scale prompt: the phone can send a score at once.
    expect(phone.locator("#answer-form button.primary")).to_be_visible()
    expect(programme.locator("li[aria-current=step]")).to_contain_text("5.")


def fill_room(db: Database, workshop_id: int, count: int) -> int:
    """`count` participants with one answer each, through the services; returns how many
    mention the wijkagent."""
    wijkagent = 0
    with db.writing() as session:
        workshop = session.get(Workshop, workshop_id)
        assert workshop is not None
        prompt = session.exec(
            select(WorkshopPrompt).where(
                WorkshopPrompt.workshop_id == workshop_id,
                WorkshopPrompt.position == workshop.current_position,
            )
        ).one()
        for i in range(count):
            person, _token = roster.join(
                session=session,
                publisher=NullPublisher(),
                workshop=workshop,
                data=ParticipantCreate(
                    name=f"Deelnemer {i}", organisation="Org", domain=DOMAINS[i % 4]
                ),
            )
            text = WIJKAGENT if i % 10 == 0 else f"Antwoord {i}: signalen eerder delen."
            wijkagent += i % 10 == 0
            participation.submit_answer(
                session=session,
                publisher=NullPublisher(),
                participant=person,
                prompt_id=prompt.id or 0,
                idempotency_key=secrets.token_hex(8),
                text=text,
            )
    return wijkagent


def test_three_hundred_answers_filter_pick_and_prefill(site: Site) -> None:
    db = site.database()
    try:
        with db.writing() as session:
            owner = session.exec(select(User)).first()
            assert owner is not None
            workshop = make_workshop(session, owner=owner, decks=load_decks(CARDS_DIR))
            publisher = NullPublisher()
            for action in (Action.start, Action.open):
                apply_action(session=session, publisher=publisher, workshop=workshop, action=action)
            workshop_id, code = workshop.id or 0, workshop.join_code
        wijkagent = fill_room(db, workshop_id, 300)
    finally:
        db.dispose()

    console = site.console(workshop_id)
    items = console.locator("#console-answer-list li.answer")
    expect(items).to_have_count(300)
    counts = console.locator("#answer-domain-counts")
    expect(counts).to_contain_text("Onderwijs 75")
    expect(counts).to_contain_text("Politie 75")

    console.locator("#answer-search").fill("wijkagent")
    shown = console.locator("#console-answer-list li.answer:visible")
    expect(shown).to_have_count(wijkagent)
    expect(console.locator("#answer-shown-count")).to_contain_text(f"{wijkagent} van 300")

    # Every shown answer at once: the actiepunt is prefilled from them.
    console.locator("#answer-pick-shown").click()
    expect(console.locator("#answer-shown-count")).to_contain_text(f"{wijkagent} gekozen")
    expect(console.locator("#new-title")).to_have_value(re.compile(r"^De wijkagent komt"))
    description = console.locator("#new-description").input_value()
    assert description.count("- De wijkagent") == wijkagent
    console.locator("#answer-pick-none").click()
    expect(console.locator("#answer-shown-count")).to_contain_text("0 gekozen")
    expect(console.locator("#new-title")).to_have_value("")

    # A range with shift-click, within the domain filter.
    console.locator("#answer-search").fill("")
    console.locator("#answer-domain-counts .chip", has_text="Politie").click()
    expect(shown).to_have_count(75)
    boxes = console.locator("#console-answer-list li.answer:visible input[name=answer_ids]")
    boxes.nth(2).click()
    boxes.nth(11).click(modifiers=["Shift"])
    expect(console.locator("#answer-shown-count")).to_contain_text("10 gekozen")
    assert all(
        d == "politie"
        for d in console.locator(
            "#console-answer-list li.answer:has(input[name=answer_ids]:checked)"
        ).evaluate_all("els => els.map(e => e.dataset.domain)")
    )

    # A new arrival follows the filter that is on.
    console.locator("#answer-pick-none").click()
    console.locator("#answer-domain").select_option("")
    console.locator("#answer-search").fill("wijkagent")
    phone = phone_in(site, code, "Laatkomer")
    steps.send_answer(phone, "Nog iets over de gymzaal.")
    expect(items).to_have_count(301)
    expect(items.filter(has_text="gymzaal")).to_be_hidden()
    steps.send_answer(phone, "En de wijkagent bij de ingang.")
    expect(items.filter(has_text="bij de ingang")).to_be_visible()
    expect(shown).to_have_count(wijkagent + 1)

    found = axe.describe("console with 300 answers", axe.violations(console))
    assert not found, "\n".join(found)
    console.screenshot(path=Watch.screenshot_path("console-300-answers-1366x768"))


def test_a_missing_title_names_the_field_and_clears_after_a_save(site: Site) -> None:
    workshop_id, code = new_workshop(site, "Regiobijeenkomst Actiepunt")
    phone = phone_in(site, code, "Dana")
    console = site.console(workshop_id)
    steps.act(console, "start")
    steps.act(console, "open")
    steps.send_answer(phone, "Een vast aanspreekpunt bij de gemeente voor scholen.")
    box = console.locator("#console-answer-list input[name=answer_ids]").first
    box.check()
    expect(console.locator("#new-title")).to_have_value(
        "Een vast aanspreekpunt bij de gemeente voor scholen."
    )
    # Only spaces: the browser lets it through, the server names the field.
    console.locator("#new-title").fill("   ")
    steps.submit(console.locator("#agenda-new"))
    error = console.locator("#agenda-new-error")
    expect(error).to_have_text("Vul een titel in voor het actiepunt.")
    console.locator("#new-title").fill("Vast aanspreekpunt gemeente")
    steps.submit(console.locator("#agenda-new"))
    expect(console.locator("#agenda-items")).to_contain_text("Vast aanspreekpunt gemeente")
    expect(error).to_be_hidden()
    expect(console.locator("#flash")).to_be_empty()
