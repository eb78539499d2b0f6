"""The card's own words where people wait and look: intro and tip in the lobby (phone and
projector) and on the console; a scale prompt's legend that does not repeat the prompt."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.decks import Deck
from app.live.render import partial
from app.live.state import load_room
from app.services.facilitation import Action, apply_action
from tests.factories import RecordingPublisher, make_user, make_workshop
from tests.live.helpers import as_cookie, sign_up_and_create

DECK = "nji-beleidsmakers"


def test_the_lobby_shows_the_decks_intro_and_tip(session: Session, decks: dict[str, Deck]) -> None:
    deck = decks[DECK]
    workshop = make_workshop(session, owner=make_user(session), decks=decks, deck_slug=DECK)
    room = load_room(session=session, workshop_id=workshop.id)
    assert room is not None
    phone = partial("_participant_stage", room=room, audience="participant")
    projector = partial("_projector_stage", room=room, audience="projector")
    for html in (phone, projector):
        assert deck.intro[:60] in html and deck.tip[:60] in html
    apply_action(
        session=session, publisher=RecordingPublisher(), workshop=workshop, action=Action.start
    )
    started = load_room(session=session, workshop_id=workshop.id)
    assert started is not None
    # Once the conversation runs, the prompt has the screen.
    assert deck.tip[:60] not in partial("_participant_stage", room=started, audience="participant")


def test_the_console_has_the_card_note_folded(client: TestClient, decks: dict[str, Deck]) -> None:
    cookie, wid, _code = sign_up_and_create(client)
    as_cookie(client, cookie)
    page = client.get(f"/workshops/{wid}").text
    note = page.split('<details class="card deck-note" id="deck-note">', 1)[1].split("</details>")[
        0
    ]
    assert "Over deze kaart: inleiding en tip" in note
    assert decks[DECK].tip[:60] in note


def test_a_scale_legend_says_what_1_and_5_mean_without_repeating_the_prompt(
    session: Session, decks: dict[str, Deck]
) -> None:
    workshop = make_workshop(session, owner=make_user(session), decks=decks, deck_slug=DECK)
    publisher = RecordingPublisher()
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.start)
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.next)
    room = load_room(session=session, workshop_id=workshop.id)
    assert room is not None and room.prompt is not None and room.prompt.kind == "scale"
    html = partial("_prompt_heading", room=room)
    hint = html.split('<p class="scale-hint">', 1)[1].split("</p>", 1)[0]
    assert hint == "1 = nog geen gezamenlijke visie · 5 = gedeeld en vastgelegd"
