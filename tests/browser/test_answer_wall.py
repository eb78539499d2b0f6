"""The projector's answer wall in a real browser at 1920x1080 and 1280x720: every answer shown
whole within one paging cycle, nothing ever outside the wall or the screen, the code, count
and timer always in view, and the console's wall controls reaching the projector."""

from __future__ import annotations

import json
import random
import secrets
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from app.db import Database
from app.decks import load_decks
from app.models import Domain
from app.services.facilitation import Action, apply_action
from tests.browser.axe import Audit
from tests.browser.conftest import LiveServer, Watch
from tests.factories import (
    PASSWORD,
    RecordingPublisher,
    make_answer,
    make_item,
    make_participant,
    make_user,
    make_workshop,
)

pytestmark = pytest.mark.browser

SIZES = {"1080p": {"width": 1920, "height": 1080}, "720p": {"width": 1280, "height": 720}}
PIECES = [
    "We missen een vast aanspreekpunt bij de gemeente.",
    "De wijkagent komt alleen als er al iets mis is.",
    "Ouders weten niet waar ze terechtkunnen met zorgen over sexting.",
    "Iedere school heeft een eigen protocol, niemand kent dat van de ander.",
    "Jongerenwerk en school delen geen signalen, ook niet als het mag.",
    "Er is een convenant, maar het ligt in een la.",
    "TikTok-challenges verspreiden zich sneller dan wij kunnen overleggen.",
    "Het samenwerkingsverband wil meedoen maar heeft geen uren.",
    "Leerplicht ziet verzuim pas laat.",
    "We doen veel, maar we weten niet of het werkt.",
    "Een gezamenlijke training voor mentoren zou helpen.",
    "Jongeren zelf worden nooit gevraagd wat zij nodig hebben.",
]


def _text(rng: random.Random, n: int) -> str:
    """Mostly a sentence or two, as typed on a phone; every 50th a long story, every 97th
    as long as an answer may be."""
    count = 12 if n % 50 == 7 else 40 if n % 97 == 13 else rng.choice([1, 1, 1, 2, 2, 3])
    # The longest an answer may be (2000 characters) is among them.
    return (f"{n + 1}. " + " ".join(rng.choice(PIECES) for _ in range(count)))[:2000]


def seed(database_url: str, *, answers: int, timer: int | None = None, items: int = 0) -> int:
    """A facilitator, a regional workshop on its first (open) prompt with this many answers
    from as many participants, revealed; returns the workshop id."""
    rng = random.Random(answers)
    db = Database(database_url)
    try:
        with db.write_session() as session:
            owner = make_user(session)
            workshop = make_workshop(session, owner=owner, decks=load_decks())
            publisher = RecordingPublisher()
            apply_action(
                session=session, publisher=publisher, workshop=workshop, action=Action.start
            )
            apply_action(
                session=session, publisher=publisher, workshop=workshop, action=Action.open,
                seconds=timer,
            )  # fmt: skip
            domains = list(Domain)
            for n in range(answers):
                person, _ = make_participant(
                    session, workshop=workshop, name=None, domain=domains[n % len(domains)]
                )
                make_answer(session, participant=person, text=_text(rng, n))
            apply_action(
                session=session, publisher=publisher, workshop=workshop, action=Action.reveal
            )
            for n in range(items):
                make_item(session, workshop=workshop, title=f"Actiepunt {n + 1}: " + PIECES[n % 12])
            assert workshop.id is not None
            return workshop.id
    finally:
        db.dispose()


CONSOLE_ERRORS: dict[BrowserContext, list[str]] = {}


def no_console_errors(context: BrowserContext) -> None:
    assert CONSOLE_ERRORS.pop(context, []) == []


def log_in(
    browser: Browser, server: LiveServer, viewport: dict[str, int], *, axe: bool = False
) -> BrowserContext:
    # Without bypass_csp a CSP violation is a console error, and the tests fail on those; axe
    # needs it (it is injected as a script tag, tests/browser/axe.py).
    context = browser.new_context(
        base_url=server.base_url, locale="nl-NL", viewport=viewport, bypass_csp=axe
    )
    errors: list[str] = []
    context.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    context.on("weberror", lambda error: errors.append(str(error.error)))
    CONSOLE_ERRORS[context] = errors
    page = context.new_page()
    page.goto("/login")
    page.locator("#email").fill("begeleider@example.nl")
    page.locator("#password").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page).to_have_url(f"{server.base_url}/dashboard")
    page.close()
    return context


# Every card on show: inside the wall, inside the screen, nothing clipped inside it, no two
# overlapping, type no smaller than the minimum; and the page itself does not scroll.
CHECK_PAGE = """() => {
  const list = document.getElementById("projector-answer-list");
  const wall = list.getBoundingClientRect();
  const bad = [];
  const on = Array.from(list.children).filter((li) => !li.classList.contains("wall-off"));
  const boxes = on.map((li) => [li, li.getBoundingClientRect()]);
  const minimum = 28 * innerHeight / 1080 - 0.5;
  for (const [li, r] of boxes) {
    if (r.left < wall.left - 0.5 || r.right > wall.right + 0.5 || r.top < wall.top - 0.5
        || r.bottom > wall.bottom + 0.5) bad.push(li.id + " outside the wall");
    if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight)
      bad.push(li.id + " outside the screen");
    if (li.scrollHeight > li.clientHeight + 1 || li.scrollWidth > li.clientWidth + 1)
      bad.push(li.id + " clipped inside");
    if (getComputedStyle(li).visibility !== "visible") bad.push(li.id + " invisible");
    if (parseFloat(getComputedStyle(li).fontSize) < minimum && !li.style.fontSize)
      bad.push(li.id + " type too small");
  }
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i][1], b = boxes[j][1];
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5
        && b.top < a.bottom - 0.5) bad.push(boxes[i][0].id + " overlaps " + boxes[j][0].id);
  }
  const doc = document.documentElement;
  if (doc.scrollHeight > innerHeight || doc.scrollWidth > innerWidth) bad.push("the page scrolls");
  return {wall: window.gkWall(), ids: on.map((li) => li.id), bad: bad,
          all: Array.from(list.children).map((li) => li.id)};
}"""


BOXES = "(ids) => ids.map((id) => document.getElementById(id).getBoundingClientRect().toJSON())"


def current(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(CHECK_PAGE)
    assert result["bad"] == [], f"{page.viewport_size}: {result['bad'][:10]}"
    return result


def wait_for_page(page: Page, number: int) -> None:
    page.wait_for_function(
        "(n) => window.gkWall && window.gkWall() && window.gkWall().page === n", arg=number
    )


def in_view(page: Page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None, selector
    assert box["width"] > 0 and box["height"] > 0, selector
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= size["width"], (selector, box, size)
    assert box["y"] + box["height"] <= size["height"], (selector, box, size)


def shoot(page: Page, name: str) -> None:
    page.screenshot(path=Watch.screenshot_path(f"wall-{name}"))


@pytest.mark.timeout(300)
@pytest.mark.parametrize("size", sorted(SIZES))
def test_300_answers_each_shown_whole_within_one_cycle(
    browser: Browser, live_server: LiveServer, tmp_path: Path, size: str
) -> None:
    workshop_id = seed(f"sqlite:///{tmp_path}/e2e.db", answers=300)
    context = log_in(browser, live_server, SIZES[size])
    try:
        projector = context.new_page()
        # A page a minute: this test turns the pages itself, with the projector's keys.
        projector.goto(f"/workshops/{workshop_id}/projector?wall_interval=60")
        expect(projector.locator("#projector-answer-list[data-fitted]")).to_be_attached()
        wait_for_page(projector, 1)
        first = current(projector)
        assert len(first["all"]) == 300
        pages = first["wall"]["pages"]
        # Legible, so it pages; but not one answer a page either.
        assert 10 <= pages <= 40, first["wall"]
        shown: set[str] = set(first["ids"])
        shoot(projector, f"300-{size}-page-1")
        for number in range(2, pages + 1):
            projector.keyboard.press("ArrowRight")
            wait_for_page(projector, number)
            now = current(projector)
            assert now["wall"]["pages"] == pages, "the page count holds while nothing changes"
            assert not shown & set(now["ids"]), "an answer shown twice in one cycle"
            shown |= set(now["ids"])
            if number == 2:
                shoot(projector, f"300-{size}-page-2")
        assert shown == set(first["all"])
        # After the last page the cycle starts again at page 1.
        projector.keyboard.press("ArrowRight")
        wait_for_page(projector, 1)
        assert set(current(projector)["ids"]) == set(first["ids"])
        live_server.assert_no_server_errors()
        no_console_errors(context)
    finally:
        context.close()


@pytest.mark.timeout(240)
@pytest.mark.parametrize("size", sorted(SIZES))
def test_code_count_and_timer_stay_in_view_and_pages_turn_by_themselves(
    browser: Browser, live_server: LiveServer, tmp_path: Path, size: str
) -> None:
    workshop_id = seed(f"sqlite:///{tmp_path}/e2e.db", answers=40, timer=600)
    context = log_in(browser, live_server, SIZES[size])
    try:
        projector = context.new_page()
        projector.goto(f"/workshops/{workshop_id}/projector?wall_interval=0.4")
        expect(projector.locator("#projector-answer-list[data-fitted]")).to_be_attached()
        for selector in (
            ".join-code-inline",
            ".projector-footer .qr-small",
            "#presence .presence-count",
            "#timer .timer-display",
            "#projector-stage .prompt-text",
        ):
            in_view(projector, selector)
        expect(projector.locator("#presence")).to_contain_text("40 deelnemers")
        # Left alone, the wall turns its pages and comes back to the first.
        pages = current(projector)["wall"]["pages"]
        shoot(projector, f"40-{size}")
        if pages > 1:
            expect(projector.locator("#wall-pager")).to_contain_text(f"Pagina 1 van {pages}")
            wait_for_page(projector, 2)
            current(projector)
            wait_for_page(projector, 1)
        current(projector)
        in_view(projector, "#timer .timer-display")
        live_server.assert_no_server_errors()
        no_console_errors(context)
    finally:
        context.close()


def post_wall(console: Page, workshop_id: int, **fields: object) -> int:
    """What the console's per-answer "Uitlichten" button sends (built by another part)."""
    status: int = console.evaluate(
        """async ([url, fields]) => {
            const token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"];
            const body = new URLSearchParams(fields);
            const r = await fetch(url, {method: "POST", body: body,
                headers: {"X-CSRF-Token": token, "HX-Request": "true"}});
            return r.status;
        }""",
        [f"/workshops/{workshop_id}/wall", {k: str(v) for k, v in fields.items()}],
    )
    return status


def wall_button(console: Page, op: str, value: str | None = None) -> None:
    form = console.locator(f"#console-wall form:has(input[name=op][value='{op}'])")
    if value is not None:
        form = form.filter(has=console.locator(f"input[value='{value}']:not([name=op])"))
    expect(form).to_have_count(1)
    form.locator("button").click()


def join_and_answer(server: LiveServer, workshop_id: int, code: str, text: str) -> None:
    """A participant through the API: a live arrival, pushed like any phone's."""

    def call(path: str, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        request = urllib.request.Request(
            server.base_url + "/api/v1" + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"}
            | ({"Authorization": f"Bearer {token}"} if token else {}),
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            data: dict[str, Any] = json.loads(response.read())
            return data

    token = call("/join", {"code": code, "organisation": "School", "domain": "onderwijs"})
    prompt = json.loads(
        urllib.request.urlopen(
            urllib.request.Request(
                f"{server.base_url}/api/v1/workshops/{workshop_id}/prompt",
                headers={"Authorization": f"Bearer {token['access_token']}"},
            ),
            timeout=10,
        ).read()
    )
    call(
        f"/workshops/{workshop_id}/answers",
        {
            "prompt_id": prompt["prompt"]["id"],
            "text": text,
            "idempotency_key": secrets.token_hex(8),
        },
        token["access_token"],
    )


@pytest.mark.timeout(300)
def test_the_console_steers_the_wall_and_arrivals_never_move_the_page(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    workshop_id = seed(f"sqlite:///{tmp_path}/e2e.db", answers=40, items=14)
    context = log_in(browser, live_server, SIZES["1080p"], axe=True)
    audit = Audit()
    try:
        console = context.new_page()
        console.goto(f"/workshops/{workshop_id}")
        code = console.locator(".join-box .join-code").inner_text()
        projector = context.new_page()
        projector.goto(f"/workshops/{workshop_id}/projector?wall_interval=60")
        expect(projector.locator("#projector-answer-list[data-fitted]")).to_be_attached()
        wait_for_page(projector, 1)
        before = current(projector)
        assert before["wall"]["pages"] > 1
        audit.check("projector with the wall", projector)
        audit.check("console with the projector card", console)

        # Live arrivals: the page on show keeps every card where it was.
        boxes = projector.evaluate(
            BOXES,
            before["ids"],
        )
        for n in range(3):
            join_and_answer(live_server, workshop_id, code, f"Nieuw antwoord {n}: {PIECES[n]}")
        expect(projector.locator("#projector-answer-list > li")).to_have_count(43)
        after = current(projector)
        assert after["ids"][: len(before["ids"])] == before["ids"]
        assert boxes == projector.evaluate(
            BOXES,
            before["ids"],
        )

        # Next page and pause from the console.
        wall_button(console, "next")
        wait_for_page(projector, 2)
        wall_button(console, "pause")
        expect(projector.locator("#projector-wall[data-paused]")).to_be_attached()
        expect(projector.locator("#wall-pager")).to_contain_text("gepauzeerd")
        expect(console.locator("#console-wall")).to_contain_text("Verder bladeren")
        wall_button(console, "resume")
        expect(projector.locator("#projector-wall[data-paused]")).to_have_count(0)
        wall_button(console, "previous")
        wait_for_page(projector, 1)

        # Newest first: the last answer leads the first page.
        wall_button(console, "order", "newest")
        expect(projector.locator("#projector-wall")).to_have_attribute("data-order", "newest")
        wait_for_page(projector, 1)
        newest = current(projector)
        assert newest["all"][0] == max(newest["all"], key=lambda i: int(i.removeprefix("pa-")))
        assert newest["ids"][0] == newest["all"][0]
        expect(console.locator("#console-wall button[aria-pressed=true]").nth(1)).to_have_text(
            "Nieuwste eerst"
        )

        # The spotlight: one answer, large and centred, inside the screen; then back.
        answer_id = int(newest["all"][5].removeprefix("pa-"))
        assert post_wall(console, workshop_id, op="spotlight", answer_id=answer_id) == 204
        spot = projector.locator("#projector-wall .spotlight")
        expect(spot).to_be_visible()
        expect(spot).to_contain_text(projector.locator(f"#pa-{answer_id} p").inner_text())
        in_view(projector, "#projector-wall .spotlight")
        in_view(projector, ".join-code-inline")
        expect(console.locator("#console-wall")).to_contain_text("Uitgelicht")
        audit.check("projector with a spotlight", projector)
        shoot(projector, "spotlight-1080p")
        wall_button(console, "unspotlight")
        expect(spot).to_have_count(0)
        # A hidden answer cannot be spotlighted; the facilitator reads why.
        assert post_wall(console, workshop_id, op="spotlight", answer_id=999999) == 404
        # The browser logs that refused request as an error; it was the point.
        assert CONSOLE_ERRORS[context] == [
            "Failed to load resource: the server responded with a status of 404 (Not Found)"
        ]
        CONSOLE_ERRORS[context].clear()

        # The doe-agenda mode: the ranking fills the screen, paged if need be.
        wall_button(console, "mode", "agenda")
        agenda = projector.locator("#agenda-items")
        expect(agenda).to_be_visible()
        expect(projector.locator("#projector-answers")).to_be_hidden()
        expect(projector.locator("#agenda-items .agenda-list[data-fitted]")).to_be_attached()
        on_show = projector.locator("#agenda-items li.agenda-item:not(.wall-off)")
        for i in range(on_show.count()):
            box = on_show.nth(i).bounding_box()
            assert box is not None and box["y"] + box["height"] <= 1080 - 100, box
        in_view(projector, ".join-code-inline")
        audit.check("projector, doe-agenda", projector)
        shoot(projector, "agenda-1080p")
        projector.keyboard.press("a")
        expect(projector.locator("#projector-answers")).to_be_visible()
        audit.assert_clean()
        live_server.assert_no_server_errors()
        no_console_errors(context)
    finally:
        context.close()
