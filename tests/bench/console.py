"""`make bench` part: the facilitator's console with 500 answers in Chromium.

python -m tests.bench.console [--n 500]
Prints the console's first paint, a filter over every answer, and the time from a phone's
"Antwoord versturen" to the answer in the console's (filtered) list. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlmodel import select

from app.db import Database
from app.decks import CARDS_DIR, load_decks
from app.events import NullPublisher
from app.models import Domain, ParticipantCreate, WorkshopPrompt
from app.services import participation, roster
from app.services.facilitation import Action, apply_action
from tests.browser import steps
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, serve
from tests.factories import make_user, make_workshop

DOMAINS = list(Domain)
FILTER = """(word) => {
  const box = document.getElementById("answer-search");
  const t0 = performance.now();
  box.value = word;
  box.dispatchEvent(new Event("input", {bubbles: true}));
  const shown = document.querySelectorAll("#console-answer-list > li.answer:not([hidden])").length;
  return [performance.now() - t0, shown];
}"""


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def fill(directory: Path, n: int) -> tuple[int, str]:
    db = Database(f"sqlite:///{directory}/e2e.db")
    try:
        with db.writing() as session:
            owner = make_user(session, email=steps.EMAIL)
            workshop = make_workshop(session, owner=owner, decks=load_decks(CARDS_DIR))
            for action in (Action.start, Action.open):
                apply_action(
                    session=session, publisher=NullPublisher(), workshop=workshop, action=action
                )
            prompt = session.exec(
                select(WorkshopPrompt).where(
                    WorkshopPrompt.workshop_id == workshop.id, WorkshopPrompt.position == 0
                )
            ).one()
            for i in range(n):
                person, _ = roster.join(
                    session=session,
                    publisher=NullPublisher(),
                    workshop=workshop,
                    data=ParticipantCreate(
                        name=f"Deelnemer {i}", organisation="Org", domain=DOMAINS[i % 8]
                    ),
                )
                participation.submit_answer(
                    session=session,
                    publisher=NullPublisher(),
                    participant=person,
                    prompt_id=prompt.id or 0,
                    idempotency_key=secrets.token_hex(8),
                    text=f"Antwoord {i}: de wijkagent en de school delen signalen eerder.",
                )
            return workshop.id or 0, workshop.join_code
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp)) as server:
        workshop_id, code = fill(Path(tmp), args.n)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = browser.new_context(
                base_url=server.base_url, locale="nl-NL", viewport={"width": 1366, "height": 768}
            )
            console = context.new_page()
            steps.log_in(console)
            paints = []
            for _ in range(3):
                console.goto(f"/workshops/{workshop_id}")
                console.wait_for_function(
                    "(n) => document.querySelectorAll('#console-answer-list li').length >= n",
                    arg=args.n,
                )
                paints.append(
                    console.evaluate(
                        "performance.getEntriesByName('first-contentful-paint')[0].startTime"
                    )
                )
            out(f"console with {args.n} answers at 1366x768 (Chromium)")
            out(f"  first contentful paint ms (3 loads): {', '.join(f'{v:.0f}' for v in paints)}")
            filters = [console.evaluate(FILTER, w) for w in ("wijkagent", "Antwoord 1", "", "zzz")]
            out(
                "  filter over every answer ms: "
                + ", ".join(f"{ms:.1f} ({shown} shown)" for ms, shown in filters)
            )
            console.evaluate(FILTER, "laatkomer")
            phone = browser.new_context(base_url=server.base_url, locale="nl-NL").new_page()
            steps.join(phone, code, name="Laatkomer", organisation="Org", domain="politie")
            pushes = []
            for i in range(5):
                text = f"De laatkomer {i} zegt ook iets."
                phone.locator("#answer-text").fill(text)
                t0 = console.evaluate("performance.timeOrigin + performance.now()")
                phone.locator("#answer-form button.primary").click()
                console.wait_for_function(
                    "(t) => Array.from(document.querySelectorAll("
                    "'#console-answer-list li.answer:not([hidden])'))"
                    ".some((li) => li.textContent.includes(t))",
                    arg=text,
                )
                pushes.append(console.evaluate("performance.timeOrigin + performance.now()") - t0)
                phone.wait_for_function(
                    "(t) => document.getElementById('my-answers').textContent.includes(t)",
                    arg=text,
                )
            out(
                f"  phone click -> shown in filtered console list ms: median "
                f"{statistics.median(pushes):.0f}, max {max(pushes):.0f} (5 answers)"
            )
            browser.close()


if __name__ == "__main__":
    main()
