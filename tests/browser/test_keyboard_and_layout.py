"""Keyboard only, screen-reader announcements, phones at 320 px and 200% zoom, the projector's type.

One server and one workshop for the module; a facilitator and two phones in Dutch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import steps
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

ANSWER = "De wijkagent komt elke maand langs op school."
EDITED = "De wijkagent komt elke maand langs op school en bij het jongerenwerk."
OTHER = "We delen signalen nog te laat met elkaar."
# What the focused element looks like: tag, then id or name or text.
DESCRIBE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "body";
  const text = (el.innerText || el.value || "").trim().split("\\n")[0].slice(0, 40);
  return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (text ? " " + text : "");
}"""
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow !== "none";
  // A date field keeps the focus on its day, month and year parts inside it.
  const visible = el.matches(":focus-visible") || el.matches("input[type=date]:focus-within");
  return {visible: visible, ring: ring || shadow,
          outline: style.outlineStyle + " " + style.outlineWidth + " " + style.outlineColor};
}"""
# The console now holds the programme (a button per prompt), the projector card and the
# groups panel between the answers and the actiepunt form.
MAX_TABS = 100


def focused(page: Page) -> str:
    description: str = page.evaluate(DESCRIBE)
    return description


def assert_focus_shows(page: Page) -> None:
    """The focused control has a visible indicator: a real outline (or ring) on :focus-visible."""
    style = page.evaluate(FOCUS_STYLE)
    assert style["visible"] and style["ring"], f"{focused(page)}: no visible focus ({style})"


def tab(page: Page, *, back: bool = False) -> str:
    page.keyboard.press("Shift+Tab" if back else "Tab")
    assert_focus_shows(page)
    return focused(page)


def tab_to(page: Page, selector: str, *, back: bool = False) -> int:
    """Tab (or Shift+Tab) until `selector` has the focus; every stop on the way shows focus."""
    seen = []
    if page.evaluate("(s) => document.activeElement.matches(s)", selector):
        assert_focus_shows(page)
        return 0
    for presses in range(1, MAX_TABS + 1):
        seen.append(tab(page, back=back))
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} never got the focus; stops: {seen}")


def focus_stays_in(page: Page, selector: str) -> None:
    """After a push replaced the focused control, the focus is back inside the same fragment."""
    page.wait_for_function("(s) => document.activeElement.closest(s) !== null", arg=selector)
    assert_focus_shows(page)


def no_horizontal_scroll(page: Page) -> None:
    sizes = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    wide = page.evaluate(
        """() => Array.from(document.querySelectorAll("body *")).filter((el) => {
             const r = el.getBoundingClientRect();
             return r.width > 0 && r.right > document.documentElement.clientWidth + 1;
           }).slice(0, 5).map((el) => el.tagName + "." + el.className)"""
    )
    assert sizes[0] <= sizes[1], f"{page.url}: scrolls sideways {sizes}; too wide: {wide}"


@dataclass
class Room:
    console: Page
    phone: Page
    other: Page
    code: str
    workshop_id: int


@pytest.fixture(scope="module")
def room(browser: Browser, module_server: LiveServer) -> Iterator[Room]:
    base = module_server.base_url
    facilitator = browser.new_context(
        base_url=base, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    console = facilitator.new_page()
    steps.create_first_account(console)
    workshop_id, code = steps.create_workshop(console, "Regiobijeenkomst Zuid")
    phone_context = steps.new_context(browser, base, "nl", phone=True)
    other_context = steps.new_context(browser, base, "nl", phone=True)
    other = other_context.new_page()
    steps.join(other, code, name="Bas", organisation="Wijkteam Zuid", domain="jeugdhulp")
    yield Room(console, phone_context.new_page(), other, code, workshop_id)
    for context in (facilitator, phone_context, other_context):
        context.close()


def test_the_whole_flow_by_keyboard_with_visible_focus(room: Room) -> None:
    phone, console = room.phone, room.console
    phone.goto("/join")
    # The first Tab reaches the skip link, which appears on screen.
    assert tab(phone).startswith("a ")
    expect(phone.locator(".skip-link")).to_be_in_viewport()
    tab_to(phone, "#code")
    phone.keyboard.type(room.code.lower())
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(re.compile(rf"/w/{room.code}$"))

    # The join form in reading order; a select is chosen by typing.
    tab_to(phone, "#organisation")
    phone.keyboard.type("Gemeente Zuid")
    # No domain chosen in advance: the select starts on its prompt.
    assert tab(phone) == "select#domain Kies je domein"
    phone.keyboard.type("gem")
    expect(phone.locator("#domain")).to_have_value("gemeente")
    assert tab(phone) == "input#name"
    phone.keyboard.type("Amira")
    assert tab(phone).startswith("a ")  # what we keep, and for how long
    assert tab(phone) == "button Deelnemen"
    assert tab(phone, back=True).startswith("a ")
    tab(phone)
    phone.keyboard.press("Enter")
    expect(phone.locator("#participant-stage")).to_contain_text("We beginnen zo")
    expect(console.locator("#presence")).to_contain_text("2 deelnemers")

    # The facilitator starts and opens the first prompt without a mouse.
    console.goto(f"/workshops/{room.workshop_id}")
    tab_to(console, "#console-stage button")
    assert focused(console) == "button Start de bijeenkomst"
    console.keyboard.press("Enter")
    expect(phone.locator("#participant-stage .prompt-text")).to_be_visible()
    focus_stays_in(console, "#console-stage")
    tab_to(console, "#timer-seconds")
    assert tab(console) == "button Antwoorden openen"
    console.keyboard.press("Space")
    expect(phone.locator("#answer-text")).to_be_visible()

    tab_to(phone, "#answer-text")
    phone.keyboard.type(ANSWER)
    assert tab(phone) == "button Antwoord versturen"
    phone.keyboard.press("Enter")
    expect(phone.locator("#my-answers")).to_contain_text(ANSWER)
    expect(phone.locator("#flash")).to_have_text("Verstuurd.")
    focus_stays_in(phone, "#answer-form")
    steps.send_answer(room.other, OTHER)

    # Edit the answer: open the details, change the text, save with Space.
    tab_to(phone, "#my-answers summary")
    phone.keyboard.press("Enter")
    assert tab(phone).startswith("textarea#edit-")
    phone.keyboard.press("ControlOrMeta+A")
    phone.keyboard.type(EDITED)
    assert tab(phone) == "button Opslaan"
    phone.keyboard.press("Space")
    expect(phone.locator("#flash")).to_have_text("Gewijzigd.")
    expect(console.locator("#console-answers")).to_contain_text(EDITED)

    tab_to(console, "form:has(input[value=reveal]) button")
    console.keyboard.press("Enter")
    expect(phone.locator("#room-answers li.answer")).to_have_count(2)

    # +1 on someone else's answer; one's own has no such button to land on.
    phone.locator("body").focus()
    tab_to(phone, "#room-answers button.plus-one")
    assert OTHER in phone.evaluate("document.activeElement.closest('li').innerText")
    phone.keyboard.press("Space")
    expect(phone.locator("#flash")).to_have_text("Herken ik: genoteerd.")
    # The same answer's button again, now showing +1.
    phone.wait_for_function("() => document.activeElement.innerText.includes('+1')")
    assert OTHER in phone.evaluate("document.activeElement.closest('li').innerText")
    expect(room.other.locator("#room-answers li.answer").filter(has_text=OTHER)).to_contain_text(
        "+1"
    )

    # The facilitator makes an action point from the answers and opens dot voting.
    tab_to(console, "#console-answers input[name=answer_ids]")
    console.keyboard.press("Space")
    expect(console.locator("#console-answers input[name=answer_ids]").first).to_be_checked()
    tab_to(console, "#new-title")
    console.keyboard.type("Wijkagent ook bij het jongerenwerk")
    tab_to(console, "#new-owner")
    console.keyboard.type("Amira")
    tab_to(console, "#agenda-new button")
    console.keyboard.press("Enter")
    expect(console.locator("#agenda-items")).to_contain_text("Wijkagent ook bij het jongerenwerk")
    tab_to(console, "#dots")
    console.keyboard.press("ControlOrMeta+A")
    console.keyboard.type("2")
    # Then what the dots go on: a radio group, one Tab stop, "Actiepunten" already chosen.
    assert tab(console) == "input items"
    assert tab(console) == "button Instellen"
    console.keyboard.press("Enter")
    expect(phone.locator("#dot-vote")).to_contain_text("Stemmen met stippen")

    phone.locator("body").focus()
    tab_to(phone, "#dot-vote button")
    phone.keyboard.press("Enter")
    expect(phone.locator("#dot-vote .dots-left strong")).to_have_text("1")


def test_new_prompts_and_answer_counts_are_announced(room: Room) -> None:
    """A screen reader hears pushes through polite live regions that stay in the page."""
    console, phone = room.console, room.other
    for page in (console, phone):
        region = page.locator("#announcer")
        expect(region).to_have_attribute("aria-live", "polite")
        expect(region).to_have_attribute("role", "status")
    before = phone.locator("#announcer").inner_text()
    steps.act(console, "next")
    expect(phone.locator("#announcer")).not_to_have_text(before)
    prompt = phone.locator("#participant-stage .prompt-text").inner_text()
    expect(phone.locator("#announcer")).to_contain_text(prompt)
    expect(console.locator("#announcer")).to_contain_text(prompt)

    steps.act(console, "open")
    steps.send_score(room.phone, 3)
    expect(phone.locator("#announcer")).to_contain_text(re.compile(r"1 van \d heeft geantwoord"))
    expect(console.locator("#announcer")).to_contain_text(
        re.compile(r"1 van \d deelnemers heeft geantwoord")
    )


@pytest.mark.parametrize(
    ("width", "scale"),
    [(320, "text:100%"), (390, "text:200%"), (640, "zoom:2")],
    ids=["320px", "text-200-percent", "zoom-200-percent"],
)
def test_participant_pages_do_not_scroll_sideways(
    browser: Browser, module_server: LiveServer, room: Room, width: int, scale: str
) -> None:
    """At 320 CSS px, with the phone's text at 200%, and a 640 px window zoomed to 200%."""
    context = steps.new_context(
        browser, module_server.base_url, "nl", phone=True, viewport={"width": width, "height": 700}
    )
    kind, value = scale.split(":")

    def check(page: Page) -> None:
        # Text size: like the reader's own setting, every rem and em grows with it.
        # Zoom: the whole page is laid out at half the width, as the browser's zoom does.
        page.evaluate(
            """([kind, value]) => {
                 const root = document.documentElement.style;
                 if (kind === "text") { root.fontSize = value; } else { root.zoom = value; }
               }""",
            [kind, value],
        )
        no_horizontal_scroll(page)

    try:
        page = context.new_page()
        for path in ("/", "/join", f"/w/{room.code}", "/privacy"):
            page.goto(path)
            check(page)
        steps.join(
            page,
            room.code,
            name="Chris",
            organisation="Stichting Jongerenwerk Zuid-Oost",
            domain="jongerenwerk",
        )
        # The live page: a prompt, the room's answers and dot voting.
        expect(page.locator("#participant-stage .prompt-text")).to_be_visible()
        check(page)
    finally:
        context.close()


def test_projector_type_is_large_and_high_contrast(
    browser: Browser, module_server: LiveServer, room: Room
) -> None:
    context = browser.new_context(
        base_url=module_server.base_url,
        locale="nl-NL",
        viewport=steps.BEAMER,
        storage_state=room.console.context.storage_state(),
    )
    try:
        page = context.new_page()
        page.goto(f"/workshops/{room.workshop_id}/projector")
        prompt = "#projector-stage .prompt-text"
        expect(page.locator(prompt)).to_be_visible()
        # The socket's first push replaces the stage: query and measure in one page-side call
        # (`eval_on_selector` is two, and read a swapped-out element as NaN px).
        size = measure(page, prompt, FONT_SIZE)
        assert size >= 48, f"prompt at {size}px"
        for selector in ("#projector-stage .theme-label", ".answer-count", ".projector-footer"):
            small = measure(page, selector, FONT_SIZE)
            assert small >= 24, f"{selector} at {small}px"
        ratio = measure(page, prompt, CONTRAST)
        assert ratio >= 7, f"prompt contrast {ratio:.1f}:1"
    finally:
        context.close()


def measure(page: Page, selector: str, script: str) -> float:
    value: float = page.evaluate(f"(s) => ({script})(document.querySelector(s))", selector)
    return value


FONT_SIZE = "(el) => parseFloat(getComputedStyle(el).fontSize)"

# WCAG relative luminance of the text colour against the page background.
CONTRAST = """(el) => {
  const rgb = (c) => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const fg = lum(rgb(getComputedStyle(el).color));
  const bg = lum(rgb(getComputedStyle(document.body).backgroundColor));
  return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
}"""
