"""export.json → import → export.json gives the same archive; bad archives are refused."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from app.exports import archive, report
from app.models import Answer, Workshop
from app.services.archive_import import import_archive
from app.services.errors import InvalidInput
from app.services.facilitation import Action, apply_action
from app.services.report import load_report
from tests.exports.conftest import SCRIPT
from tests.factories import (
    RecordingPublisher,
    make_answer,
    make_item,
    make_participant,
    make_user,
    open_first_prompt,
)


def _without_stamp(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "exported_at"}


def test_round_trip_equals_the_original(session: Session, known: Workshop) -> None:
    open_first_prompt(session, known)
    ahmed, _ = make_participant(session, workshop=known, name="Ahmed", organisation="Politie")
    answer = make_answer(session, participant=ahmed, text=SCRIPT)
    make_item(session, workshop=known, title="Uit een antwoord", answer_ids=[answer.id])
    apply_action(session=session, publisher=RecordingPublisher(), workshop=known, action=Action.end)
    original = archive.export_workshop(session=session, workshop=known)
    assert original["format"] == "gesprekskaarten.workshop" and original["version"] == 1
    assert all("name" not in p for p in original["participants"])
    other = make_user(session, email="elders@example.nl")
    copy = import_archive(session=session, raw=original, owner=other)
    assert copy.id != known.id and copy.join_code != known.join_code
    assert copy.owner_id == other.id
    again = archive.export_workshop(session=session, workshop=copy)
    assert _without_stamp(again) == _without_stamp(original)
    items = again["agenda"]["items"]
    sourced = next(i for i in items if i["title"] == "Uit een antwoord")
    assert again["answers"][sourced["sources"][0]["answer"]]["text"] == SCRIPT


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda d: d.update(format="iets anders"), "geen export"),
        (lambda d: d.update(version=99), "versie"),
        (lambda d: d["workshop"].update(title=""), "workshop.title"),
        (lambda d: d["answers"].append({**d["answers"][0], "prompt": 9999}), "verwijst"),
    ],
)
def test_a_broken_archive_is_refused_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    session: Session, known: Workshop, mutate, needle: str
) -> None:
    open_first_prompt(session, known)
    person, _ = make_participant(session, workshop=known)
    make_answer(session, participant=person, text="Iets")
    data = archive.export_workshop(session=session, workshop=known)
    mutate(data)
    before = len(session.exec(Workshop.__table__.select()).all())  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput) as exc:
        import_archive(session=session, raw=data, owner=make_user(session, email="x@e.nl"))
    assert needle in exc.value.message
    assert len(session.exec(Workshop.__table__.select()).all()) == before  # type: ignore[attr-defined]


def test_answers_report_leaves_out_hidden_answers(session: Session, known: Workshop) -> None:
    from app.services.facilitation import set_answer_hidden

    open_first_prompt(session, known)
    person, _ = make_participant(session, workshop=known)
    shown = make_answer(session, participant=person, text=SCRIPT)
    hidden = make_answer(session, participant=person, text="Naam van een kind")
    set_answer_hidden(
        session=session, publisher=RecordingPublisher(), workshop=known,
        answer_id=hidden.id, hidden=True,
    )  # fmt: skip
    text = report.answers_md(load_report(session=session, workshop=known))
    assert r"\<script\>alert(1)\</script\>" in text and shown.text
    assert "Naam van een kind" not in text
    assert "Geen antwoorden." in text


def test_groups_travel_with_the_archive(session: Session, known: Workshop) -> None:
    from app.services import groups
    from app.services.groups import GroupInput

    open_first_prompt(session, known)
    ids = []
    for text in ("Wijkagent op school", "Wijkagent op het plein", "Sexting", "Los"):
        person, _ = make_participant(session, workshop=known)
        ids.append(make_answer(session, participant=person, text=text).id or 0)
    answer = session.get(Answer, ids[0])
    assert answer is not None
    groups.save_groups(
        session=session,
        publisher=RecordingPublisher(),
        workshop=known,
        prompt_id=answer.prompt_id,
        groups=[GroupInput("Wijkagent", (ids[0], ids[1]), True), GroupInput("Online", (ids[2],))],
    )
    original = archive.export_workshop(session=session, workshop=known)
    assert [(g["label"], g["fixed"], len(g["answers"])) for g in original["groups"]] == [
        ("Wijkagent", True, 2),
        ("Online", False, 1),
    ]
    copy = import_archive(
        session=session, raw=original, owner=make_user(session, email="g@example.nl")
    )
    again = archive.export_workshop(session=session, workshop=copy)
    assert _without_stamp(again) == _without_stamp(original)
    twice = {**original, "groups": [*original["groups"], {**original["groups"][1], "label": "X"}]}
    with pytest.raises(InvalidInput, match="twee groepen"):
        import_archive(session=session, raw=twice, owner=make_user(session, email="h@e.nl"))
