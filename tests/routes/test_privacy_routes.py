"""Privacy through the real app: the personal-data warning, anonymity, retention text,
deleting a workshop, and the privacy page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import select

from app.db import Database
from app.models import Answer, Participant, Reaction, Workshop, WorkshopFacilitator, WorkshopPrompt
from tests.conftest import BACKEND, csrf_of
from tests.factories import PASSWORD, make_user
from tests.live.helpers import (
    PhoneRoom,
    act,
    as_cookie,
    join,
    prompt_id_in,
    receive_until,
    sign_up_and_create,
    take_cookie,
)
from tests.routes.api_helpers import answer, bearer, create_workshop, facilitator_token

PHONE = "Bel de moeder van leerling Jan op 06-12345678"


def send(ws: object, prompt_id: int, text: str, key: str, **extra: str) -> None:
    message = {"type": "answer", "prompt_id": str(prompt_id), "text": text, "idempotency_key": key}
    ws.send_text(json.dumps({**message, **extra}))  # type: ignore[attr-defined]


def test_personal_data_is_held_back_until_the_participant_confirms(
    client: TestClient, db: Database
) -> None:
    facilitator, workshop_id, code = sign_up_and_create(client)
    sanne = join(client, code, name="Sanne")
    act(client, facilitator, workshop_id, "start")
    act(client, facilitator, workshop_id, "open")
    with (
        client.websocket_connect(
            f"/ws/workshops/{workshop_id}/facilitator", headers={"cookie": facilitator}
        ) as console,
        client.websocket_connect(f"/ws/w/{code}", headers={"cookie": sanne}) as phone,
    ):
        receive_until(console, lambda m: 'id="console-stage"' in m)
        prompt_id = prompt_id_in(receive_until(phone, lambda m: 'name="prompt_id"' in m))

        send(phone, prompt_id, PHONE, "pii-key-0001")
        warning = receive_until(phone, lambda m: "pii-warning" in m)
        assert "mogelijk persoonsgegevens" in warning
        assert "een telefoonnummer" in warning
        assert "een naam" in warning
        assert 'name="confirm_personal_data" value="1"' in warning
        assert "Toch versturen" in warning
        # The text comes back in the form, to edit; nothing was stored.
        assert f">{PHONE}</textarea>" in warning
        with db.reading() as session:
            assert session.exec(select(Answer)).all() == []

        send(phone, prompt_id, PHONE, "pii-key-0002", confirm_pii="1")
        receive_until(phone, lambda m: "Verstuurd" in m)
        flagged = receive_until(console, lambda m: "Bel de moeder" in m)
        assert "mogelijk persoonsgegevens" in flagged
        assert "een telefoonnummer" in flagged

        send(phone, prompt_id, "Vaker samen aan tafel", "pii-key-0003")
        receive_until(phone, lambda m: "Verstuurd" in m)
    with db.reading() as session:
        stored = {a.text: a.pii_reasons for a in session.exec(select(Answer)).all()}
    assert stored == {PHONE: "phone,name", "Vaker samen aan tafel": None}


def test_the_api_answers_422_with_the_kinds_until_confirmed(client: TestClient) -> None:
    sign_up_and_create(client)
    owner = facilitator_token(client)
    workshop = create_workshop(client, owner)
    wid = workshop["id"]
    for action in ("start", "open"):
        client.post(f"/api/v1/workshops/{wid}/actions", json={"action": action}, headers=owner)
    joined = client.post("/api/v1/join", json={"code": workshop["join_code"]}).json()
    me = bearer(joined["access_token"])
    prompt_id = client.get(f"/api/v1/workshops/{wid}/prompt", headers=me).json()["prompt"]["id"]
    body = {"prompt_id": prompt_id, "text": "BSN 111222333", "idempotency_key": "api-pii-01"}
    status, refused = answer(client, me, wid, **body)
    assert status == 422
    assert refused["personal_data"] == ["bsn"]
    assert "persoonsgegevens" in refused["detail"]
    assert client.get(f"/api/v1/workshops/{wid}/answers", headers=owner).json() == []
    status, stored = answer(client, me, wid, **body, confirm_personal_data=True)
    assert status == 201
    assert stored["personal_data"] == ["bsn"]
    listed = client.get(f"/api/v1/workshops/{wid}/answers", headers=owner).json()
    assert [a["personal_data"] for a in listed] == [["bsn"]]


def test_an_anonymous_workshop_asks_stores_and_shows_no_names(
    client: TestClient, db: Database
) -> None:
    facilitator, _wid, _code = sign_up_and_create(client)
    as_cookie(client, facilitator)
    page = client.get("/workshops/new")
    assert 'name="anonymous"' in page.text
    created = client.post(
        "/workshops",
        data={
            "title": "Anoniem overleg",
            "deck_slug": "nji-beleidsmakers",
            "kind": "regional",
            "school_year": "2026-2027",
            "anonymous": "true",
            "retention_days": "30",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    workshop_id = int(created.headers["location"].rsplit("/", 1)[1])
    console = client.get(f"/workshops/{workshop_id}").text
    assert "Anoniem: er worden geen namen gevraagd of bewaard." in console
    code_match = re.search(r'class="join-code"[^>]*>([A-Z0-9]+)<', console)
    assert code_match
    code = code_match.group(1)
    client.cookies.clear()

    form = client.get(f"/w/{code}").text
    assert 'name="name"' not in form
    assert "we vragen en bewaren geen namen" in form
    join(client, code, name="Sanne de Vries")
    with db.reading() as session:
        names = session.exec(select(Participant.name).where(Participant.workshop_id == workshop_id))
        assert list(names) == [None]
        stored = session.get(Workshop, workshop_id)
        assert stored is not None and stored.anonymous and stored.retention_days == 30
    as_cookie(client, facilitator)
    assert "Sanne" not in client.get(f"/workshops/{workshop_id}").text


def test_the_console_and_dashboard_say_when_answers_are_purged(client: TestClient) -> None:
    facilitator, workshop_id, _code = sign_up_and_create(client)
    as_cookie(client, facilitator)
    console = client.get(f"/workshops/{workshop_id}")
    # School year 2026-2027 ends 31 July 2027; 90 days later, from 30 October, it is gone.
    assert "worden gewist op <strong>30 oktober 2027</strong>" in console.text
    assert "antwoorden worden gewist op 30 oktober 2027" in client.get("/dashboard").text
    changed = client.post(
        f"/workshops/{workshop_id}/privacy",
        data={"retention_days": "0", "csrf_token": csrf_of(console.text)},
    )
    assert "worden gewist op <strong>1 augustus 2027</strong>" in changed.text
    assert "Privacy-instellingen opgeslagen." in changed.text


def login_as(client: TestClient, email: str) -> str:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return take_cookie(client)


def rows_of(db: Database, workshop_id: int) -> dict[str, int]:
    with db.reading() as session:
        answer_ids = select(Answer.id).where(Answer.workshop_id == workshop_id)
        counts = {
            "workshop": select(func.count()).where(Workshop.id == workshop_id),
            "prompts": select(func.count()).where(WorkshopPrompt.workshop_id == workshop_id),
            "facilitators": select(func.count()).where(
                WorkshopFacilitator.workshop_id == workshop_id
            ),
            "participants": select(func.count()).where(Participant.workshop_id == workshop_id),
            "answers": select(func.count()).where(Answer.workshop_id == workshop_id),
            "reactions": select(func.count()).where(
                Reaction.answer_id.in_(answer_ids)  # type: ignore[union-attr]
            ),
        }
        return {name: int(session.exec(q).one()) for name, q in counts.items()}


def fill(client: TestClient, db: Database, facilitator: str, workshop_id: int, code: str) -> None:
    """A co-facilitator, two participants, an answer each, a +1."""
    with db.writing() as session:
        make_user(session, email="mede@example.nl")
    as_cookie(client, facilitator)
    console = client.get(f"/workshops/{workshop_id}")
    client.post(
        f"/workshops/{workshop_id}/facilitators",
        data={"email": "mede@example.nl", "csrf_token": csrf_of(console.text)},
    )
    client.cookies.clear()
    act(client, facilitator, workshop_id, "start")
    act(client, facilitator, workshop_id, "open")
    a = join(client, code, name="Sanne")
    b = join(client, code, name="Ahmed")
    for cookie, text in ((a, "Eerste"), (b, "Tweede")):
        with client.websocket_connect(f"/ws/w/{code}", headers={"cookie": cookie}) as phone:
            prompt_id = prompt_id_in(receive_until(phone, lambda m: 'name="prompt_id"' in m))
            phone.send_text(
                json.dumps(
                    {
                        "type": "answer",
                        "prompt_id": prompt_id,
                        "text": text,
                        "idempotency_key": f"fill-{text}-key",
                    }
                )
            )
            receive_until(phone, lambda m: "Verstuurd" in m)
    act(client, facilitator, workshop_id, "reveal")
    with db.reading() as session:
        ids = [a.id for a in session.exec(select(Answer).order_by(Answer.id)).all()]  # type: ignore[arg-type]
    with client.websocket_connect(f"/ws/w/{code}", headers={"cookie": b}) as phone:
        receive_until(phone, lambda m: 'id="room-answers"' in m)
        phone.send_text(json.dumps({"type": "react", "answer_id": ids[0]}))
        receive_until(phone, lambda m: "Herken ik: genoteerd" in m)


def test_only_the_owner_deletes_a_workshop_and_then_nothing_of_it_is_left(
    client: TestClient, db: Database
) -> None:
    facilitator, workshop_id, code = sign_up_and_create(client)
    fill(client, db, facilitator, workshop_id, code)
    assert all(n > 0 for n in rows_of(db, workshop_id).values()), rows_of(db, workshop_id)

    co = login_as(client, "mede@example.nl")
    as_cookie(client, co)
    assert client.get(f"/workshops/{workshop_id}/delete").status_code == 403
    token = csrf_of(client.get(f"/workshops/{workshop_id}").text)
    refused = client.post(
        f"/workshops/{workshop_id}/delete", data={"confirm": "true", "csrf_token": token}
    )
    assert refused.status_code == 403
    assert "Alleen wie de bijeenkomst heeft aangemaakt" in refused.text

    as_cookie(client, facilitator)
    page = client.get(f"/workshops/{workshop_id}/delete")
    assert "Dit kan niet ongedaan worden gemaakt" in page.text
    assert (
        client.post(f"/workshops/{workshop_id}/delete", data={"confirm": "true"}).status_code == 403
    )
    unconfirmed = client.post(
        f"/workshops/{workshop_id}/delete", data={"csrf_token": csrf_of(page.text)}
    )
    assert unconfirmed.status_code == 422
    assert rows_of(db, workshop_id)["answers"] == 2
    done = client.post(
        f"/workshops/{workshop_id}/delete",
        data={"confirm": "true", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/dashboard"
    assert "en alles erin is verwijderd" in client.get("/dashboard").text
    assert rows_of(db, workshop_id) == dict.fromkeys(rows_of(db, workshop_id), 0)
    assert client.get(f"/workshops/{workshop_id}").status_code == 404


def test_the_api_deletes_a_workshop_for_its_owner_only(client: TestClient, db: Database) -> None:
    facilitator, workshop_id, code = sign_up_and_create(client)
    fill(client, db, facilitator, workshop_id, code)
    with db.writing() as session:
        make_user(session, email="vreemde@example.nl")
    owner = facilitator_token(client)
    co = facilitator_token(client, "mede@example.nl")
    stranger = facilitator_token(client, "vreemde@example.nl")
    url = f"/api/v1/workshops/{workshop_id}"
    assert client.delete(url, headers=stranger).status_code == 404
    forbidden = client.delete(url, headers=co)
    assert forbidden.status_code == 403
    assert "Alleen wie de bijeenkomst heeft aangemaakt" in forbidden.json()["detail"]
    assert rows_of(db, workshop_id)["answers"] == 2
    assert client.delete(url, headers=owner).status_code == 204
    assert rows_of(db, workshop_id) == dict.fromkeys(rows_of(db, workshop_id), 0)
    assert client.get(url, headers=owner).status_code == 404


def test_the_privacy_page_in_dutch_and_english_linked_from_every_page(
    client: TestClient,
) -> None:
    sign_up_and_create(client)
    dutch = client.get("/privacy")
    assert dutch.status_code == 200
    for heading in (
        "Wat we bewaren",
        "Waarom",
        "Hoe lang",
        "Wie het kan zien",
        "Niets naar derden",
    ):
        assert f"<h2>{heading}</h2>" in dutch.text
    english = client.get("/privacy", params={"lang": "en"})
    for heading in ("What is stored", "Why", "How long", "Who can see it", "Nothing goes to"):
        assert f"<h2>{heading}" in english.text
    assert "Wat we bewaren" not in english.text
    # No third-party requests: every src and stylesheet is on this site.
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', dutch.text)
    for page in ("/", "/login", "/join"):
        assert 'href="/privacy"' in client.get(page).text


def test_an_edit_with_personal_data_is_warned_about_too(
    phone_room: PhoneRoom, db: Database
) -> None:
    phone, prompt_id = phone_room.phone, phone_room.prompt_id
    send(phone, prompt_id, "Meer overleg", "edit-pii-0001")
    receive_until(phone, lambda m: "Verstuurd" in m)
    with db.reading() as session:
        answer_id = session.exec(select(Answer.id)).one()
    edit = {"type": "edit", "answer_id": answer_id, "text": "Mail naar ouder@example.nl"}
    phone.send_text(json.dumps(edit))
    warning = receive_until(phone, lambda m: "pii-warning" in m)
    assert "een e-mailadres" in warning
    assert f'name="answer_id" value="{answer_id}"' in warning
    assert 'name="from_warning" value="1"' in warning
    with db.reading() as session:
        assert session.exec(select(Answer.text)).one() == "Meer overleg"
    phone.send_text(json.dumps({**edit, "confirm_pii": "1", "from_warning": "1"}))
    ack = receive_until(phone, lambda m: "Gewijzigd" in m)
    # The warning gives way to the ordinary answer form again.
    assert 'id="answer-form"' in ack and "pii-warning" not in ack
    with db.reading() as session:
        stored = session.exec(select(Answer)).one()
    assert (stored.text, stored.pii_reasons) == ("Mail naar ouder@example.nl", "email")


@pytest.mark.skipif(BACKEND != "sqlite", reason="the WAL is SQLite's")
@pytest.mark.parametrize("way", ["page", "api"])
def test_a_delete_empties_the_wal_at_once(client: TestClient, db: Database, way: str) -> None:
    """The request's own lookups (who is logging in, whose token) hold no read snapshot while
    the delete checkpoints: else the checkpoint waits for it and leaves the erased words in
    the WAL file."""
    facilitator, workshop_id, code = sign_up_and_create(client)
    fill(client, db, facilitator, workshop_id, code)
    wal = Path(db.url.removeprefix("sqlite:///") + "-wal")
    assert wal.stat().st_size > 0
    if way == "page":
        as_cookie(client, facilitator)
        page = client.get(f"/workshops/{workshop_id}/delete")
        done = client.post(
            f"/workshops/{workshop_id}/delete",
            data={"confirm": "true", "csrf_token": csrf_of(page.text)},
            follow_redirects=False,
        )
        assert done.status_code == 303
    else:
        url = f"/api/v1/workshops/{workshop_id}"
        assert client.delete(url, headers=facilitator_token(client)).status_code == 204
    assert wal.stat().st_size == 0
