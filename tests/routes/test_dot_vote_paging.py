"""Dots on answers in a big room: a phone gets a short list, and can still dot any answer."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.decks import Deck
from app.live.state import PHONE_PAGE
from app.models import Workshop
from app.services import voting
from app.services.facilitation import Action, apply_action
from tests.conftest import csrf_of
from tests.factories import (
    RecordingPublisher,
    make_answer,
    make_participant,
    make_user,
    make_workshop,
    open_first_prompt,
)
from tests.live.helpers import as_cookie, join

ROOM = 300


def _dot_vote(page: str) -> str:
    found = re.search(r'<section id="dot-vote".*?</section>', page, re.S)
    assert found, "no dot-vote fragment"
    return found.group(0)


def _place_targets(html: str) -> list[int]:
    forms = re.findall(r"<form.*?</form>", html, re.S)
    return [
        int(m.group(1))
        for form in forms
        if 'value="place"' in form
        and (m := re.search(r'name="answer_id" value="(\d+)"', form)) is not None
    ]


def _big_room(session: Session, decks: dict[str, Deck]) -> Workshop:
    workshop = make_workshop(session, owner=make_user(session), decks=decks)
    open_first_prompt(session, workshop)
    for n in range(ROOM):
        person, _ = make_participant(session, workshop=workshop, name=f"Deelnemer {n}")
        make_answer(session, participant=person, text=f"Antwoord nummer {n}")
    publisher = RecordingPublisher()
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.reveal)
    voting.set_dots(
        session=session, publisher=publisher, workshop=workshop, dots=3, vote_on="answers"
    )
    return workshop


def test_a_phone_gets_a_page_of_answers_and_can_dot_one_beyond_it(
    client: TestClient, session: Session, decks: dict[str, Deck]
) -> None:
    workshop = _big_room(session, decks)
    code = workshop.join_code
    as_cookie(client, join(client, code, name="Telefoon"))
    page = client.get(f"/w/{code}").text
    first = _place_targets(_dot_vote(page))
    assert 0 < len(first) <= PHONE_PAGE
    assert f"/w/{code}/answers?page=2" in _dot_vote(page)
    # The paged answers page carries dot buttons for answers the short list left out.
    later = client.get(f"/w/{code}/answers?page=10")
    assert later.status_code == 200
    beyond = [a for a in _place_targets(later.text) if a not in first]
    assert beyond
    target = beyond[0]
    placed = client.post(
        f"/w/{code}/dots",
        data={
            "op": "place",
            "answer_id": str(target),
            "back_page": "10",
            "csrf_token": csrf_of(later.text),
        },
        follow_redirects=False,
    )
    assert placed.status_code == 303
    assert placed.headers["location"] == f"/w/{code}/answers?page=10"
    # Back on the phone's own page the dotted answer is there, with a button to take it back.
    fragment = _dot_vote(client.get(f"/w/{code}").text)
    assert target in _place_targets(fragment)
    assert len(_place_targets(fragment)) <= PHONE_PAGE + 1
    assert 'value="remove"' in fragment
    assert "Stippen over: <strong>2</strong> van 3" in fragment
