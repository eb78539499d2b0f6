"""A whole regional meeting in a real browser: a facilitator, the projector and five phones.

Two themes with open and scale prompts, reveal, +1, dot voting, action points made from the
answers, every export downloaded through the page's own links and opened, a phone that goes
offline mid-answer, the English switch on every main page, and screenshots of it all.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import icalendar
import openpyxl
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from tests.browser import steps
from tests.browser.conftest import LiveServer, Watch

pytestmark = pytest.mark.browser

TITLE = "Regiobijeenkomst sociale veiligheid Utrecht-West"
PEOPLE = [
    # name, organisation, domain; Esra reads English better and switches.
    ("Amira", "Gemeente Utrecht", "gemeente"),
    ("Bas", "Wijkteam Noord", "jeugdhulp"),
    ("Chantal", "Het Utrechts Lyceum", "onderwijs"),
    ("Dirk", "Politie Midden-Nederland", "politie"),
    ("Esra", "JoU Jongerenwerk", "jongerenwerk"),
]
THEME_1 = {
    "Amira": "De visie staat in het convenant met de scholen.",
    "Bas": "Nog niet: ieder werkt vanuit de eigen organisatie.",
    "Chantal": "Op school wel, maar niet samen met de gemeente.",
    "Dirk": "We kennen elkaars visie niet goed genoeg.",
    "Esra": "Jongerenwerk wordt er vaak pas laat bij betrokken.",
}
BAS_EDITED = "Nog niet: ieder werkt vanuit de eigen organisatie, de gemeente pakt het op."
SCORES = {"Amira": 2, "Bas": 2, "Chantal": 3, "Dirk": 4, "Esra": 2}
THEME_2 = {
    "Amira": "We missen cijfers over incidenten buiten schooltijd.",
    "Chantal": "De monitor sociale veiligheid wordt niet gedeeld.",
    "Esra": "Signalen van straat komen niet bij school terecht.",
}
DIRK_DRAFT = "Wij hebben wijkcijfers, "
DIRK_MORE = "maar delen ze nog niet met de scholen."
ITEMS = [
    # title, from answers, owner, organisation, due date, level
    (
        "Monitor sociale veiligheid delen",
        ("Chantal", "Amira"),
        "Amira",
        "Gemeente Utrecht",
        "2027-01-15",
        "preventief",
    ),
    (
        "Wijkcijfers naar de scholen",
        ("Dirk",),
        "Dirk",
        "Politie Midden-Nederland",
        "2027-02-01",
        "",
    ),
    ("Signalenoverleg met jongerenwerk", ("Esra",), "Esra", "JoU Jongerenwerk", "2027-05-20", ""),
]
EXPORTS = [
    "agenda.pdf",
    "agenda.ics",
    "agenda.xlsx",
    "agenda.csv",
    "agenda.md",
    "answers.pdf",
    "answers.md",
    "export.json",
]


@dataclass
class Meeting:
    browser: Browser
    server: LiveServer
    watch: Watch
    downloads: Path
    console: Page = field(init=False)
    projector: Page = field(init=False)
    phones: dict[str, Page] = field(default_factory=dict)
    workshop_id: int = 0
    code: str = ""
    owner_url: str = ""

    def context(self, lang: str = "nl", **options: object) -> BrowserContext:
        made = steps.new_context(self.browser, self.server.base_url, lang, **options)
        self.watch.attach(made)
        return made

    def everyone(self) -> list[Page]:
        return [self.console, self.projector, *self.phones.values()]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.timeout(420)
def test_a_regional_meeting_from_lobby_to_exports(
    browser: Browser, live_server: LiveServer, watch: Watch, tmp_path: Path
) -> None:
    meeting = Meeting(browser, live_server, watch, tmp_path / "downloads")
    try:
        gather(meeting)
        theme_one(meeting)
        theme_two_with_a_phone_offline(meeting)
        action_points_and_dot_voting(meeting)
        every_export_downloaded_and_opened(meeting)
        screenshots_of_every_main_page(meeting)
        english_switch_on_every_main_page(meeting)
        watch.check()
        live_server.assert_no_server_errors()
    finally:
        for context in browser.contexts:
            context.close()


def gather(m: Meeting) -> None:
    facilitator = m.context(viewport={"width": 1366, "height": 900})
    m.console = m.watch.name("console", facilitator.new_page())
    steps.create_first_account(m.console)
    m.workshop_id, m.code = steps.create_workshop(m.console, TITLE, organisation="Utrecht-West")
    beamer = m.context(viewport=steps.BEAMER, storage_state=facilitator.storage_state())
    m.projector = m.watch.name("projector", beamer.new_page())
    m.projector.goto(f"/workshops/{m.workshop_id}/projector")
    expect(m.projector.locator("#projector-stage .join-code")).to_have_text(m.code)
    shoot(m.projector, "projector-lobby-nl")

    for index, (name, organisation, domain) in enumerate(PEOPLE):
        phone = m.watch.name(f"phone-{name}", m.context(phone=True).new_page())
        if index % 2:
            # Typing the code on the join page, or following the link from the QR code.
            phone.goto("/join")
            phone.locator("#code").fill(m.code.lower())
            phone.locator("form[action='/join'] button").click()
            expect(phone).to_have_url(re.compile(rf"/w/{m.code}$"))
        steps.join(phone, m.code, name=name, organisation=organisation, domain=domain)
        m.phones[name] = phone
        expect(m.projector.locator("#projector-stage .lobby-count")).to_contain_text(str(index + 1))

    esra = m.phones["Esra"]
    esra.locator(".language-switch a[hreflang=en]").click()
    expect(esra.locator("html")).to_have_attribute("lang", "en")
    expect(esra.locator("#participant-stage")).to_contain_text("We are about to start")
    expect(m.console.locator("#presence")).to_contain_text("5 deelnemers, 5 nu verbonden")
    expect(m.projector.locator("#projector-stage")).to_contain_text("5 deelnemers binnen")
    expect(m.projector.locator("#projector-stage .domain-counts li")).to_have_count(5)
    shoot(m.projector, "projector-lobby-full-nl")


def theme_one(m: Meeting) -> None:
    steps.act(m.console, "start")
    for page in m.everyone():
        expect(page.locator("#main .theme-label")).to_contain_text(re.compile(r"\b1 (van|of) 6:"))
    expect(m.phones["Esra"].locator("#participant-stage .position")).to_contain_text("Question 1")
    m.console.locator("#timer-seconds").select_option("180")
    steps.act(m.console, "open")
    expect(m.projector.locator("#timer .timer-display")).to_have_text(re.compile(r"^[23]:\d\d$"))

    for name, text in THEME_1.items():
        steps.send_answer(m.phones[name], text)
        expect(
            m.console.locator("#console-answers li.answer").filter(has_text=text)
        ).to_contain_text(name)
    expect(m.console.locator("#console-answers .count")).to_have_text("5")
    expect(m.projector.locator(".answer-count")).to_contain_text("5 van 5 hebben geantwoord")
    expect(m.projector.locator(".answer-card")).to_have_count(0)

    bas = m.phones["Bas"]
    bas.locator("#my-answers summary").click()
    bas.locator("#my-answers textarea").fill(BAS_EDITED)
    bas.locator("#my-answers form button[type=submit]").first.click()
    expect(bas.locator("#flash")).to_have_text("Gewijzigd.")
    expect(m.console.locator("#console-answers")).to_contain_text(BAS_EDITED)

    steps.act(m.console, "reveal")
    wall = m.projector.locator(".answer-wall .answer-card")
    expect(wall).to_have_count(5)
    expect(wall.filter(has_text=BAS_EDITED)).to_have_count(1)
    # Three people recognise Bas's answer, one recognises Amira's.
    for name in ("Amira", "Chantal", "Esra"):
        steps.plus_one(m.phones[name], BAS_EDITED)
    steps.plus_one(m.phones["Dirk"], THEME_1["Amira"])
    expect(wall.filter(has_text=BAS_EDITED)).to_contain_text("+3")
    expect(wall.filter(has_text=THEME_1["Amira"])).to_contain_text("+1")
    expect(
        m.console.locator("#console-answers li.answer").filter(has_text=BAS_EDITED)
    ).to_contain_text("+3")
    # Bas sees his own answer without a button to recognise it.
    own = bas.locator("#room-answers li.answer").filter(has_text=BAS_EDITED)
    expect(own.locator("button.plus-one")).to_be_hidden()
    shoot(m.projector, "projector-answers-nl")
    shoot(m.phones["Esra"], "participant-revealed-en")
    shoot(m.phones["Amira"], "participant-revealed-nl")

    steps.act(m.console, "next")
    steps.act(m.console, "open")
    for name, value in SCORES.items():
        steps.send_score(m.phones[name], value)
    expect(m.console.locator("#console-answers .count")).to_have_text("5")
    steps.act(m.console, "reveal")
    chart = m.projector.locator(".distribution title")
    expect(chart).to_contain_text("1: 0, 2: 3, 3: 1, 4: 1, 5: 0")
    expect(m.phones["Esra"].locator("#room-answers .distribution title")).to_contain_text("2: 3")
    shoot(m.projector, "projector-scale-nl")
    shoot(m.phones["Esra"], "participant-scale-en")


def theme_two_with_a_phone_offline(m: Meeting) -> None:
    # Each theme closes with "Wie zijn aan zet?"; this room makes its action points later.
    steps.act(m.console, "next")
    expect(m.projector.locator("#projector-stage .prompt-text")).to_contain_text("Wie zijn aan zet")
    steps.act(m.console, "next")
    for page in m.everyone():
        expect(page.locator("#main .theme-label")).to_contain_text(re.compile(r"\b2 (van|of) 6:"))
    steps.act(m.console, "open")
    dirk = m.phones["Dirk"]
    expect(dirk.locator("#answer-text")).to_be_visible()

    # Dirk starts typing, loses the network halfway, and keeps typing.
    dirk.locator("#answer-text").press_sequentially(DIRK_DRAFT)
    dirk.context.set_offline(True)
    expect(dirk.locator("#connection")).to_contain_text("Verbinding kwijt")
    dirk.locator("#answer-text").press_sequentially(DIRK_MORE)

    # Meanwhile the room goes on without him.
    for name, text in THEME_2.items():
        steps.send_answer(m.phones[name], text)
    expect(m.console.locator("#console-answers .count")).to_have_text("3")
    expect(dirk.locator("#room-answers")).not_to_contain_text("3 van 5")

    dirk.context.set_offline(False)
    expect(dirk.locator("#connection")).to_contain_text("Weer verbonden")
    # He catches up with what happened, and nothing he typed is lost.
    expect(dirk.locator("#room-answers")).to_contain_text("3 van 5 hebben geantwoord")
    expect(dirk.locator("#answer-text")).to_have_value(DIRK_DRAFT + DIRK_MORE)
    dirk.locator("#answer-form button.primary").click()
    expect(dirk.locator("#my-answers")).to_contain_text(DIRK_DRAFT + DIRK_MORE)
    expect(m.console.locator("#console-answers .count")).to_have_text("4")

    steps.act(m.console, "reveal")
    expect(m.projector.locator(".answer-wall .answer-card")).to_have_count(4)
    steps.plus_one(m.phones["Bas"], THEME_2["Chantal"])
    steps.plus_one(m.phones["Amira"], DIRK_DRAFT + DIRK_MORE)


def action_points_and_dot_voting(m: Meeting) -> None:
    answers = {**THEME_2, "Dirk": DIRK_DRAFT + DIRK_MORE}
    for title, sources, owner, organisation, due, level in ITEMS:
        steps.make_agenda_item(
            m.console,
            title,
            from_answers=tuple(answers[name] for name in sources),
            owner=owner,
            organisation=organisation,
            due=due,
            level=level,
        )
    expect(m.console.locator("#agenda-items li.agenda-item")).to_have_count(3)
    # The projector shows the doe-agenda when the facilitator says so (docs/wall.md).
    m.console.locator("#console-wall form:has(input[value=agenda]) button").click()
    expect(m.projector.locator("#agenda-items")).to_be_visible()
    expect(m.projector.locator("#agenda-items li.agenda-item")).to_have_count(3)

    steps.open_dot_voting(m.console, 3)
    votes = {"Amira": [0, 0, 1], "Bas": [0, 0, 0], "Chantal": [0, 1, 2], "Dirk": [1, 1, 1]}
    for name, picks in votes.items():
        phone = m.phones[name]
        expect(phone.locator("#dot-vote")).to_contain_text("3")
        for pick in picks:
            left = phone.locator("#dot-vote .dots-left strong").inner_text()
            # The list is ordered by dots, so it is found by its title.
            item = phone.locator("#dot-vote ul").first.locator("li").filter(has_text=ITEMS[pick][0])
            item.locator("form:has(input[value=place]) button").click()
            expect(phone.locator("#dot-vote .dots-left strong")).to_have_text(str(int(left) - 1))
        expect(phone.locator("#dot-vote button[disabled]").first).to_be_attached()
    # Most dots first: 6 for the monitor, 5 for the wijkcijfers, 1 for the signalenoverleg.
    first = m.projector.locator("#agenda-items li.agenda-item").first
    expect(first).to_contain_text("Monitor sociale veiligheid delen")
    expect(first).to_contain_text("6 stippen")
    expect(m.console.locator("#agenda-items li.agenda-item").nth(1)).to_contain_text("5 stippen")
    expect(m.console.locator("#agenda-items li.agenda-item").nth(2)).to_contain_text("1 stip")
    shoot(m.phones["Chantal"], "participant-dots-nl")
    shoot(m.phones["Esra"], "participant-dots-en")
    shoot(m.projector, "projector-agenda-nl")


def download(page: Page, name: str, into: Path) -> Path:
    link = page.locator(f".export-links a[href$='/{name}']")
    with page.expect_download() as info:
        link.click()
    done = info.value
    assert done.failure() is None, f"{name}: {done.failure()}"
    assert done.suggested_filename.endswith(name.rsplit(".", 1)[1])
    into.mkdir(parents=True, exist_ok=True)
    path = into / name
    done.save_as(path)
    assert path.stat().st_size > 0, name
    return path


def every_export_downloaded_and_opened(m: Meeting) -> None:
    agenda = m.console
    agenda.goto(f"/workshops/{m.workshop_id}/agenda")
    files = {name: download(agenda, name, m.downloads) for name in EXPORTS}
    titles = [item[0] for item in ITEMS]
    owners = [item[3] for item in ITEMS]

    pdf = flat(" ".join(page.extract_text() for page in PdfReader(files["agenda.pdf"]).pages))
    for text in [*titles, *owners, TITLE]:
        assert text in pdf, f"agenda.pdf lacks {text!r}"

    calendar = icalendar.Calendar.from_ical(files["agenda.ics"].read_bytes())
    events = {str(e["summary"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    for title, _sources, _owner, _org, due, _level in ITEMS:
        matching = [when for summary, when in events.items() if title in summary]
        assert matching == [date.fromisoformat(due)], f"agenda.ics: {title} -> {events}"

    book = openpyxl.load_workbook(files["agenda.xlsx"], read_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    book.close()
    for text in [*titles, *owners, "2027-01-15"]:
        assert any(text in cell for cell in cells), f"agenda.xlsx lacks {text!r}"

    raw = files["agenda.csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV for Excel starts with a BOM"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    for title, _sources, owner, organisation, due, _level in ITEMS:
        row = next((r for r in rows if title in r), None)
        assert row is not None, f"agenda.csv lacks {title!r}"
        assert due in row, row
        assert any(owner in cell for cell in row), row
        assert any(organisation in cell for cell in row), row

    markdown = files["agenda.md"].read_text(encoding="utf-8")
    for text in [*titles, *owners]:
        assert text in markdown, f"agenda.md lacks {text!r}"

    report = flat(" ".join(p.extract_text() for p in PdfReader(files["answers.pdf"]).pages))
    report_md = files["answers.md"].read_text(encoding="utf-8")
    for text in [BAS_EDITED, THEME_2["Esra"], DIRK_DRAFT + DIRK_MORE]:
        assert flat(text) in report, f"answers.pdf lacks {text!r}"
        assert text in report_md, f"answers.md lacks {text!r}"

    archive = json.loads(files["export.json"].read_text(encoding="utf-8"))
    dumped = json.dumps(archive, ensure_ascii=False)
    for text in [*titles, *owners, BAS_EDITED, TITLE]:
        assert text in dumped, f"export.json lacks {text!r}"

    # A personal link for Amira, for her own page.
    m.owner_url = steps.make_owner_link(agenda, "Amira")


def shoot(page: Page, name: str) -> None:
    page.screenshot(path=Watch.screenshot_path(f"meeting-{name}"), full_page=True)


PHONE_SIZES = {"390": steps.PHONE, "320": steps.NARROW_PHONE}


def screenshots_of_every_main_page(m: Meeting) -> None:
    """Every main page, in Dutch and in English, at the sizes it is used at."""
    for lang in ("nl", "en"):
        facilitator = m.context(lang, storage_state=m.console.context.storage_state())
        big = facilitator.new_page()
        big.set_viewport_size(steps.BEAMER)
        for name, path in [
            ("dashboard", "/dashboard"),
            ("console", f"/workshops/{m.workshop_id}"),
            ("projector", f"/workshops/{m.workshop_id}/projector"),
            ("agenda", f"/workshops/{m.workshop_id}/agenda"),
        ]:
            big.goto(path)
            expect(big.locator("html")).to_have_attribute("lang", lang)
            m.watch.assert_images_loaded(big)
            shoot(big, f"{name}-{lang}-1920")
        facilitator.close()

        visitor = m.context(lang, phone=True)
        phone = visitor.new_page()
        participant = m.phones["Esra" if lang == "en" else "Amira"]
        for size, viewport in PHONE_SIZES.items():
            phone.set_viewport_size(viewport)
            participant.set_viewport_size(viewport)
            for name, path in [
                ("home", "/"),
                ("join-code", "/join"),
                ("join", f"/w/{m.code}"),
                ("login", "/login"),
                ("owner", m.owner_url),
                ("privacy", "/privacy"),
            ]:
                phone.goto(path)
                expect(phone.locator("html")).to_have_attribute("lang", lang)
                shoot(phone, f"{name}-{lang}-{size}")
            shoot(participant, f"participant-{lang}-{size}")
        participant.set_viewport_size(steps.PHONE)
        visitor.close()


def english_switch_on_every_main_page(m: Meeting) -> None:
    """Each main page offers the other language; the switch comes back to the same page."""
    facilitator = m.context("nl", storage_state=m.console.context.storage_state())
    visitor = m.context("nl", phone=True)
    pages = [
        (visitor, "/", "Working together on social safety"),
        (visitor, "/join", "Join"),
        (visitor, "/login", "Log in"),
        (visitor, m.owner_url, "My action points"),
        (visitor, "/privacy", "Privacy"),
        (facilitator, "/dashboard", "My meetings"),
        (facilitator, f"/workshops/{m.workshop_id}", "Question"),
        (facilitator, f"/workshops/{m.workshop_id}/projector", "Question"),
        (facilitator, f"/workshops/{m.workshop_id}/agenda", "Action agenda"),
    ]
    tabs = {facilitator: facilitator.new_page(), visitor: visitor.new_page()}
    for context, path, english in pages:
        page = tabs[context]
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        page.locator(".language-switch a[hreflang=en]").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(page.locator("#main")).to_contain_text(english)
        page.locator(".language-switch a[hreflang=nl]").click()
        expect(page.locator("html")).to_have_attribute("lang", "nl")
    # Esra's phone kept English all along, Amira's Dutch.
    expect(m.phones["Esra"].locator("#dot-vote")).to_contain_text("Dot voting")
    expect(m.phones["Amira"].locator("#dot-vote")).to_contain_text("Stemmen met stippen")
