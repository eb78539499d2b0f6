"""A school team's year in a real browser: the start-of-year meeting ends with a doe-agenda that
downloads and opens, an owner updates their item through their own link, and a review meeting
a year later carries the open items into the next school year with their history."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import icalendar
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from tests.browser import steps
from tests.browser.conftest import LiveServer, Watch

pytestmark = pytest.mark.browser

DUTCH = "nl-NL"
PHONE = {"width": 390, "height": 844}
ANSWER = "Elke maandag een kort teamoverleg over signalen van pesten."
FROM_ANSWER = "Wekelijks signalenoverleg in het team"
FRESH = "Pestprotocol met de ouderraad herzien"
DONE = "Contactpersoon wijkagent in de schoolgids"


def make_workshop(page: Page, title: str, school_year: str) -> int:
    page.goto("/workshops/new")
    page.get_by_label("Titel").fill(title)
    page.get_by_role("radio", name=re.compile("start van het schooljaar")).check()
    page.get_by_role("radio", name=re.compile("Schoolteam")).check()
    page.get_by_role("textbox", name="Schooljaar").fill(school_year)
    page.get_by_role("button", name="Bijeenkomst aanmaken").click()
    expect(page).to_have_url(re.compile(r"/workshops/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def download(page: Page, link: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_role("link", name=link, exact=True).click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def start_of_year(browser: Browser, server: LiveServer, watch: Watch, console: Page) -> int:
    """The team's start-of-year meeting: one answer becomes an item, two are typed in fresh."""
    workshop_id = make_workshop(console, "Teamstart OBS De Linde", "2025-2026")
    code = console.locator(".join-box .join-code").inner_text()
    phone_context = browser.new_context(
        base_url=server.base_url, locale=DUTCH, viewport=PHONE, is_mobile=True, has_touch=True
    )
    watch.attach(phone_context)
    phone = watch.name("cycle-phone", phone_context.new_page())
    steps.join(phone, code, name="Sanne", organisation="OBS De Linde", domain="onderwijs")
    expect(phone.locator("#participant-stage")).to_contain_text("We beginnen zo")

    console.get_by_role("button", name="Start de bijeenkomst").click()
    console.get_by_role("button", name="Antwoorden openen").click()
    phone.locator("#answer-text").fill(ANSWER)
    phone.get_by_role("button", name="Antwoord versturen").click()
    expect(phone.locator("#flash")).to_have_text("Verstuurd.")
    expect(console.locator("#console-answers")).to_contain_text(ANSWER)

    item = steps.make_agenda_item
    item(console, FROM_ANSWER, from_answers=(ANSWER,), owner="Sanne", organisation="OBS De Linde",
         due="2025-10-06", level="preventief")  # fmt: skip
    item(console, FRESH, owner="Joost", organisation="Ouderraad", due="2026-02-02",
         level="sterke_basis")  # fmt: skip
    item(console, DONE, owner="Sanne", organisation="OBS De Linde", due="2025-09-15",
         level="incidenten")  # fmt: skip
    phone_context.close()
    return workshop_id


def dates_and_owner_link(context: BrowserContext, agenda: Page) -> None:
    agenda.get_by_label("Afspraken bij de start van het schooljaar").fill("2025-09-01")
    agenda.get_by_label("Tussentijdse check").fill("2026-01-19")
    agenda.get_by_label("Terugblik aan het eind van het schooljaar").fill("2026-06-22")
    agenda.get_by_role("button", name="Data opslaan").click()
    expect(agenda.locator("#flash, .flash").first).to_be_visible()

    path = steps.make_owner_link(agenda, "Sanne")
    expect(agenda.get_by_label(re.compile("Persoonlijke link voor Sanne"))).to_be_visible()
    owner = context.new_page()
    owner.goto(path)
    # The owner sees their own two items and nothing of Joost's.
    expect(owner.locator("main")).to_contain_text(FROM_ANSWER)
    expect(owner.locator("main")).to_contain_text(DONE)
    expect(owner.locator("main")).not_to_contain_text(FRESH)
    item = owner.locator("li, section, article", has_text=DONE).last
    item.get_by_label("Status").select_option("gedaan")
    item.get_by_label("Notities").fill("Staat er sinds september in.")
    item.get_by_role("button", name="Opslaan").click()
    expect(owner.locator("main")).to_contain_text("Staat er sinds september in.")
    owner.close()


def check_exports(agenda: Page, folder: Path) -> None:
    pdf = PdfReader(download(agenda, "PDF om te printen", folder))
    text = " ".join(page.extract_text() for page in pdf.pages)
    for title in (FROM_ANSWER, FRESH, DONE):
        assert title in text, f"{title!r} not in the PDF"
    assert "Wie zijn aan zet" in text

    sheet = load_workbook(download(agenda, "Excel (XLSX)", folder)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    titles = {row[0] for row in rows[1:]} | {cell for row in rows for cell in row}
    assert {FROM_ANSWER, FRESH, DONE} <= titles
    assert date(2026, 2, 2) in {
        cell.date() if hasattr(cell, "date") else cell for row in rows for cell in row
    }, "the due date is not a date cell"

    raw = download(agenda, "CSV (Excel, puntkomma)", folder).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert any(FRESH in row for row in table)

    ics_path = download(agenda, "Agenda (ICS) voor Outlook en andere agenda's", folder)
    calendar = icalendar.Calendar.from_ical(ics_path.read_bytes())
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert any(FRESH in s for s in summaries) and any(FROM_ANSWER in s for s in summaries)
    assert len(summaries) >= 5, summaries  # three items plus check-in and review meetings

    markdown = download(agenda, "Markdown (platte tekst)", folder).read_text(encoding="utf-8")
    assert FROM_ANSWER in markdown and "Joost" in markdown
    archive = json.loads(download(agenda, "Volledige export (JSON) om elders te importeren",
                                  folder).read_text(encoding="utf-8"))  # fmt: skip
    assert ANSWER in json.dumps(archive, ensure_ascii=False)


def review_a_year_later(console: Page, old_title: str) -> None:
    new_id = make_workshop(console, "Teamstart OBS De Linde", "2026-2027")
    console.goto(f"/workshops/{new_id}/agenda")
    earlier = console.get_by_label("Terugblikken op")
    option = earlier.locator("option", has_text=re.compile(rf"{old_title} \(2025.2026\)"))
    earlier.select_option(option.get_attribute("value"))
    console.get_by_role("button", name="Terugblik starten").click()
    review = console.locator(".review-list li", has_text=FRESH)
    review.get_by_label("Status").select_option("bezig")
    review.get_by_label("Wat hebben we geleerd?").fill("De ouderraad wil eerst een enquête.")
    review.get_by_role("button", name="Vastleggen").click()
    expect(console.locator(".review-list")).to_contain_text("Bezig")
    console.get_by_role("button", name=re.compile("Open actiepunten meenemen")).click()

    items = console.locator("#agenda-by-theme")
    expect(items).to_contain_text(FRESH)
    expect(items).to_contain_text(FROM_ANSWER)
    expect(items).not_to_contain_text(DONE)
    # The carried item still knows the answer it came from and what happened to it.
    carried = items.locator("li", has_text=FROM_ANSWER)
    carried.locator("details.sources summary").click()
    expect(carried.locator("details.sources")).to_contain_text(ANSWER)
    history = items.locator("li", has_text=FRESH).locator("details.history")
    history.locator("summary").click()
    expect(history).to_contain_text("De ouderraad wil eerst")
    expect(history).to_contain_text("Teamstart OBS De Linde")


def test_a_school_year_from_start_meeting_to_review(
    browser: Browser, live_server: LiveServer, watch: Watch, tmp_path: Path
) -> None:
    facilitator = browser.new_context(base_url=live_server.base_url, locale=DUTCH,
                                      accept_downloads=True)  # fmt: skip
    watch.attach(facilitator)
    try:
        console = watch.name("cycle-console", facilitator.new_page())
        steps.create_first_account(console)
        workshop_id = start_of_year(browser, live_server, watch, console)

        agenda = watch.name("cycle-agenda", facilitator.new_page())
        agenda.goto(f"/workshops/{workshop_id}/agenda")
        dates_and_owner_link(facilitator, agenda)
        agenda.reload()
        check_exports(agenda, tmp_path)

        review_a_year_later(console, "Teamstart OBS De Linde")
        watch.check()
        live_server.assert_no_server_errors()
    finally:
        watch.screenshots("school-year")
        facilitator.close()
