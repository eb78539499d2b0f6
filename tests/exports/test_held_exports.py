"""Held answers in exports: not in the answer report until released; kept held in an archive."""

from __future__ import annotations

import secrets

from sqlmodel import Session

from app.exports import archive, report
from app.models import Answer, Participant, Workshop
from app.services import participation
from app.services.archive_import import import_archive
from app.services.facilitation import set_answer_hidden
from app.services.report import load_report
from tests.factories import (
    RecordingPublisher,
    make_answer,
    make_participant,
    make_user,
    open_first_prompt,
)

PERSONAL = "Bel de moeder op 06-12345678"


def send_anyway(session: Session, person: Participant, text: str) -> Answer:
    """An ordinary answer (for its prompt id), then this one, sent after the warning."""
    answer = make_answer(session, participant=person, text="Eerst iets gewoons")
    return participation.submit_answer(
        session=session,
        publisher=RecordingPublisher(),
        participant=person,
        prompt_id=answer.prompt_id,
        idempotency_key=secrets.token_hex(8),
        text=text,
        confirm_personal_data=True,
    ).answer


def test_the_report_leaves_a_held_answer_out_until_it_is_released(
    session: Session, known: Workshop
) -> None:
    open_first_prompt(session, known)
    person, _ = make_participant(session, workshop=known)
    held = send_anyway(session, person, PERSONAL)
    assert held.held
    text = report.answers_md(load_report(session=session, workshop=known))
    assert "Eerst iets gewoons" in text and "06-12345678" not in text
    set_answer_hidden(session=session, publisher=RecordingPublisher(), workshop=known,
                      answer_id=held.id, hidden=False)  # fmt: skip
    text = report.answers_md(load_report(session=session, workshop=known))
    assert "06-12345678" in text


def test_an_archive_keeps_an_answer_held(session: Session, known: Workshop) -> None:
    open_first_prompt(session, known)
    person, _ = make_participant(session, workshop=known)
    send_anyway(session, person, PERSONAL)
    exported = archive.export_workshop(session=session, workshop=known)
    assert [a["held"] for a in exported["answers"]] == [False, True]
    copy = import_archive(
        session=session, raw=exported, owner=make_user(session, email="elders@example.nl")
    )
    again = archive.export_workshop(session=session, workshop=copy)
    assert [a["held"] for a in again["answers"]] == [False, True]
