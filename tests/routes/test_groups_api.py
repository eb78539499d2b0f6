"""The groups API: suggest stores nothing, save and edit, a group becomes an actiepunt, access."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import select

from app.agenda_models import AgendaItemSource
from app.db import Database
from app.models import AnswerGroup, User
from tests.factories import make_user
from tests.routes.api_helpers import Headers, act, answer, create_workshop, facilitator_token, join

OTHER = "collega@example.nl"
TEXTS = [
    "De wijkagent komt vaker langs bij school",
    "Wijkagent zichtbaar op het plein",
    "Sexting in de klas bespreken",
    "Sexting en de groepsapp in de gaten houden",
    "Een vast aanspreekpunt voor ouders",
    "Ouders eerder betrekken bij incidenten",
]


@pytest.fixture
def users(db: Database) -> list[User]:
    with db.writing() as session:
        return [make_user(session), make_user(session, email=OTHER)]


def _room(client: TestClient) -> tuple[Headers, int, int, list[int], Headers]:
    """(facilitator, workshop id, prompt id, answer ids, a participant) on an open prompt."""
    boss = facilitator_token(client)
    created = create_workshop(client, boss)
    wid = created["id"]
    act(client, boss, wid, "start")
    prompt_id = act(client, boss, wid, "open")["current_prompt"]["id"]
    ids = []
    person: Headers = {}
    for i, text in enumerate(TEXTS):
        person, _ = join(client, created["join_code"], name=f"P{i}")
        status, body = answer(
            client, person, wid, prompt_id=prompt_id, text=text, idempotency_key=f"key-{i:05d}"
        )
        assert status == 201, body
        ids.append(body["id"])
    return boss, wid, prompt_id, ids, person


def _count_groups(db: Database) -> int:
    with db.reading() as session:
        return int(session.exec(select(func.count()).select_from(AnswerGroup)).one())


def test_suggest_stores_nothing_and_each_answer_is_in_at_most_one_group(
    client: TestClient, db: Database, users: list[User]
) -> None:
    boss, wid, pid, ids, _ = _room(client)
    base = f"/api/v1/workshops/{wid}/prompts/{pid}/groups"
    response = client.post(f"{base}/suggest", headers=boss)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["groups"]
    assert found and all(set(g) == {"label", "answer_ids"} for g in found)
    members = [i for g in found for i in g["answer_ids"]]
    assert len(members) == len(set(members)) and set(members) <= set(ids)
    assert _count_groups(db) == 0
    assert client.get(base, headers=boss).json() == {"groups": []}


def test_save_read_edit_and_make_an_item(client: TestClient, users: list[User]) -> None:
    boss, wid, pid, ids, _ = _room(client)
    base = f"/api/v1/workshops/{wid}/prompts/{pid}/groups"
    body = {
        "groups": [
            {"label": "Wijkagent", "answer_ids": ids[0:2]},
            {"label": "Sexting", "answer_ids": ids[2:4]},
            {"label": "Ouders", "answer_ids": ids[4:6], "fixed": True},
        ]
    }
    put = client.put(base, json=body, headers=boss)
    assert put.status_code == 200, put.text
    saved = put.json()["groups"]
    assert [(g["label"], g["answer_ids"], g["fixed"]) for g in saved] == [
        ("Wijkagent", ids[0:2], False),
        ("Sexting", ids[2:4], False),
        ("Ouders", ids[4:6], True),
    ]
    wijk, sext, ouders = (g["id"] for g in saved)
    renamed = client.patch(f"{base}/{wijk}", json={"label": "Politie"}, headers=boss).json()
    assert (renamed["label"], renamed["fixed"]) == ("Politie", True)
    merged = client.post(f"{base}/{ouders}/merge", json={"into": sext}, headers=boss)
    assert merged.status_code == 200 and merged.json()["answer_ids"] == ids[2:6]
    split = client.post(
        f"{base}/{sext}/split", json={"label": "Ouders", "answer_ids": ids[4:6]}, headers=boss
    )
    assert split.status_code == 201 and split.json()["answer_ids"] == ids[4:6]
    moved = client.put(
        f"/api/v1/workshops/{wid}/prompts/{pid}/answers/{ids[0]}/group",
        json={"group_id": split.json()["id"]},
        headers=boss,
    )
    assert moved.status_code == 204
    now = client.get(base, headers=boss).json()["groups"]
    assert [(g["label"], g["answer_ids"]) for g in now] == [
        ("Politie", [ids[1]]),
        ("Sexting", ids[2:4]),
        ("Ouders", [ids[0], ids[4], ids[5]]),
    ]
    made = client.post(f"{base}/{split.json()['id']}/agenda-item", headers=boss)
    assert made.status_code == 201, made.text
    assert made.json()["title"] == "Ouders"
    assert client.delete(f"{base}/{wijk}", headers=boss).status_code == 204
    assert [g["label"] for g in client.get(base, headers=boss).json()["groups"]] == [
        "Sexting",
        "Ouders",
    ]


def test_the_item_links_every_answer_of_the_group(
    client: TestClient, db: Database, users: list[User]
) -> None:
    boss, wid, pid, ids, _ = _room(client)
    base = f"/api/v1/workshops/{wid}/prompts/{pid}/groups"
    saved = client.put(
        base, json={"groups": [{"label": "Alles", "answer_ids": ids}]}, headers=boss
    ).json()
    item = client.post(f"{base}/{saved['groups'][0]['id']}/agenda-item", headers=boss).json()
    with db.reading() as session:
        linked = session.exec(
            select(AgendaItemSource.answer_id).where(AgendaItemSource.item_id == item["id"])
        ).all()
    assert sorted(a for a in linked if a is not None) == sorted(ids)


def test_bad_input_gets_a_clear_4xx_and_changes_nothing(
    client: TestClient, db: Database, users: list[User]
) -> None:
    boss, wid, pid, ids, _ = _room(client)
    base = f"/api/v1/workshops/{wid}/prompts/{pid}/groups"
    twice = {
        "groups": [{"label": "A", "answer_ids": [ids[0]]}, {"label": "B", "answer_ids": [ids[0]]}]
    }
    response = client.put(base, json=twice, headers=boss)
    assert response.status_code == 422 and "één groep" in response.json()["detail"]
    blank = client.put(base, json={"groups": [{"label": "  ", "answer_ids": []}]}, headers=boss)
    assert blank.status_code == 422 and "naam" in blank.json()["detail"]
    unknown = client.put(
        base, json={"groups": [{"label": "A", "answer_ids": [999999]}]}, headers=boss
    )
    assert unknown.status_code == 404
    extra = client.put(base, json={"groups": [], "typo": 1}, headers=boss)
    assert extra.status_code == 422
    assert _count_groups(db) == 0
    saved = client.put(
        base, json={"groups": [{"label": "A", "answer_ids": ids[:2]}]}, headers=boss
    ).json()
    gid = saved["groups"][0]["id"]
    self_merge = client.post(f"{base}/{gid}/merge", json={"into": gid}, headers=boss)
    assert self_merge.status_code == 422 and self_merge.json()["detail"]
    split_all = client.post(
        f"{base}/{gid}/split", json={"label": "B", "answer_ids": ids[:2]}, headers=boss
    )
    assert split_all.status_code == 422 and "minstens één" in split_all.json()["detail"]


def test_a_scale_prompt_is_refused_with_a_message(client: TestClient, users: list[User]) -> None:
    boss = facilitator_token(client)
    wid = create_workshop(client, boss)["id"]
    state = client.get(f"/api/v1/workshops/{wid}", headers=boss).json()
    scale = next(p for p in state["prompts"] if p["kind"] == "scale")
    response = client.post(
        f"/api/v1/workshops/{wid}/prompts/{scale['id']}/groups/suggest", headers=boss
    )
    assert response.status_code == 409 and "open vraag" in response.json()["detail"]


def test_another_facilitator_and_a_participant_cannot(
    client: TestClient, users: list[User]
) -> None:
    boss, wid, pid, ids, person = _room(client)
    base = f"/api/v1/workshops/{wid}/prompts/{pid}/groups"
    saved = client.put(
        base, json={"groups": [{"label": "A", "answer_ids": ids[:2]}]}, headers=boss
    ).json()
    gid = saved["groups"][0]["id"]
    other = facilitator_token(client, OTHER)
    assert client.post(f"{base}/suggest", headers=other).status_code == 404
    assert client.get(base, headers=other).status_code == 404
    assert client.post(f"{base}/{gid}/agenda-item", headers=other).status_code == 404
    assert client.post(f"{base}/suggest", headers=person).status_code == 403
    assert client.put(base, json={"groups": []}, headers=person).status_code == 403
    assert client.post(f"{base}/suggest").status_code == 401
    # Their own workshop, but a group of this one: still not found.
    own = create_workshop(client, other)["id"]
    act(client, other, own, "start")
    own_pid = act(client, other, own, "open")["current_prompt"]["id"]
    cross = f"/api/v1/workshops/{own}/prompts/{own_pid}/groups/{gid}"
    assert client.patch(cross, json={"label": "X"}, headers=other).status_code == 404
    assert client.get(base, headers=boss).json()["groups"][0]["label"] == "A"
