"""axe-core (WCAG 2.1 A and AA) on every page and every live state, in Dutch and in English.

One server for the module. The first test sees the site before anyone has an account (the
first-run setup page); the second runs a workshop through its states with a console, a
projector and a phone in each language, and audits every page at every step.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser import steps
from tests.browser.axe import Audit
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

LANGS = ("nl", "en")
OPEN_ANSWER = "We hebben een visie, maar die is niet gedeeld met het jongerenwerk."
OTHER_ANSWER = "Elke school werkt met een eigen plan."


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Closes every context a test opened, also when it fails."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def context(
    opened: list[BrowserContext], browser: Browser, server: LiveServer, lang: str, **options: object
) -> BrowserContext:
    # axe is injected as a script tag; our CSP (script-src 'self') would refuse it.
    made = steps.new_context(browser, server.base_url, lang, bypass_csp=True, **options)
    opened.append(made)
    return made


def visit(page: Page, path: str, lang: str) -> Page:
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    return page


def test_public_pages_and_first_run_setup(
    browser: Browser, module_server: LiveServer, contexts: list[BrowserContext]
) -> None:
    audit = Audit()
    visitors = {lang: context(contexts, browser, module_server, lang).new_page() for lang in LANGS}
    for lang, page in visitors.items():
        visit(page, "/setup", lang)
        audit.check(f"first-run setup [{lang}]", page)

    steps.create_first_account(context(contexts, browser, module_server, "nl").new_page())

    for lang, page in visitors.items():
        for path, name in [
            ("/", "home"),
            ("/login", "login"),
            ("/privacy", "privacy"),
            ("/join", "join by code"),
        ]:
            audit.check(f"{name} [{lang}]", visit(page, path, lang))
        # The states with an error message.
        visit(page, "/join?code=NOPE42", lang)
        expect(page.locator(".error-text")).to_be_visible()
        audit.check(f"join by code, unknown code [{lang}]", page)
        page.goto("/login")
        page.locator("#email").fill(steps.EMAIL)
        page.locator("#password").fill("not the password")
        steps.submit(page.locator("form[action='/login']"))
        expect(page.locator(".error-text")).to_be_visible()
        audit.check(f"login, wrong password [{lang}]", page)

    for lang in LANGS:
        page = context(contexts, browser, module_server, lang).new_page()
        steps.log_in(page)
        audit.check(f"dashboard, empty [{lang}]", visit(page, "/dashboard", lang))
        audit.check(f"new workshop [{lang}]", visit(page, "/workshops/new", lang))
        audit.check(f"home, signed in [{lang}]", visit(page, "/", lang))
        page.goto("/workshops/999999")
        expect(page.locator(".error-text")).to_be_visible()
        audit.check(f"error page [{lang}]", page)
    audit.assert_clean()


@pytest.mark.timeout(300)
def test_every_live_state_agenda_and_owner_page(
    browser: Browser, module_server: LiveServer, contexts: list[BrowserContext]
) -> None:
    audit = Audit()
    consoles: dict[str, Page] = {}
    projectors: dict[str, Page] = {}
    phones: dict[str, Page] = {}
    for lang in LANGS:
        page = context(contexts, browser, module_server, lang).new_page()
        steps.log_in(page)
        consoles[lang] = page
    workshop_id, code = steps.create_workshop(
        consoles["nl"], "Regiobijeenkomst Utrecht-West", organisation="Regio Utrecht-West"
    )
    console_path = f"/workshops/{workshop_id}"
    for lang in LANGS:
        visit(consoles[lang], console_path, lang)
        beamer = context(
            contexts,
            browser,
            module_server,
            lang,
            viewport=steps.BEAMER,
            storage_state=consoles[lang].context.storage_state(),
        )
        projectors[lang] = visit(beamer.new_page(), f"{console_path}/projector", lang)
        phone = context(contexts, browser, module_server, lang, viewport=steps.PHONE)
        phones[lang] = visit(phone.new_page(), f"/w/{code}", lang)
        audit.check(f"join form [{lang}]", phones[lang])
    steps.join(phones["nl"], code, name="Amira", organisation="Gemeente Utrecht", domain="gemeente")
    steps.join(phones["en"], code, name="Ben", organisation="Politie", domain="politie")
    for page in consoles.values():
        expect(page.locator("#presence")).to_contain_text("2")

    def audit_all(state: str, *, phones_too: bool = True) -> None:
        for lang in LANGS:
            audit.check(f"console, {state} [{lang}]", consoles[lang])
            audit.check(f"projector, {state} [{lang}]", projectors[lang])
            if phones_too:
                audit.check(f"participant, {state} [{lang}]", phones[lang])

    audit_all("lobby")
    for lang in LANGS:
        audit.check(
            f"dashboard with a workshop [{lang}]", visit(consoles[lang], "/dashboard", lang)
        )
        visit(consoles[lang], console_path, lang)

    console = consoles["nl"]
    steps.act(console, "start")
    steps.act(console, "open")
    for page in [*phones.values(), *projectors.values()]:
        expect(page.locator("#main .prompt-text")).to_be_visible()
    for page in phones.values():
        expect(page.locator("#answer-text")).to_be_visible()
    audit_all("open prompt")

    steps.send_answer(phones["nl"], OPEN_ANSWER)
    steps.send_answer(phones["en"], OTHER_ANSWER)
    for page in phones.values():
        # The edit form of one's own answer, unfolded.
        page.locator("#my-answers details.edit summary").first.click()
        expect(page.locator("#my-answers details.edit textarea").first).to_be_visible()
    for page in consoles.values():
        expect(page.locator("#console-answers .count")).to_have_text("2")
    audit_all("answered")

    steps.act(console, "reveal")
    for page in projectors.values():
        expect(page.locator(".answer-wall .answer-card")).to_have_count(2)
    steps.plus_one(phones["en"], OPEN_ANSWER)
    for page in phones.values():
        expect(page.locator("#room-answers li.answer")).to_have_count(2)
    audit_all("revealed answers")

    steps.act(console, "next")
    steps.act(console, "open")
    for page in phones.values():
        expect(page.locator("#answer-form input[name=value]")).to_have_count(5)
    audit_all("scale prompt")
    steps.send_score(phones["nl"], 2)
    steps.send_score(phones["en"], 4)
    steps.act(console, "reveal")
    for page in [*projectors.values(), *phones.values()]:
        expect(page.locator(".distribution")).to_be_visible()
    audit_all("scale prompt, revealed")

    steps.act(console, "previous")
    expect(console.locator("#console-answers")).to_contain_text(OPEN_ANSWER)
    steps.make_agenda_item(
        console,
        "Visie sociale veiligheid delen met het jongerenwerk",
        from_answers=(OPEN_ANSWER,),
        owner="Amira",
        organisation="Gemeente Utrecht",
        due="2026-11-15",
        level="sterke_basis",
    )
    steps.make_agenda_item(
        console,
        "Overzicht van de schoolveiligheidsplannen",
        owner="Ben",
        organisation="Politie",
        due="2026-10-01",
        level="preventief",
    )
    steps.open_dot_voting(console, 3)
    for page in phones.values():
        # Only the two items: the vote is on actiepunten, never mixed with answers.
        expect(page.locator("#dot-vote li.answer")).to_have_count(2)
        expect(page.locator("#vote-banner .vote-banner")).to_be_visible()
    phones["nl"].locator("#dot-vote li.answer").first.locator(
        "form:has(input[name=op][value=place]) button"
    ).click()
    expect(phones["nl"].locator("#dot-vote .dots-left strong")).to_have_text("2")
    audit_all("dot voting")

    for lang in LANGS:
        page = visit(consoles[lang], f"{console_path}/results", lang)
        expect(page.locator("svg[role=img]").first).to_be_visible()
        audit.check(f"results: self-assessments per theme [{lang}]", page)

    agenda_path = f"{console_path}/agenda"
    for lang in LANGS:
        page = visit(consoles[lang], agenda_path, lang)
        expect(page.locator("#agenda-matrix table")).to_be_visible()
        expect(page.locator("#agenda-timeline svg")).to_be_visible()
        expect(page.locator(".export-links a")).to_have_count(8)
        audit.check(f"agenda: items, matrix, timeline, exports [{lang}]", page)
    agenda = consoles["nl"]
    owner_path = steps.make_owner_link(agenda, "Amira")
    audit.check("agenda, owner link just made [nl]", agenda)
    for lang in LANGS:
        owner_page = context(contexts, browser, module_server, lang, viewport=steps.PHONE)
        page = visit(owner_page.new_page(), owner_path, lang)
        expect(page.locator(".card")).to_have_count(1)
        audit.check(f"owner page [{lang}]", page)
        edit = consoles[lang].locator(".edit-links a").first
        edit.click()
        expect(consoles[lang]).to_have_url(re.compile(r"/edit$"))
        audit.check(f"agenda item edit [{lang}]", consoles[lang])
        audit.check(
            f"workshop delete [{lang}]", visit(consoles[lang], f"{console_path}/delete", lang)
        )
    audit.assert_clean()


def test_the_audit_itself_finds_violations(
    browser: Browser, contexts: list[BrowserContext]
) -> None:
    """A clean result means something only if a broken page fails."""
    made = browser.new_context()
    contexts.append(made)
    page = made.new_page()
    page.set_content(
        '<html><body><main><input type="text"><button></button>'
        '<p style="color:#bbb;background:#fff">faint</p></main></body></html>'
    )
    audit = Audit()
    audit.check("broken page", page)
    rules = {line.split(": ", 1)[1].split(" ", 1)[0] for line in audit.problems}
    assert {"label", "button-name", "color-contrast", "html-has-lang"} <= rules, audit.problems
    with pytest.raises(AssertionError, match="serious or critical"):
        audit.assert_clean()
