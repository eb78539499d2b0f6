"""Held for review: a flagged answer reaches the projector and the other phones only after a
facilitator releases it, also when the prompt is already revealed (issue 13, defect 1)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlmodel import col, select

from app.db import Database
from app.models import Answer
from tests.conftest import csrf_of
from tests.live.helpers import as_cookie
from tests.live.test_incremental import SECTIONS, Room, live_room
from tests.routes import api_helpers as api

PHONE = "Bel de moeder op 06-12345678"
ROOM = ("projector", "phone1", "phone2")


def send_anyway(room: Room, phone: int, text: str, key: str) -> None:
    """Send, get the warning, press "Toch versturen"."""
    view = room.views[f"phone{phone}"]
    message = {
        "type": "answer",
        "prompt_id": room.prompt_id(),
        "text": text,
        "idempotency_key": key,
    }
    view.ws.send_text(json.dumps(message))
    assert "pii-warning" in view.reply()
    view.ws.send_text(json.dumps({**message, "confirm_pii": "1"}))
    assert "Verstuurd." in view.reply()


def answer_id(db: Database, text: str) -> int:
    with db.reading() as session:
        found = session.exec(select(Answer.id).where(Answer.text == text)).one()
    assert found is not None
    return found


def moderate(room: Room, answer: int, *, hidden: bool) -> None:
    """The console's "Vrijgeven" (hidden=false) or "Verbergen" (hidden=true) button."""
    as_cookie(room.client, room.cookie)
    page = room.client.get(f"/workshops/{room.workshop_id}")
    response = room.client.post(
        f"/workshops/{room.workshop_id}/answers/{answer}/visibility",
        data={"hidden": "true" if hidden else "false"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(page.text)},
    )
    room.client.cookies.clear()
    assert response.status_code == 204, response.text


def room_shows(room: Room, name: str) -> str:
    return room.views[name].fragment(SECTIONS.get(name, "room-answers"))


def test_sent_anyway_under_reveal_waits_for_release(client: TestClient, db: Database) -> None:
    with live_room(client, db) as room:
        room.reveal_first_prompt()
        send_anyway(room, 0, PHONE, "held-key-0001")
        # An ordinary answer after it: once that is on every screen, so would the held one be.
        room.answer(1, "Vaker samen aan tafel", "held-key-0002")
        room.settle("Vaker samen aan tafel")
        for name in ROOM:
            assert "06-12345678" not in room_shows(room, name), name
            assert all("06-12345678" not in m for m in room.views[name].messages), name
        console = room.views["facilitator"].fragment("console-answers")
        assert PHONE in console and "Wacht op controle" in console and "Vrijgeven" in console
        # The author sees their own answer, marked.
        mine = room.views["phone0"].fragment("my-answers")
        assert PHONE in mine and "wacht op controle" in mine

        moderate(room, answer_id(db, PHONE), hidden=False)
        for name in ROOM:
            room.views[name].until(lambda v, n=name: "06-12345678" in room_shows(room, n))
        room.views["facilitator"].until(
            lambda v: "Wacht op controle" not in v.fragment("console-answers")
        )
        room.views["phone0"].until(lambda v: "wacht op controle" not in v.fragment("my-answers"))
        room.assert_every_view_equals_a_snapshot()


def test_hidden_on_review_never_reaches_the_room(client: TestClient, db: Database) -> None:
    with live_room(client, db) as room:
        room.reveal_first_prompt()
        send_anyway(room, 0, "Mail de vader op jan.devries@gmail.com", "held-key-0011")
        moderate(room, answer_id(db, "Mail de vader op jan.devries@gmail.com"), hidden=True)
        room.views["facilitator"].until(
            lambda v: "Dit antwoord weer tonen" in v.fragment("console-answers")
        )
        room.answer(1, "Eerst de mentor", "held-key-0012")
        room.settle("Eerst de mentor")
        for name in ROOM:
            assert all("jan.devries" not in m for m in room.views[name].messages), name
        with db.reading() as session:
            stored = session.exec(select(Answer).where(col(Answer.text).contains("jan."))).one()
        assert (stored.hidden, stored.held) == (True, False)


def test_edited_into_personal_data_under_reveal_leaves_the_room(
    client: TestClient, db: Database
) -> None:
    with live_room(client, db) as room:
        room.reveal_first_prompt()
        room.answer(0, "Meer overleg met de wijkagent", "held-key-0021")
        room.settle("Meer overleg met de wijkagent")
        edited = answer_id(db, "Meer overleg met de wijkagent")
        author = room.views["phone0"]
        edit = {"type": "edit", "answer_id": edited, "text": "Leerling Daan, 06 1234 5678"}
        author.ws.send_text(json.dumps(edit))
        assert "pii-warning" in author.reply()
        author.ws.send_text(json.dumps({**edit, "confirm_pii": "1", "from_warning": "1"}))
        assert "Gewijzigd." in author.reply()
        for name in ROOM:
            room.views[name].until(
                lambda v, n=name: "Meer overleg met de wijkagent" not in room_shows(room, n)
            )
        room.answer(1, "Een vaste contactpersoon", "held-key-0022")
        room.settle("Een vaste contactpersoon")
        for name in ROOM:
            assert all("1234 5678" not in m for m in room.views[name].messages), name
        assert "Wacht op controle" in room.views["facilitator"].fragment("console-answers")
        moderate(room, edited, hidden=False)
        room.settle("Leerling Daan, 06 1234 5678")


def test_the_api_holds_and_releases_too(client: TestClient, db: Database) -> None:
    with live_room(client, db) as room:
        room.reveal_first_prompt()
        boss = api.facilitator_token(client)
        me, _ = api.join(client, room.code, name="Via API")
        body = {"prompt_id": room.prompt_id(), "text": "BSN 123 456 782"}
        status, stored = api.answer(
            client, me, room.workshop_id, **body, idempotency_key="held-api-01",
            confirm_personal_data=True,
        )  # fmt: skip
        assert status == 201, stored
        assert stored["held"] is True and stored["personal_data"] == ["bsn"]
        room.answer(1, "Via de telefoon", "held-api-02")
        room.settle("Via de telefoon")
        for name in ROOM:
            assert all("456 782" not in m for m in room.views[name].messages), name
        listed = client.get(f"/api/v1/workshops/{room.workshop_id}/answers", headers=boss).json()
        assert [a["held"] for a in listed if a["text"] == "BSN 123 456 782"] == [True]

        # A participant cannot release their own answer.
        path = f"/api/v1/workshops/{room.workshop_id}/answers/{stored['id']}/visibility"
        assert client.post(path, json={"hidden": False}, headers=me).status_code in (401, 403)
        released = client.post(path, json={"hidden": False}, headers=boss)
        assert released.status_code == 200, released.text
        assert (released.json()["held"], released.json()["hidden"]) == (False, False)
        room.settle("BSN 123 456 782")
