"""The big room on the projector, steered from the console: a per-answer spotlight, the
groups and words modes and the ranking of the current vote (docs/wall.md)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import select

from app.db import Database
from app.models import Answer, Workshop
from app.services import groups, voting
from app.services.groups import GroupInput
from tests.conftest import csrf_of
from tests.factories import RecordingPublisher, make_answer, make_item, make_participant
from tests.live.helpers import (
    act,
    as_cookie,
    join,
    prompt_id_in,
    receive_until,
    send_answer,
    sign_up_and_create,
)

HTMX = {"HX-Request": "true"}


def answers(db: Database, wid: int, texts: list[str]) -> tuple[int, list[int]]:
    """Each text answered by a new participant; returns (prompt id, answer ids)."""
    with db.writing() as session:
        workshop = session.get(Workshop, wid)
        assert workshop is not None
        ids = []
        for text in texts:
            person, _ = make_participant(session, workshop=workshop, name=None)
            ids.append(make_answer(session, participant=person, text=text).id or 0)
        prompt_id = session.exec(select(Answer.prompt_id).where(Answer.id == ids[0])).one()
    return prompt_id, ids


def mark(db: Database, answer_id: int, *, hidden: bool = False, held: bool = False) -> None:
    with db.writing() as session:
        answer = session.get(Answer, answer_id)
        assert answer is not None
        answer.hidden, answer.held = hidden, held
        session.add(answer)
        session.commit()


def console_item(page: str, answer_id: int) -> str:
    start = page.index(f'id="ca-{answer_id}"')
    return page[start : page.index("</li>", start)]


def test_uitlichten_on_a_console_answer_puts_it_in_the_projectors_spotlight(
    client: TestClient, db: Database
) -> None:
    cookie, wid, _code = sign_up_and_create(client)
    act(client, cookie, wid, "start")
    act(client, cookie, wid, "open")
    _pid, ids = answers(db, wid, ["Vaker de wijkagent op school", "Verborgen", "Wacht nog"])
    mark(db, ids[1], hidden=True)
    mark(db, ids[2], held=True)
    act(client, cookie, wid, "reveal")
    as_cookie(client, cookie)
    page = client.get(f"/workshops/{wid}").text
    shown = console_item(page, ids[0])
    assert "Uitlichten" in shown
    # Never offered for what the room may not see.
    assert "Uitlichten" not in console_item(page, ids[1])
    assert "Uitlichten" not in console_item(page, ids[2])
    form = re.search(r'<form[^>]*action="(/workshops/\d+/wall)"[^>]*>(.*?)</form>', shown, re.S)
    assert form is not None
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2)))
    assert fields == {"op": "spotlight", "answer_id": str(ids[0])}
    with client.websocket_connect(
        f"/ws/workshops/{wid}/projector", headers={"cookie": cookie}
    ) as projector:
        receive_until(projector, lambda m: 'id="sync"' in m)
        as_cookie(client, cookie)
        response = client.post(
            form.group(1), data=fields, headers={**HTMX, "X-CSRF-Token": csrf_of(page)}
        )
        assert response.status_code == 204, response.text
        pushed = receive_until(projector, lambda m: 'class="spotlight' in m)
        spot = pushed[pushed.index('class="spotlight') :]
        assert f'data-answer-id="{ids[0]}"' in spot and "Vaker de wijkagent op school" in spot


def wall(client: TestClient, cookie: str, wid: int, **data: str) -> None:
    as_cookie(client, cookie)
    token = csrf_of(client.get(f"/workshops/{wid}").text)
    response = client.post(
        f"/workshops/{wid}/wall", data=data, headers={**HTMX, "X-CSRF-Token": token}
    )
    client.cookies.clear()
    assert response.status_code == 204, response.text


def section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</section>", start)]


GROUP_TEXTS = [
    "De wijkagent komt vaker langs bij school",
    "Wijkagent zichtbaar op het plein",
    "Sexting in de klas bespreken",
    "Sexting en de groepsapp in de gaten houden",
    "Een vast aanspreekpunt voor ouders",
]


def test_the_groups_mode_shows_labels_and_counts_and_follows_a_group_edit(
    client: TestClient, db: Database
) -> None:
    cookie, wid, _code = sign_up_and_create(client)
    act(client, cookie, wid, "start")
    act(client, cookie, wid, "open")
    pid, ids = answers(db, wid, GROUP_TEXTS)
    with db.writing() as session:
        workshop = session.get(Workshop, wid)
        assert workshop is not None
        groups.save_groups(
            session=session,
            publisher=RecordingPublisher(),
            workshop=workshop,
            prompt_id=pid,
            groups=[
                GroupInput("Politie", (ids[0], ids[1])),
                GroupInput("Online", (ids[2], ids[3])),
            ],
        )
        first = groups.groups_of(session=session, prompt_id=pid)[0].id
    mark(db, ids[3], hidden=True)
    act(client, cookie, wid, "reveal")
    wall(client, cookie, wid, op="mode", mode="groups")
    with client.websocket_connect(
        f"/ws/workshops/{wid}/projector", headers={"cookie": cookie}
    ) as projector:
        snapshot = receive_until(projector, lambda m: 'id="projector-groups"' in m)
        shown = section(snapshot, "projector-groups")
        assert 'data-mode="groups"' in snapshot
        assert "Politie" in shown and "Online" in shown and "2 antwoorden" in shown
        # The hidden answer is not counted nor shown; the answer in no group has its card.
        assert "1 antwoord<" in shown and "groepsapp" not in shown
        assert "Zonder groep" in shown and "aanspreekpunt" in shown
        as_cookie(client, cookie)
        token = csrf_of(client.get(f"/workshops/{wid}").text)
        renamed = client.post(
            f"/workshops/{wid}/groups/{first}/rename",
            data={"label": "Wijkagent in de school"},
            headers={**HTMX, "X-CSRF-Token": token},
        )
        assert renamed.status_code == 204
        moved = client.post(
            f"/workshops/{wid}/answers/{ids[4]}/group",
            data={"group_id": str(first)},
            headers={**HTMX, "X-CSRF-Token": token},
        )
        assert moved.status_code == 204, moved.text
        client.cookies.clear()
        pushed = receive_until(
            projector, lambda m: 'id="projector-groups"' in m and "3 antwoorden" in m
        )
        shown = section(pushed, "projector-groups")
        assert "Wijkagent in de school" in shown and "Zonder groep" not in shown


def test_the_words_mode_never_counts_a_hidden_or_held_answer(
    client: TestClient, db: Database
) -> None:
    cookie, wid, _code = sign_up_and_create(client)
    act(client, cookie, wid, "start")
    act(client, cookie, wid, "open")
    _pid, ids = answers(
        db,
        wid,
        [
            "Meer jongerenwerk in de wijk",
            "Jongerenwerk op het schoolplein",
            "Geheimzinnig verborgenwoord",
            "Wachtendwoord voor controle",
        ],
    )
    mark(db, ids[2], hidden=True)
    mark(db, ids[3], held=True)
    act(client, cookie, wid, "reveal")
    with client.websocket_connect(
        f"/ws/workshops/{wid}/projector", headers={"cookie": cookie}
    ) as projector:
        receive_until(projector, lambda m: 'id="sync"' in m)
        wall(client, cookie, wid, op="mode", mode="words")
        pushed = receive_until(projector, lambda m: 'id="projector-word-view"' in m)
        words = section(pushed, "projector-words")
        assert "<svg" in words and "<table" in words and "jongerenwerk" in words.lower()
        for secret in ("verborgenwoord", "Geheimzinnig", "Wachtendwoord", "controle"):
            assert secret.lower() not in words.lower()
        # Another mode: the words are not drawn (nor counted) at all.
        wall(client, cookie, wid, op="mode", mode="answers")
        pushed = receive_until(projector, lambda m: 'data-mode="answers"' in m)
        assert "projector-word-view" not in pushed


def test_the_votes_mode_shows_the_ranking_and_says_closed_once_the_meeting_ends(
    client: TestClient, db: Database
) -> None:
    cookie, wid, _code = sign_up_and_create(client)
    act(client, cookie, wid, "start")
    act(client, cookie, wid, "open")
    with db.writing() as session:
        workshop = session.get(Workshop, wid)
        assert workshop is not None
        first = make_item(session, workshop=workshop, title="Vast aanspreekpunt per school")
        second = make_item(session, workshop=workshop, title="Training voor mentoren")
        voting.set_dots(session=session, publisher=RecordingPublisher(), workshop=workshop, dots=3)
        sanne, _ = make_participant(session, workshop=workshop, name="Sanne")
        for item in (second, second, first):
            voting.place_dot(
                session=session, publisher=RecordingPublisher(), participant=sanne, item_id=item.id
            )
    with client.websocket_connect(
        f"/ws/workshops/{wid}/projector", headers={"cookie": cookie}
    ) as projector:
        snapshot = receive_until(projector, lambda m: 'id="projector-votes"' in m)
        assert "vote-ranking" not in section(snapshot, "projector-votes")
        # A push of the wall alone brings the ranking (the agenda is read for it).
        wall(client, cookie, wid, op="mode", mode="votes")
        pushed = receive_until(projector, lambda m: "vote-ranking" in m)
        votes = section(pushed, "projector-votes")
        assert "Stemmen is open" in votes
        assert votes.index("Training voor mentoren") < votes.index("Vast aanspreekpunt")
        assert "2 stippen" in votes and "1 stip<" in votes
        act(client, cookie, wid, "end")
        pushed = receive_until(projector, lambda m: "vote-ranking" in m and "afgelopen" in m)
        votes = section(pushed, "projector-votes")
        assert "Stemmen is open" not in votes and "Stemmen is gesloten." in votes
        assert "Training voor mentoren" in votes


def test_an_answer_redraws_the_wall_panels_only_while_one_is_in_the_spotlight(
    client: TestClient, db: Database
) -> None:
    cookie, wid, code = sign_up_and_create(client)
    act(client, cookie, wid, "start")
    act(client, cookie, wid, "open")
    _pid, ids = answers(db, wid, ["Vaker de wijkagent op school"])
    act(client, cookie, wid, "reveal")
    phone_cookie = join(client, code, name="Sanne")
    with (
        client.websocket_connect(
            f"/ws/workshops/{wid}/facilitator", headers={"cookie": cookie}
        ) as console,
        client.websocket_connect(
            f"/ws/workshops/{wid}/projector", headers={"cookie": cookie}
        ) as projector,
        client.websocket_connect(f"/ws/w/{code}", headers={"cookie": phone_cookie}) as phone,
    ):
        receive_until(console, lambda m: 'id="console-wall"' in m)
        receive_until(projector, lambda m: 'id="projector-wall"' in m)
        prompt_id = prompt_id_in(receive_until(phone, lambda m: 'name="prompt_id"' in m))
        send_answer(phone, prompt_id, "Een vast aanspreekpunt", "wall-key-0001")
        push = receive_until(console, lambda m: "Een vast aanspreekpunt" in m)
        assert 'id="console-wall"' not in push  # nothing on the panel changed
        wall(client, cookie, wid, op="spotlight", answer_id=str(ids[0]))
        receive_until(projector, lambda m: 'class="spotlight' in m)
        receive_until(console, lambda m: 'class="spotlit"' in m)
        # Hiding the answer in the spotlight is an answer change: both panels drop it.
        as_cookie(client, cookie)
        page = client.get(f"/workshops/{wid}")
        hidden = client.post(
            f"/workshops/{wid}/answers/{ids[0]}/visibility",
            data={"hidden": "true"},
            headers={**HTMX, "X-CSRF-Token": csrf_of(page.text)},
        )
        client.cookies.clear()
        assert hidden.status_code == 204, hidden.text
        receive_until(projector, lambda m: 'id="projector-wall"' in m and "spotlight" not in m)
        receive_until(console, lambda m: 'id="console-wall"' in m and "spotlit" not in m)
