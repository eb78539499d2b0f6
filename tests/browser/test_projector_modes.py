"""The projector's groups and words modes in a real browser at 1920x1080 and 1280x720: every
group card shown whole on some page and none cut off; the word view fits the screen; and
the console's "Kies deze antwoorden" fills the agenda form from a group (docs/wall.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from app.db import Database
from app.models import Answer, Participant, Workshop, WorkshopPrompt
from app.services import groups, voting
from app.services.groups import GroupInput
from app.services.wall import WallOp, change_wall
from tests.browser.axe import Audit
from tests.browser.conftest import LiveServer, Watch
from tests.browser.test_answer_wall import SIZES, log_in, no_console_errors, seed, wait_for_page
from tests.factories import RecordingPublisher, make_item

pytestmark = pytest.mark.browser

LABELS = [
    "Politie en wijkagent in de school",
    "Sexting, TikTok en de groepsapp",
    "Ouders eerder betrekken",
    "Een vast aanspreekpunt bij de gemeente",
    "Signalen delen tussen school en jongerenwerk",
    "Verzuim en leerplicht",
    "Training voor mentoren",
]


def group_and_show(database_url: str, workshop_id: int, mode: str) -> list[list[int]]:
    """Seven groups over the answers (the last few in none), the projector in `mode`."""
    db = Database(database_url)
    try:
        with db.write_session() as session:
            workshop = session.get(Workshop, workshop_id)
            assert workshop is not None
            prompt_id = session.exec(
                select(WorkshopPrompt.id).where(
                    WorkshopPrompt.workshop_id == workshop_id,
                    WorkshopPrompt.position == workshop.current_position,
                )
            ).one()
            ids = list(session.exec(select(Answer.id).where(Answer.prompt_id == prompt_id)))
            members = [ids[i : len(ids) - 4 : len(LABELS)] for i in range(len(LABELS))]
            groups.save_groups(
                session=session,
                publisher=RecordingPublisher(),
                workshop=workshop,
                prompt_id=prompt_id,
                groups=[
                    GroupInput(label, tuple(m), fixed=True)
                    for label, m in zip(LABELS, members, strict=True)
                ],
            )
            change_wall(
                session=session,
                publisher=RecordingPublisher(),
                workshop=workshop,
                op=WallOp.mode,
                mode=mode,
            )
            return [[i for i in m if i is not None] for m in members]
    finally:
        db.dispose()


CHECK_GROUPS = """() => {
  const list = document.getElementById("projector-group-list");
  const wall = list.getBoundingClientRect();
  const bad = [];
  const on = Array.from(list.children).filter((li) => !li.classList.contains("wall-off"));
  const boxes = on.map((li) => [li, li.getBoundingClientRect()]);
  for (const [li, r] of boxes) {
    if (r.left < wall.left - 0.5 || r.right > wall.right + 0.5 || r.top < wall.top - 0.5
        || r.bottom > wall.bottom + 0.5) bad.push(li.id + " outside the wall");
    if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight)
      bad.push(li.id + " outside the screen");
    if (li.scrollHeight > li.clientHeight + 1 || li.scrollWidth > li.clientWidth + 1)
      bad.push(li.id + " clipped inside");
    if (getComputedStyle(li).visibility !== "visible") bad.push(li.id + " invisible");
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


def current_groups(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(CHECK_GROUPS)
    assert result["bad"] == [], f"{page.viewport_size}: {result['bad'][:10]}"
    return result


def box_of(page: Page, selector: str) -> dict[str, float] | None:
    """Found and measured in one page-side call: a push may swap the fragment in between two."""
    box: dict[str, float] | None = page.evaluate(
        """(s) => { const el = document.querySelector(s); if (!el) return null;
            const b = el.getBoundingClientRect();
            return {x: b.x, y: b.y, width: b.width, height: b.height}; }""",
        selector,
    )
    return box


def inside_screen(page: Page, selector: str) -> None:
    box = box_of(page, selector)
    size = page.viewport_size
    assert box is not None and size is not None, selector
    assert box["width"] > 0 and box["height"] > 0, selector
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= size["width"] + 0.5, (selector, box, size)
    assert box["y"] + box["height"] <= size["height"] + 0.5, (selector, box, size)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_group_card_is_shown_whole_on_some_page(
    browser: Browser, live_server: LiveServer, tmp_path: Path, size: str
) -> None:
    url = f"sqlite:///{tmp_path}/e2e.db"
    workshop_id = seed(url, answers=60)
    group_and_show(url, workshop_id, "groups")
    context = log_in(browser, live_server, SIZES[size], axe=True)
    try:
        projector = context.new_page()
        projector.goto(f"/workshops/{workshop_id}/projector?wall_interval=60")
        expect(projector.locator("#projector-group-list[data-fitted]")).to_be_attached()
        wait_for_page(projector, 1)
        first = current_groups(projector)
        # Seven groups and the answers in none.
        assert len(first["all"]) == len(LABELS) + 1
        assert first["wall"]["kind"] == "groups"
        expect(projector.locator("#projector-groups")).to_contain_text(LABELS[0])
        projector.screenshot(path=Watch.screenshot_path(f"wall-groups-{size}"))
        shown = set(first["ids"])
        for number in range(2, first["wall"]["pages"] + 1):
            projector.keyboard.press("ArrowRight")
            wait_for_page(projector, number)
            now = current_groups(projector)
            assert not shown & set(now["ids"]), "a group shown twice in one cycle"
            shown |= set(now["ids"])
        assert shown == set(first["all"])
        audit = Audit()
        audit.check(f"projector groups {size}", projector)
        audit.assert_clean()
        # The projector's keys (a presenter's clicker): W shows the words, G the groups again.
        projector.keyboard.press("w")
        expect(projector.locator("#projector-word-view svg")).to_be_visible()
        expect(projector.locator("#projector-group-list")).to_have_count(0)
        projector.keyboard.press("g")
        expect(projector.locator("#projector-group-list[data-fitted]")).to_be_visible()
        current_groups(projector)
        live_server.assert_no_server_errors()
        no_console_errors(context)
    finally:
        context.close()


@pytest.mark.timeout(300)
@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_word_view_fits_the_screen(
    browser: Browser, live_server: LiveServer, tmp_path: Path, size: str
) -> None:
    url = f"sqlite:///{tmp_path}/e2e.db"
    workshop_id = seed(url, answers=60)
    group_and_show(url, workshop_id, "words")
    context = log_in(browser, live_server, SIZES[size], axe=True)
    try:
        projector = context.new_page()
        projector.goto(f"/workshops/{workshop_id}/projector")
        cloud = projector.locator("#projector-word-view svg.word-cloud")
        expect(cloud).to_be_visible()
        inside_screen(projector, "#projector-word-view svg.word-cloud")
        inside_screen(projector, ".join-code-inline")
        # Every word drawn inside the picture and the screen: nothing cut off.
        bad = projector.evaluate(
            """() => {
              const view = document.querySelector("#projector-word-view svg");
              const svg = view.getBoundingClientRect();
              const bad = [];
              for (const t of document.querySelectorAll("#projector-word-view svg text")) {
                const r = t.getBoundingClientRect();
                if (r.left < svg.left - 1 || r.right > svg.right + 1 || r.top < svg.top - 1
                    || r.bottom > svg.bottom + 1 || r.bottom > innerHeight || r.right > innerWidth)
                  bad.push(t.textContent);
              }
              const doc = document.documentElement;
              if (doc.scrollHeight > innerHeight || doc.scrollWidth > innerWidth)
                bad.push("scrolls");
              return bad;
            }"""
        )
        assert bad == []
        box = box_of(projector, "#projector-word-view svg.word-cloud")
        assert box is not None and box["height"] > SIZES[size]["height"] * 0.3, box
        projector.screenshot(path=Watch.screenshot_path(f"wall-words-{size}"))
        audit = Audit()
        audit.check(f"projector words {size}", projector)
        audit.assert_clean()
        live_server.assert_no_server_errors()
        no_console_errors(context)
    finally:
        context.close()


@pytest.mark.timeout(240)
def test_kies_deze_antwoorden_picks_a_whole_group_and_prefills_the_actiepunt(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path}/e2e.db"
    workshop_id = seed(url, answers=30)
    members = group_and_show(url, workshop_id, "answers")
    context = log_in(browser, live_server, SIZES["1080p"])
    try:
        console = context.new_page()
        console.goto(f"/workshops/{workshop_id}")
        expect(console.locator("#sync")).to_have_count(1)
        group = console.locator("#console-groups .group-list > li").nth(1)
        expect(group).to_contain_text(LABELS[1])
        group.get_by_role("button", name="Kies deze antwoorden").click()
        picked = console.locator(
            "#console-answer-list li.answer:has(input[name=answer_ids]:checked)"
        )
        expect(picked).to_have_count(len(members[1]))
        ids = picked.evaluate_all("els => els.map(e => Number(e.dataset.answerId))")
        assert sorted(ids) == sorted(members[1])
        # The form is prefilled from the group's answers, and the keyboard is there.
        expect(console.locator("#new-title")).to_be_focused()
        expect(console.locator("#new-title")).not_to_have_value("")
        description = console.locator("#new-description").input_value()
        assert description.count("\n- ") == len(members[1]) - 1
        live_server.assert_no_server_errors()
        no_console_errors(context)
    finally:
        context.close()


def vote_on_items(database_url: str, workshop_id: int, items: int) -> None:
    """Dots on `items` long agenda items, a different number each; the projector on the vote."""
    db = Database(database_url)
    try:
        with db.write_session() as session:
            workshop = session.get(Workshop, workshop_id)
            assert workshop is not None
            made = [
                make_item(
                    session,
                    workshop=workshop,
                    title=f"{n + 1}. " + " ".join(LABELS[(n + k) % len(LABELS)] for k in range(3)),
                )
                for n in range(items)
            ]
            voting.set_dots(
                session=session, publisher=RecordingPublisher(), workshop=workshop, dots=10
            )
            people = session.exec(
                select(Participant).where(Participant.workshop_id == workshop_id)
            ).all()
            for n, item in enumerate(made):
                start = n * (n + 1) // 2  # each dot from another person
                for person in people[start : start + n + 1]:
                    voting.place_dot(
                        session=session,
                        publisher=RecordingPublisher(),
                        participant=person,
                        item_id=item.id,
                    )
            change_wall(
                session=session,
                publisher=RecordingPublisher(),
                workshop=workshop,
                op=WallOp.mode,
                mode="votes",
            )
    finally:
        db.dispose()


@pytest.mark.timeout(240)
@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_vote_ranking_fits_the_screen(
    browser: Browser, live_server: LiveServer, tmp_path: Path, size: str
) -> None:
    url = f"sqlite:///{tmp_path}/e2e.db"
    workshop_id = seed(url, answers=80)
    vote_on_items(url, workshop_id, 12)
    context = log_in(browser, live_server, SIZES[size], axe=True)
    try:
        projector = context.new_page()
        projector.goto(f"/workshops/{workshop_id}/projector")
        rows = projector.locator("#projector-votes .vote-ranking > li")
        expect(rows).to_have_count(10)  # voting.ranking: the ten with the most dots
        expect(rows.first).to_contain_text("12. ")
        expect(projector.locator("#projector-votes")).to_contain_text("Stemmen is open")
        for i in range(10):
            inside_screen(projector, f"#projector-votes .vote-ranking > li:nth-child({i + 1})")
        footer = box_of(projector, ".projector-footer")
        last = box_of(projector, "#projector-votes .vote-ranking > li:last-child")
        assert footer is not None and last is not None
        assert last["y"] + last["height"] <= footer["y"], (last, footer)
        projector.screenshot(path=Watch.screenshot_path(f"wall-votes-{size}"))
        audit = Audit()
        audit.check(f"projector votes {size}", projector)
        audit.assert_clean()
        live_server.assert_no_server_errors()
        no_console_errors(context)
    finally:
        context.close()
