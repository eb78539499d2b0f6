"""A phone votes on answer groups: the console offers groups, the phone lists them as targets."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.agenda_models import DotVote
from app.decks import Deck
from app.models import User
from app.services import groups, voting
from app.services.facilitation import Action, apply_action
from app.services.groups import GroupInput
from tests.conftest import csrf_of
from tests.factories import (
    RecordingPublisher,
    make_answer,
    make_participant,
    make_workshop,
    open_first_prompt,
)
from tests.live.helpers import as_cookie, join, sign_up_and_create


def test_a_phone_places_a_dot_on_a_group(
    client: TestClient, session: Session, decks: dict[str, Deck]
) -> None:
    cookie, wid, _code = sign_up_and_create(client)
    as_cookie(client, cookie)
    console = client.get(f"/workshops/{wid}").text
    assert 'name="vote_on" value="groups"' in console
    owner = session.exec(select(User)).one()
    workshop = make_workshop(session, owner=owner, decks=decks)
    sanne, _ = make_participant(session, workshop=workshop)
    open_first_prompt(session, workshop)
    answer = make_answer(session, participant=sanne, text="Samen optrekken met de wijk")
    publisher = RecordingPublisher()
    groups.save_groups(
        session=session,
        publisher=publisher,
        workshop=workshop,
        prompt_id=answer.prompt_id,
        groups=[GroupInput(label="Samenwerken", answer_ids=(answer.id or 0,))],
    )
    apply_action(session=session, publisher=publisher, workshop=workshop, action=Action.reveal)
    voting.set_dots(
        session=session, publisher=publisher, workshop=workshop, dots=2, vote_on="groups"
    )
    code = workshop.join_code
    client.cookies.clear()
    as_cookie(client, join(client, code, name="Telefoon"))
    page = client.get(f"/w/{code}").text
    assert "Groepen bij deze vraag" in page and "Samenwerken" in page
    group_id = re.search(r'name="group_id" value="(\d+)"', page)
    assert group_id
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_of(page)}
    data = {"op": "place", "group_id": group_id.group(1)}
    assert client.post(f"/w/{code}/dots", data=data, headers=headers).status_code == 204
    wrong = client.post(
        f"/w/{code}/dots", data={"op": "place", "answer_id": str(answer.id)}, headers=headers
    )
    assert wrong.status_code == 409 and "groepen" in wrong.text
    session.expire_all()
    votes = session.exec(select(DotVote)).all()
    assert [(v.group_id, v.count) for v in votes] == [(int(group_id.group(1)), 1)]
    after = client.get(f"/w/{code}").text
    assert "Stippen over: <strong>1</strong> van 2" in after
    assert "Zet je stippen op de groepen" in after
