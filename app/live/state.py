"""Reading the room from the database: whole (load_room) or only what changed (delta.py)."""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from app.live.room import (
    PHONE_GROUP_PREVIEW,
    PHONE_LIST_MAX,
    PHONE_PAGE,
    AnswerView,
    Person,
    PresenceView,
    ProgrammeEntry,
    Room,
    presence_of,
)
from app.models import (
    Answer,
    Participant,
    PromptPhase,
    Reaction,
    Workshop,
    WorkshopPrompt,
)
from app.services import pii
from app.services.agenda_sheet import load_sheet, local_today
from app.services.groups import groups_of
from app.services.review_screen import screen_if_review
from app.services.voting import ranking
from app.services.wall import ProjectorMode, load_view

# Importers of the room's parts from here keep working.
__all__ = [
    "PHONE_GROUP_PREVIEW",
    "PHONE_LIST_MAX",
    "PHONE_PAGE",
    "AnswerView",
    "PresenceView",
    "Room",
    "load_room",
]


def read_people(
    session: Session, workshop_id: int, only: Collection[int] | None = None
) -> list[Person]:
    """The room's participants (or only these) as plain rows, in order of joining."""
    who = columns(
        col(Participant.id),
        col(Participant.name),
        col(Participant.organisation),
        col(Participant.domain),
        col(Participant.connections),
    ).where(col(Participant.workshop_id) == workshop_id)
    if only is not None:
        who = who.where(col(Participant.id).in_(only))
    rows = session.connection().execute(who.order_by(col(Participant.id))).all()
    return [Person(int(i or 0), name, org, domain, n) for i, name, org, domain, n in rows]


def read_answers(
    session: Session,
    prompt_id: int,
    people: dict[int, Person],
    *,
    anonymous: bool,
    authors: Collection[int] | None = None,
    ids: Collection[int] | None = None,
) -> list[AnswerView] | None:
    """The prompt's answers (or only those of these authors, or with these ids) with their
    "+1" counts, in order of id. None if an author is not in `people` (joined since)."""
    query = _answers_query(authors is not None, ids is not None)
    params: dict[str, object] = {"prompt_id": prompt_id}
    if authors is not None:
        params["authors"] = list(authors)
    if ids is not None:
        params["ids"] = list(ids)
    answers: list[AnswerView] = []
    rows = session.connection().execute(query, params).all()
    for answer_id, pid, text, value, hidden, reasons, held, plus_ones in rows:
        person = people.get(pid)
        if person is None:
            return None
        answers.append(
            AnswerView(
                id=answer_id,
                participant_id=pid,
                text=text,
                value=value,
                author=None if anonymous or not person.name else person.name,
                organisation=person.organisation,
                domain=person.domain,
                hidden=bool(hidden),
                plus_ones=int(plus_ones),
                personal_data=tuple(pii.LABELS[k] for k in pii.decode(reasons)) if reasons else (),
                held=bool(held),
            )
        )
    return answers


@cache
def _answers_query(
    by_author: bool, by_id: bool
) -> Select[int | None, int, str | None, int | None, bool, str | None, bool, Any]:
    """Built once per shape: building a statement costs more than SQLite takes to run it."""
    counted = (
        select(Reaction.answer_id, func.count().label("n"))
        .join(Answer, col(Answer.id) == Reaction.answer_id)
        .where(Answer.prompt_id == bindparam("prompt_id"))
    )
    if by_author:
        counted = counted.where(
            col(Answer.participant_id).in_(bindparam("authors", expanding=True))
        )
    if by_id:
        counted = counted.where(col(Answer.id).in_(bindparam("ids", expanding=True)))
    plus = counted.group_by(col(Reaction.answer_id)).subquery()
    query = (
        columns(
            col(Answer.id),
            col(Answer.participant_id),
            col(Answer.text),
            col(Answer.value),
            col(Answer.hidden),
            col(Answer.pii_reasons),
            col(Answer.held),
            func.coalesce(plus.c.n, 0),
        )
        .outerjoin(plus, plus.c.answer_id == Answer.id)
        .where(col(Answer.prompt_id) == bindparam("prompt_id"), col(Answer.withdrawn).is_(False))
    )
    if by_author:
        query = query.where(col(Answer.participant_id).in_(bindparam("authors", expanding=True)))
    if by_id:
        query = query.where(col(Answer.id).in_(bindparam("ids", expanding=True)))
    return query.order_by(col(Answer.id))


_REACTED = (
    columns(col(Reaction.participant_id), col(Reaction.answer_id))
    .join(Answer, col(Answer.id) == col(Reaction.answer_id))
    .where(col(Answer.prompt_id) == bindparam("prompt_id"))
)
_REACTED_BY = _REACTED.where(
    col(Reaction.participant_id).in_(bindparam("reactors", expanding=True))
)


def read_reacted(
    session: Session, prompt_id: int, reactors: Collection[int] | None = None
) -> dict[int, set[int]]:
    """participant id -> the prompt's answers they said "herken ik" to."""
    connection = session.connection()
    if reactors is None:
        rows = connection.execute(_REACTED, {"prompt_id": prompt_id}).all()
    else:
        params = {"prompt_id": prompt_id, "reactors": list(reactors)}
        rows = connection.execute(_REACTED_BY, params).all()
    reacted: dict[int, set[int]] = {}
    for reactor, answer_id in rows:
        reacted.setdefault(reactor, set()).add(answer_id)
    return reacted


def own_answers(answers: list[AnswerView]) -> dict[int, list[AnswerView]]:
    own: dict[int, list[AnswerView]] = {}
    for view in answers:
        own.setdefault(view.participant_id, []).append(view)
    return own


def load_room(
    *,
    session: Session,
    workshop_id: int,
    only_participant: int | None = None,
    with_agenda: bool = True,
) -> Room | None:
    """Everything the live fragments show, in a handful of queries.

    With only_participant, just that person and their own answers are read: enough for
    their private fragments (answer form, own answers), at a fraction of the cost in a big
    room. Presence and room answers of such a Room are partial: never render shared
    fragments from it. Without with_agenda, the doe-agenda is not read.
    """
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        return None
    total, themes = session.execute(
        select(func.count(), func.max(WorkshopPrompt.theme_number)).where(
            WorkshopPrompt.workshop_id == workshop_id
        )
    ).one()
    prompt = None
    if workshop.current_position is not None:
        prompt = session.exec(
            select(WorkshopPrompt).where(
                WorkshopPrompt.workshop_id == workshop_id,
                WorkshopPrompt.position == workshop.current_position,
            )
        ).first()
    only = None if only_participant is None else (only_participant,)
    people = read_people(session, workshop_id, only)
    by_id = {p.id: p for p in people}
    answers: list[AnswerView] = []
    reacted: dict[int, set[int]] = {}
    if prompt is not None:
        assert prompt.id is not None
        # Columns, not entities: a room of 500 people and 500 answers is read as plain rows.
        # An answer of someone who joined after the people were read: the next push has it.
        read = read_answers(session, prompt.id, by_id, anonymous=workshop.anonymous, authors=only)
        answers = read if read is not None else []
        if read is None:
            answers = _known_only(session, prompt.id, by_id, workshop.anonymous, only)
        reacted = read_reacted(session, prompt.id, only)
    room = Room(
        workshop=workshop,
        seq=workshop.seq,
        prompt=prompt,
        total_prompts=int(total),
        theme_count=int(themes or 0),
        answers=answers,
        presence=presence_of(people, anonymous=workshop.anonymous),
        timer_ends_at=workshop.timer_ends_at,
        reacted=reacted,
        own=own_answers(answers),
        people=by_id,
    )
    if only_participant is None:
        _load_shared(session, room, with_agenda=with_agenda)
    return room


def _known_only(
    session: Session,
    prompt_id: int,
    by_id: dict[int, Person],
    anonymous: bool,
    only: Collection[int] | None,
) -> list[AnswerView]:
    """The answers of people already read (rare: someone joined and answered meanwhile)."""
    known = list(by_id) if only is None else [p for p in only if p in by_id]
    read = read_answers(session, prompt_id, by_id, anonymous=anonymous, authors=known)
    return read or []


def _load_shared(session: Session, room: Room, *, with_agenda: bool) -> None:
    """What only the shared views show: groups, the wall, the agenda, the dot vote."""
    workshop, prompt = room.workshop, room.prompt
    assert workshop.id is not None
    if prompt is not None and prompt.kind != "scale":
        assert prompt.id is not None
        room.groups = groups_of(session=session, prompt_id=prompt.id)
    room.wall = load_view(
        session=session,
        workshop_id=workshop.id,
        prompt_id=None if prompt is None else prompt.id,
    )
    if with_agenda:
        room.agenda = load_sheet(session=session, workshop=workshop, today=local_today())
        room.programme = _programme(session, workshop.id)
        room.review = screen_if_review(session=session, workshop=workshop)
    if room.wall.mode is ProjectorMode.votes:
        # Also on a push of the wall alone (the projector switched to the vote).
        if room.agenda is None:
            room.agenda = load_sheet(session=session, workshop=workshop, today=local_today())
        room.ranking = ranking(session=session, workshop_id=workshop.id)


def _programme(session: Session, workshop_id: int) -> list[ProgrammeEntry]:
    counted = func.count(col(Answer.id))
    rows = session.execute(
        columns(
            col(WorkshopPrompt.position),
            col(WorkshopPrompt.theme_number),
            col(WorkshopPrompt.text),
            col(WorkshopPrompt.phase),
            counted,
        )
        .outerjoin(
            Answer,
            (col(Answer.prompt_id) == WorkshopPrompt.id) & col(Answer.withdrawn).is_(False),
        )
        .where(col(WorkshopPrompt.workshop_id) == workshop_id)
        .group_by(col(WorkshopPrompt.id))
        .order_by(col(WorkshopPrompt.position))
    ).all()
    return [ProgrammeEntry(p, t, text, PromptPhase(ph), int(n)) for p, t, text, ph, n in rows]
