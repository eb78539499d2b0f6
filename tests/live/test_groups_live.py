"""Groeperen at the console (forms, with and without htmx) reaches co-facilitators live; phones
in a big room get groups or a first page, never the whole list, and always their own answer."""

from __future__ import annotations

import re
import secrets

from fastapi.testclient import TestClient
from sqlmodel import select

from app.agenda_models import AgendaItem, AgendaItemSource
from app.db import Database
from app.live.state import PHONE_PAGE
from app.models import Answer, Workshop
from app.services import groups
from app.services.groups import GroupInput
from tests.conftest import csrf_of
from tests.factories import RecordingPublisher, make_answer, make_participant
from tests.live.helpers import act, as_cookie, join, receive_until, send_answer, sign_up_and_create

TEXTS = [
    "De wijkagent komt vaker langs bij school",
    "Wijkagent zichtbaar op het plein",
    "Sexting in de klas bespreken",
    "Sexting en de groepsapp in de gaten houden",
    "Een vast aanspreekpunt voor ouders",
    "Ouders eerder betrekken bij incidenten",
]


def _answers(db: Database, workshop_id: int, texts: list[str]) -> tuple[int, list[int]]:
    """Each text answered by a new participant; returns (prompt id, answer ids)."""
    with db.writing() as session:
        workshop = session.get(Workshop, workshop_id)
        assert workshop is not None
        ids = []
        for text in texts:
            person, _ = make_participant(session, workshop=workshop, name=None)
            ids.append(make_answer(session, participant=person, text=text).id or 0)
        prompt_id = session.exec(select(Answer.prompt_id).where(Answer.id == ids[0])).one()
    return prompt_id, ids


def _items(db: Database) -> list[tuple[str, list[int]]]:
    with db.reading() as session:
        out = []
        for item in session.exec(select(AgendaItem)).all():
            sources = session.exec(
                select(AgendaItemSource.answer_id).where(AgendaItemSource.item_id == item.id)
            ).all()
            out.append((item.title, sorted(s for s in sources if s is not None)))
        return out


def test_plain_form_posts_come_back_to_the_console_with_a_message(
    client: TestClient, db: Database
) -> None:
    cookie, wid, _code = sign_up_and_create(client)
    act(client, cookie, wid, "start")
    act(client, cookie, wid, "open")
    pid, ids = _answers(db, wid, TEXTS)
    as_cookie(client, cookie)
    page = client.get(f"/workshops/{wid}").text
    assert 'id="console-groups"' in page
    token = csrf_of(page)

    def post(path: str, **data: str | list[str]) -> str:
        # Not through htmx: the route answers with a redirect and a message, not a 204.
        response = client.post(
            path, data=data, headers={"X-CSRF-Token": token}, follow_redirects=False
        )
        assert response.status_code == 303, response.text
        assert response.headers["location"] == f"/workshops/{wid}#console-groups"
        return client.get(f"/workshops/{wid}").text

    console = post(f"/workshops/{wid}/prompts/{pid}/groups/regroup")
    with db.reading() as session:
        made = groups.groups_of(session=session, prompt_id=pid)
    assert made and all(not g.fixed for g in made)
    assert "Alle voorstellen accepteren" in console and "voorstel" in console
    console = post(f"/workshops/{wid}/prompts/{pid}/groups/accept")
    assert "Alle voorstellen accepteren" not in console
    first = made[0].id
    console = post(f"/workshops/{wid}/groups/{first}/rename", label="")
    assert "Geef de groep een naam." in console
    console = post(f"/workshops/{wid}/groups/{first}/rename", label="Politie in de wijk")
    assert "Politie in de wijk" in console
    post(f"/workshops/{wid}/answers/{ids[4]}/group", group_id=str(first))
    console = post(f"/workshops/{wid}/groups/{first}/agenda-item")
    assert "Het actiepunt is gemaakt." in console
    with db.reading() as session:
        first_view = groups.group_in_workshop(
            session=session,
            workshop=session.get(Workshop, wid),
            group_id=first,  # type: ignore[arg-type]
        )
    assert _items(db) == [("Politie in de wijk", sorted(first_view.answer_ids))]
    assert ids[4] in first_view.answer_ids


def test_a_co_facilitator_sees_the_groups_live_and_bad_input_is_a_dutch_message(
    client: TestClient, db: Database
) -> None:
    cookie, wid, _code = sign_up_and_create(client)
    act(client, cookie, wid, "start")
    act(client, cookie, wid, "open")
    pid, ids = _answers(db, wid, TEXTS)
    with client.websocket_connect(
        f"/ws/workshops/{wid}/facilitator", headers={"cookie": cookie}
    ) as console:
        receive_until(console, lambda m: 'id="console-groups"' in m)
        as_cookie(client, cookie)
        headers = {
            "HX-Request": "true",
            "X-CSRF-Token": csrf_of(client.get(f"/workshops/{wid}").text),
        }
        done = client.post(f"/workshops/{wid}/prompts/{pid}/groups/regroup", headers=headers)
        assert done.status_code == 204
        push = receive_until(console, lambda m: 'id="console-groups"' in m and "group-list" in m)
        assert "Maak actiepunt" in push and 'id="gm-' in push
        with db.reading() as session:
            first = groups.groups_of(session=session, prompt_id=pid)[0]
        merge = client.post(
            f"/workshops/{wid}/groups/{first.id}/merge", data={"into": ""}, headers=headers
        )
        assert merge.status_code == 422
        assert "Kies de groep om mee samen te voegen." in merge.text
        renamed = client.post(
            f"/workshops/{wid}/groups/{first.id}/rename",
            data={"label": "Veilig online"},
            headers=headers,
        )
        assert renamed.status_code == 204
        push = receive_until(console, lambda m: "Veilig online" in m)
        assert 'id="console-groups"' in push
        client.cookies.clear()
    assert ids


def test_a_phone_in_a_room_of_300_gets_a_page_or_groups_and_its_own_answer(
    client: TestClient, db: Database
) -> None:
    cookie, wid, code = sign_up_and_create(client)
    act(client, cookie, wid, "start")
    act(client, cookie, wid, "open")
    words = ["wijkagent", "sexting", "ouders", "mentor", "pesten", "schoolplein"]
    texts = [f"Antwoord {i} over {words[i % len(words)]} en nog iets" for i in range(300)]
    pid, ids = _answers(db, wid, texts)
    me = join(client, code, name="Sanne")
    with client.websocket_connect(f"/ws/w/{code}", headers={"cookie": me}) as phone:
        receive_until(phone, lambda m: 'id="answer-form"' in m)
        send_answer(phone, pid, "Mijn eigen antwoord over de mentor", secrets.token_hex(8))
        receive_until(phone, lambda m: "Mijn eigen antwoord" in m and 'id="my-answers"' in m)
        act(client, cookie, wid, "reveal")
        push = receive_until(
            phone, lambda m: 'id="room-answers"' in m and "Antwoorden van de zaal" in m
        )
        room = push[push.index('id="room-answers"') :]
        room = room[: room.index("</section>")]
        assert room.count('<ul class="answer-list" id="room-answer-list">') == 1
        assert len(re.findall(r'<li id="ra-\d+"', room)) == PHONE_PAGE
        assert "Alle 301 antwoorden bekijken" in room
        with db.writing() as session:
            workshop = session.get(Workshop, wid)
            assert workshop is not None
            given = [
                GroupInput(word.capitalize(), tuple(ids[i :: len(words)]))
                for i, word in enumerate(words)
            ]
            groups.save_groups(
                session=session,
                publisher=RecordingPublisher(),
                workshop=workshop,
                prompt_id=pid,
                groups=given,
            )
        # The service's publisher here records only; a reconnect reads the groups.
    with client.websocket_connect(f"/ws/w/{code}", headers={"cookie": me}) as phone:
        snapshot = receive_until(phone, lambda m: 'id="room-answers"' in m)
        room = snapshot[snapshot.index('id="room-answers"') :]
        room = room[: room.index("</section>")]
        assert len(re.findall(r'class="room-group"', room)) == len(words) + 1
        assert len(re.findall(r'<li id="ra-\d+"', room)) <= (len(words) + 1) * 3
        assert "Overige antwoorden" in room  # the phone's own answer is in no group
        mine = snapshot[snapshot.index('id="my-answers"') :]
        assert "Mijn eigen antwoord over de mentor" in mine
    as_cookie(client, me)
    paged = client.get(f"/w/{code}/answers?page=2").text
    assert "Pagina 2 van 16" in paged
    assert len(re.findall(r'class="answer-body"', paged)) == PHONE_PAGE
    last = client.get(f"/w/{code}/answers?page=99").text
    assert "Pagina 16 van 16" in last
    group_page = client.get(f"/w/{code}/answers?group=0").text
    assert "Jouw antwoord" in group_page and "Mijn eigen antwoord" in group_page
    client.cookies.clear()
    assert client.get(f"/w/{code}/answers", follow_redirects=False).status_code == 303
