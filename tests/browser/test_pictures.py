"""The pictures in a real browser: answers per domain live on the projector, the results page
over three school years, the agenda's timeline and matrix; screenshots kept as artifacts."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import select

from app.agenda_models import AgendaLevel
from app.db import Database
from app.decks import load_decks
from app.models import Domain, Workshop, WorkshopCreate, WorkshopPrompt
from app.services import workshops
from app.services.facilitation import Action, apply_action, set_answer_hidden
from tests.browser import steps
from tests.browser.conftest import LiveServer, Watch
from tests.factories import (
    PASSWORD,
    RecordingPublisher,
    make_answer,
    make_item,
    make_participant,
    make_scale_answers,
    make_user,
)

pytestmark = pytest.mark.browser

BEAMER = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1280, "height": 900}
SMALL_PHONE = {"width": 320, "height": 640}
DUTCH = "nl-NL"
ORG = "Gemeente Zwolle"
SCORES = {
    "2024-2025": {"visie-score": [1, 1, 2, 2, 3, 2], "analyse-score": [2, 2, 3, 1]},
    "2025-2026": {"visie-score": [2, 3, 3, 3, 4, 2, 3], "analyse-score": [2, 3, 3, 4, 3]},
    "2026-2027": {"visie-score": [3, 4, 4, 4, 5, 3, 4, 4], "analyse-score": [3, 3, 4, 2, 4]},
}
# Who answers the first (open) prompt of this year's meeting, from which domain.
ANSWERS = [
    (Domain.onderwijs, "De visie staat in het schoolplan, maar niet in dat van de gemeente."),
    (Domain.onderwijs, "Iedere school heeft een eigen protocol."),
    (Domain.onderwijs, "We missen een gezamenlijke taal."),
    (Domain.gemeente, "Het convenant uit 2023 beschrijft de visie."),
    (Domain.gemeente, "Veiligheid en jeugd werken nog apart."),
    (Domain.jongerenwerk, "Jongeren zelf zijn nooit gevraagd."),
    (Domain.politie, "Wij sluiten aan bij het veiligheidshuis."),
]

ITEMS = [
    ("Gezamenlijke visie opschrijven", "Gemeente", AgendaLevel.sterke_basis, "2026-10-15"),
    ("Contactpersonen delen", "Politie", AgendaLevel.incidenten, "2026-09-20"),
    ("Jongeren betrekken bij de aanpak", "Jongerenwerk", AgendaLevel.preventief, "2027-02-01"),
    ("Scholen trainen in signaleren", "Onderwijs", AgendaLevel.preventief, "2026-11-30"),
    ("Terugblik plannen", "Gemeente", None, None),
]


def _seed(database_url: str) -> tuple[int, str]:
    """A facilitator with the same regional table in three school years. Returns this
    year's workshop id and its join code."""
    decks = load_decks()
    db = Database(database_url)
    try:
        with db.write_session() as session:
            owner = make_user(session)
            current: Workshop | None = None
            for year, scores in SCORES.items():
                data = WorkshopCreate(
                    title=f"Regiotafel sociale veiligheid {year}",
                    deck_slug="nji-beleidsmakers",
                    school_year=year,
                    organisation=ORG,
                )
                workshop = workshops.create_workshop(
                    session=session, owner=owner, data=data, decks=decks
                )
                for prompt_id, values in scores.items():
                    make_scale_answers(
                        session, workshop=workshop, deck_prompt_id=prompt_id, values=values
                    )
                current = workshop
            assert current is not None and current.id is not None
            publisher = RecordingPublisher()
            first = session.exec(
                select(WorkshopPrompt).where(
                    WorkshopPrompt.workshop_id == current.id, WorkshopPrompt.position == 0
                )
            ).one()
            apply_action(
                session=session, publisher=publisher, workshop=current, action=Action.goto,
                position=first.position,
            )  # fmt: skip
            apply_action(session=session, publisher=publisher, workshop=current, action=Action.open)
            for domain, text in ANSWERS:
                person, _ = make_participant(session, workshop=current, name=None, domain=domain)
                make_answer(session, participant=person, text=text)
            person, _ = make_participant(
                session, workshop=current, name=None, domain=Domain.politie
            )
            hidden = make_answer(session, participant=person, text="Dit hoort niet op het scherm.")
            set_answer_hidden(
                session=session, publisher=publisher, workshop=current,
                answer_id=hidden.id or 0, hidden=True,
            )  # fmt: skip
            # Not revealed: the projector shows answers per domain while the room answers;
            # once revealed, the answer wall takes its width (docs/wall.md).
            for title, org, level, due in ITEMS:
                make_item(
                    session, workshop=current, title=title, owner_organisation=org, level=level,
                    due_date=date.fromisoformat(due) if due else None,
                )  # fmt: skip
            return current.id, current.join_code
    finally:
        db.dispose()


def _log_in(context: BrowserContext, base_url: str) -> Page:
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("E-mailadres").fill("begeleider@example.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(f"{base_url}/dashboard")
    return page


def _counts(page: Page) -> dict[str, str]:
    rows = page.locator("#domain-chart table tbody tr")
    return {
        rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").inner_text()
        for i in range(rows.count())
    }


def _text_inside_charts(page: Page, selector: str) -> None:
    """Every label and count of these SVG charts lies inside its picture, not cut off."""
    found = page.locator(f"{selector} text").count()
    assert found, f"{page.url}: no chart text under {selector}"
    outside = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector + " text")).filter((t) => {
            const box = t.getBBox(), view = t.ownerSVGElement.viewBox.baseVal;
            return box.x < view.x || box.x + box.width > view.x + view.width
                || box.y < view.y || box.y + box.height > view.y + view.height;
        }).map((t) => t.textContent)""",
        selector,
    )
    assert outside == [], f"{page.url}: chart text cut off: {outside}"


def _no_horizontal_scroll(page: Page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"{page.url} scrolls sideways by {wide}px at {page.viewport_size}"


def test_pictures_in_the_browser(
    browser: Browser, live_server: LiveServer, watch: Watch, tmp_path: Path
) -> None:
    workshop_id, code = _seed(f"sqlite:///{tmp_path}/e2e.db")
    base = live_server.base_url
    facilitator = browser.new_context(base_url=base, locale=DUTCH, viewport=LAPTOP)
    watch.attach(facilitator)
    try:
        console = watch.name("console", _log_in(facilitator, base))
        console.goto(f"/workshops/{workshop_id}")
        expect(console.locator("#domain-chart svg[role=img]")).to_be_visible()
        # The facilitator counts the hidden answer too, and says so.
        assert _counts(console)["Politie"] == "2"
        expect(console.locator("#domain-chart")).to_contain_text("1 verborgen antwoord;")

        beamer = browser.new_context(
            base_url=base, locale=DUTCH, viewport=BEAMER, storage_state=facilitator.storage_state()
        )
        watch.attach(beamer)
        projector = watch.name("projector", beamer.new_page())
        projector.goto(f"/workshops/{workshop_id}/projector")
        chart = projector.locator("#domain-chart")
        expect(chart.locator("svg[role=img]")).to_be_visible()
        assert _counts(projector) == {
            "Onderwijs": "3", "Gemeente": "2", "Jongerenwerk": "1", "Politie": "1",
            "Anders": "0",
        }  # fmt: skip
        # Big enough to read from the back: each label at least 24 CSS pixels high.
        label_height = projector.locator("#domain-chart .hbar-label").first.bounding_box()
        assert label_height is not None and label_height["height"] >= 24

        # A phone from leerplicht joins and answers: the projector's chart grows a bar live.
        phone_context = browser.new_context(
            base_url=base, locale=DUTCH, viewport=SMALL_PHONE, is_mobile=True, has_touch=True
        )
        watch.attach(phone_context)
        phone = watch.name("phone", phone_context.new_page())
        phone.goto(f"/w/{code}")
        phone.get_by_label("Jouw organisatie").fill("Regionaal Bureau Leerplicht")
        phone.get_by_label("Domein").select_option("leerplicht")
        phone.get_by_role("button", name="Deelnemen").click()
        expect(chart).to_contain_text("Leerplicht")
        phone.locator("#answer-text").fill("Verzuim is vaak het eerste signaal.")
        phone.get_by_role("button", name="Antwoord versturen").click()
        expect(chart.locator("table")).to_contain_text(re.compile(r"Leerplicht\s*1"))
        expect(console.locator("#domain-chart table")).to_contain_text(
            re.compile(r"Leerplicht\s*1")
        )
        _no_horizontal_scroll(phone)
        _text_inside_charts(projector, ".hbar-chart")
        _text_inside_charts(console, ".hbar-chart")

        results = watch.name("results", facilitator.new_page())
        results.goto(f"/workshops/{workshop_id}/results")
        first = results.locator(".scale-chart").first
        expect(first.locator("svg[role=img] .stack-label")).to_have_text(
            ["2024\u20132025", "2025\u20132026", "2026\u20132027"]
        )
        expect(first.locator("desc")).to_contain_text("2026\u20132027: 8 antwoorden")
        _text_inside_charts(results, ".stack-chart")

        small = browser.new_context(
            base_url=base,
            locale=DUTCH,
            viewport=SMALL_PHONE,
            storage_state=facilitator.storage_state(),
        )
        watch.attach(small)
        narrow = watch.name("results-320", small.new_page())
        narrow.goto(f"/workshops/{workshop_id}/results")
        expect(narrow.locator(".scale-chart").first).to_be_visible()
        _no_horizontal_scroll(narrow)
        narrow_console = watch.name("console-320", small.new_page())
        narrow_console.goto(f"/workshops/{workshop_id}")
        expect(narrow_console.locator("#domain-chart svg")).to_be_visible()
        steps.screenshot(
            narrow_console.locator("#domain-chart"),
            Watch.screenshot_path("pictures-domain-chart-320"),
        )

        agenda = watch.name("agenda", facilitator.new_page())
        agenda.goto(f"/workshops/{workshop_id}/agenda")
        expect(agenda.locator("#agenda-timeline svg[role=img]")).to_be_visible()
        expect(agenda.locator("#agenda-matrix table")).to_contain_text("Jongerenwerk")
        _text_inside_charts(agenda, ".timeline-chart")

        # The answers report draws the self-assessments too (WeasyPrint renders the SVG).
        report = facilitator.request.get(f"/api/v1/workshops/{workshop_id}/answers.pdf")
        assert report.ok and report.body().startswith(b"%PDF")
        (Watch.screenshot_path("pictures-answers").with_suffix(".pdf")).write_bytes(report.body())

        english = browser.new_context(
            base_url=base,
            locale="en-GB",
            viewport=BEAMER,
            storage_state=facilitator.storage_state(),
        )
        watch.attach(english)
        projector_en = watch.name("projector-en", english.new_page())
        projector_en.goto(f"/workshops/{workshop_id}/projector")
        expect(projector_en.locator("#domain-chart h2")).to_have_text("Answers per sector")
        _text_inside_charts(projector_en, ".hbar-chart")

        watch.check()
        live_server.assert_no_server_errors()
    finally:
        watch.screenshots("pictures")
        for context in browser.contexts:
            context.close()
