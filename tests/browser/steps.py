"""What a facilitator and a participant do in the browser, in whichever language the page is in.

Controls are found by id or by the action they carry, not by their (translated) text, so the
same steps drive a Dutch and an English page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.factories import PASSWORD

EMAIL = "begeleider@example.nl"
DECK = "nji-beleidsmakers"
PHONE = {"width": 390, "height": 844}
NARROW_PHONE = {"width": 320, "height": 640}
BEAMER = {"width": 1920, "height": 1080}
LOCALES = {"nl": "nl-NL", "en": "en-GB"}


def new_context(
    browser: Browser, base_url: str, lang: str, *, phone: bool = False, **options: Any
) -> BrowserContext:
    if phone:
        options = {"viewport": PHONE, "is_mobile": True, "has_touch": True, **options}
    return browser.new_context(base_url=base_url, locale=LOCALES[lang], **options)


def submit(form: Locator) -> None:
    form.locator("button[type=submit]").first.click()


def create_first_account(page: Page) -> None:
    page.goto("/setup")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    submit(page.locator("form[action='/setup']"))
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def log_in(page: Page) -> None:
    page.goto("/login")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    submit(page.locator("form[action='/login']"))
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def create_workshop(page: Page, title: str, *, organisation: str = "") -> tuple[int, str]:
    """From the 'new workshop' form to the console; returns the workshop id and its join code."""
    page.goto("/workshops/new")
    page.locator("#title").fill(title)
    page.locator(f"input[name=deck_slug][value='{DECK}']").check()
    page.locator("input[name=kind][value=regional]").check()
    page.locator("#organisation").fill(organisation)
    submit(page.locator("form[action='/workshops']"))
    expect(page).to_have_url(re.compile(r"/workshops/\d+$"))
    code = page.locator(".join-box .join-code")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{4,}$"))
    return int(page.url.rsplit("/", 1)[1]), code.inner_text()


def join(
    page: Page, code: str, *, name: str, organisation: str, domain: str, role: str = "leerkracht"
) -> None:
    """Join; a school team's form asks a role instead of organisation and domain."""
    page.goto(f"/w/{code}")
    if page.locator("#role").count():
        page.locator("#role").select_option(role)
    else:
        page.locator("#organisation").fill(organisation)
        page.locator("#domain").select_option(domain)
    page.locator("#name").fill(name)
    submit(page.locator(f"form[action='/w/{code}/join']"))
    expect(page).to_have_url(re.compile(rf"/w/{code}$"))
    expect(page.locator("#participant-stage h2")).to_be_visible()


def action_button(console: Page, action: str) -> Locator:
    return console.locator(f"form:has(input[name=action][value='{action}']) button[type=submit]")


def act(console: Page, action: str) -> None:
    """Press one of the console's controls (start, open, close, reveal, hide, next, end...)."""
    button = action_button(console, action)
    expect(button).to_have_count(1)
    if action == "end":
        # Ending is behind a confirmation step.
        console.locator("#console-stage .end-confirm summary").click()
    # Every change of the room is pushed with the next sequence number.
    sync = console.locator("#sync")
    seq = sync.get_attribute("data-seq") or ""
    button.click()
    expect(sync).not_to_have_attribute("data-seq", seq)


def send_answer(page: Page, text: str) -> None:
    page.locator("#answer-text").fill(text)
    page.locator("#answer-form button.primary").click()
    expect(page.locator("#my-answers")).to_contain_text(text)
    expect(page.locator("#answer-text")).to_have_value("")


def send_score(page: Page, value: int) -> None:
    # The radio itself is visually hidden behind its big label.
    page.locator(f"#answer-form .scale-option:has(input[value='{value}'])").click()
    expect(page.locator(f"#answer-form input[name=value][value='{value}']")).to_be_checked()
    page.locator("#answer-form button.primary").click()
    expect(page.locator("#my-answers")).to_contain_text(str(value))


def plus_one(page: Page, text: str) -> None:
    answer = page.locator("#room-answers li.answer").filter(has_text=text)
    before = answer.locator(".plus-one").inner_text()
    answer.locator("button.plus-one").click()
    expect(answer.locator(".plus-one")).not_to_have_text(before)


def make_agenda_item(
    console: Page,
    title: str,
    *,
    from_answers: tuple[str, ...] = (),
    owner: str = "",
    organisation: str = "",
    due: str = "",
    level: str = "",
) -> None:
    for text in from_answers:
        console.locator("#console-answers li.answer").filter(has_text=text).locator(
            "input[name=answer_ids]"
        ).check()
    console.locator("#new-title").fill(title)
    console.locator("#new-owner").fill(owner)
    console.locator("#new-org").fill(organisation)
    if due:
        console.locator("#new-due").fill(due)
    if level:
        console.locator("#new-level").select_option(level)
    submit(console.locator("#agenda-new"))
    expect(console.locator("#agenda-items")).to_contain_text(title)
    expect(console.locator("#new-title")).to_have_value("")


def make_owner_link(agenda: Page, owner: str) -> str:
    """On the agenda page: a personal link for this owner; returns its path (/o/...)."""
    agenda.locator("form[action$='/agenda/owners']").filter(has_text=owner).locator(
        "button"
    ).click()
    field = agenda.locator("#new-owner-link")
    expect(field).to_have_value(re.compile("/o/"))
    found = re.search(r"/o/[A-Za-z0-9_\-]+$", field.input_value())
    assert found, field.input_value()
    return found.group(0)


def open_dot_voting(console: Page, dots: int) -> None:
    console.locator("#dots").fill(str(dots))
    submit(console.locator("form[action$='/agenda/dots']"))
    expect(console.locator("#agenda-items .meta")).to_contain_text(str(dots))


def screenshot(locator: Locator, path: Path) -> None:
    """An element's screenshot. A live page swaps fragments as pushes arrive (the snapshot
    right after loading, too): taken again if the element was replaced meanwhile."""
    for attempt in range(5):
        try:
            locator.screenshot(path=path)
            return
        except PlaywrightError as exc:
            if "not attached" not in str(exc) or attempt == 4:
                raise
            locator.page.wait_for_timeout(200)
