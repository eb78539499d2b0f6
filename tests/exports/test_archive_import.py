"""Importing an archive: privacy settings kept, the same cleaning and validation as live
input, a 4xx (never a 5xx) for anything wrong, and nothing partial left behind."""

from __future__ import annotations

import copy
import json
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import SQLModel, select

from app.agenda_models import Agenda, AgendaItem
from app.db import Database
from app.models import Answer, Participant, Workshop, WorkshopPrompt
from tests.factories import (
    make_answer,
    make_item,
    make_participant,
    open_first_prompt,
)
from tests.live.helpers import as_cookie, sign_up_and_create
from tests.routes.api_helpers import facilitator_token

TABLES: tuple[type[SQLModel], ...] = (
    Workshop,
    WorkshopPrompt,
    Participant,
    Answer,
    Agenda,
    AgendaItem,
)


def counts(db: Database) -> dict[str, int]:
    with db.reading() as session:
        return {
            t.__name__: int(session.exec(select(func.count()).select_from(t)).one()) for t in TABLES
        }


def exported(client: TestClient, db: Database) -> tuple[dict[str, Any], dict[str, str]]:
    """An anonymous workshop with a retention, a flagged answer and an item, as export.json."""
    cookie, workshop_id, _code = sign_up_and_create(client)
    with db.writing() as session:
        workshop = session.get(Workshop, workshop_id)
        assert workshop is not None
        workshop.anonymous, workshop.retention_days = True, 30
        session.add(workshop)
        session.commit()
        open_first_prompt(session, workshop)
        person, _ = make_participant(session, workshop=workshop, organisation="OBS De Linde")
        answer = make_answer(session, participant=person, text="Meer overleg met de wijkagent")
        answer.pii_reasons = "phone"
        session.add(answer)
        session.commit()
        make_item(session, workshop=workshop, title="Overleg plannen", answer_ids=[answer.id])
    token = facilitator_token(client)
    as_cookie(client, cookie)
    data = client.get(f"/api/v1/workshops/{workshop_id}/export.json").json()
    client.cookies.clear()
    return data, token


def test_privacy_settings_and_personal_data_flags_survive_a_round_trip(
    client: TestClient, db: Database
) -> None:
    data, token = exported(client, db)
    assert data["workshop"]["anonymous"] is True
    assert data["workshop"]["retention_days"] == 30
    assert data["answers"][0]["pii_reasons"] == "phone"
    made = client.post("/api/v1/import", json=data, headers=token)
    assert made.status_code == 201
    with db.reading() as session:
        copy_ = session.get(Workshop, made.json()["id"])
        assert copy_ is not None
        assert copy_.anonymous is True and copy_.retention_days == 30
        flags = session.exec(select(Answer.pii_reasons).where(Answer.workshop_id == copy_.id))
        assert list(flags) == ["phone"]


def _bad(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    cases: list[tuple[str, dict[str, Any]]] = []

    def case(name: str, change: Any) -> None:
        mutated = copy.deepcopy(data)
        change(mutated)
        cases.append((name, mutated))

    case("duplicate position", lambda d: d["prompts"][1].update(position=0))
    case("huge integer", lambda d: d["prompts"][0].update(theme_number=2**64))
    case("naive datetime", lambda d: d["answers"][0].update(created_at="2026-09-15T10:00:00"))
    case("far future", lambda d: d["workshop"].update(created_at="9999-12-31T23:59:59Z"))
    case("far due date", lambda d: d["agenda"]["items"][0].update(due_date="9999-12-31"))
    case("unknown kind", lambda d: d["prompts"][0].update(kind="poll"))
    case("lone surrogate", lambda d: d["answers"][0].update(text="a\ud800b"))
    case("scale text", lambda d: d["answers"][0].update(value=3))
    return cases


def test_what_live_input_refuses_an_import_refuses_with_a_4xx_and_keeps_nothing(
    client: TestClient, db: Database
) -> None:
    data, token = exported(client, db)
    before = counts(db)
    for name, mutated in _bad(data):
        # As JSON escapes, the way a lone surrogate travels.
        response = client.post(
            "/api/v1/import",
            content=json.dumps(mutated),
            headers={**token, "content-type": "application/json"},
        )
        assert response.status_code == 422, (name, response.text)
        assert response.json()["detail"].startswith("De export klopt niet"), name
        assert counts(db) == before, name


def test_control_characters_are_stripped_as_from_a_phone_and_every_export_still_works(
    client: TestClient, db: Database
) -> None:
    data, token = exported(client, db)
    data["answers"][0]["text"] = "Nul\x00 en bel\x07 en escape\x1b"
    data["workshop"]["title"] = "Titel\x00"
    made = client.post("/api/v1/import", json=data, headers=token)
    assert made.status_code == 201
    wid = made.json()["id"]
    with db.reading() as session:
        texts = session.exec(select(Answer.text).where(Answer.workshop_id == wid)).all()
        workshop = session.get(Workshop, wid)
    assert list(texts) == ["Nul en bel en escape"]
    assert workshop is not None and workshop.title == "Titel"
    for name in ("agenda.xlsx", "agenda.csv", "agenda.md", "answers.md", "export.json"):
        assert client.get(f"/api/v1/workshops/{wid}/{name}", headers=token).status_code == 200


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, (*prefix, index))
    return out


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


REPLACEMENTS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, -1, 5, 6, 2**31, 2**63, "open", "scale", "", "9999-12-31",
                     "2026-09-15T10:00:00", "0001-01-01T00:00:00Z", "2026-02-30", [], {}]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
    st.text(alphabet="\x00\x01\x1b\u200b\u202e\n\tA", max_size=6),
)  # fmt: skip


def test_fuzzed_archives_never_get_a_5xx_nor_leave_anything_behind(
    client: TestClient, db: Database
) -> None:
    data, token = exported(client, db)
    paths = _paths(data)

    @settings(max_examples=60)
    @given(st.lists(st.tuples(st.sampled_from(paths), REPLACEMENTS), min_size=1, max_size=3))
    def import_mutated(changes: list[tuple[tuple[Any, ...], Any]]) -> None:
        mutated = copy.deepcopy(data)
        for path, value in changes:
            try:
                _set(mutated, path, value)
            except (KeyError, IndexError, TypeError):
                continue  # an earlier change replaced what this path went through
        before = counts(db)
        response = client.post("/api/v1/import", json=mutated, headers=token)
        assert response.status_code < 500, response.text
        if response.status_code == 201:
            wid = response.json()["id"]
            for name in ("agenda.xlsx", "agenda.ics", "answers.md", "export.json"):
                shown = client.get(f"/api/v1/workshops/{wid}/{name}", headers=token)
                assert shown.status_code == 200, (name, mutated)
        else:
            assert 400 <= response.status_code < 500
            assert counts(db) == before

    import_mutated()
