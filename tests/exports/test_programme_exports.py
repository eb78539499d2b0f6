"""The answers report follows the workshop's programme: its order, its own prompts."""

from __future__ import annotations

from sqlmodel import Session

from app.decks import Deck
from app.exports import report
from app.exports.pdf import _html
from app.services.programme import OwnPrompt, set_programme
from app.services.report import load_report
from app.services.workshops import prompts_of
from tests.factories import RecordingPublisher, make_user, make_workshop


def test_markdown_and_pdf_follow_the_programme_with_the_own_prompt_marked(
    session: Session, decks: dict[str, Deck]
) -> None:
    deck = decks["nji-beleidsmakers"]
    workshop = make_workshop(session, owner=make_user(session), decks=decks)
    prompts = prompts_of(session=session, workshop_id=workshop.id or 0)
    chosen = [prompts[9], prompts[2]]
    own = OwnPrompt(text="Wat spreken we vandaag af?", kind="open", theme=1)
    set_programme(
        session=session,
        publisher=RecordingPublisher(),
        workshop=workshop,
        items=[chosen[0].id or 0, own, chosen[1].id or 0],
        deck=deck,
    )

    loaded = load_report(session=session, workshop=workshop)
    text = report.answers_md(loaded)

    headings = [line[4:] for line in text.splitlines() if line.startswith("### ")]
    assert headings == [chosen[0].text, "Wat spreken we vandaag af?", chosen[1].text]
    after_own = text.split("### Wat spreken we vandaag af?", 1)[1].split("###", 1)[0]
    assert "*Eigen vraag, niet van de kaart*" in after_own
    assert text.count("Eigen vraag, niet van de kaart") == 1
    html = _html("exports/answers_print.html", report=loaded)
    assert html.count("Eigen vraag, niet van de kaart") == 1
    assert html.index(chosen[0].text) < html.index("Wat spreken we vandaag af?")
