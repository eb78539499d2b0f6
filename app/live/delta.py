"""A room the hub holds, brought up to date by reading only the rows that changed.

The database stays the source of truth: a delta applies only when the events since the held
room's seq are all known and all of kinds it can follow (answers of named participants,
presence), and the database is at the seq they end at. Anything else reads the room whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection

from sqlalchemy import bindparam
from sqlalchemy import select as columns
from sqlmodel import Session, col

from app.events import Event, Topic
from app.live.room import AnswerView, Person, Room, presence_of
from app.live.state import read_answers, read_people, read_reacted
from app.models import Workshop

_SEQ = columns(col(Workshop.seq)).where(col(Workshop.id) == bindparam("workshop_id"))
# What a delta can follow: everything else (stage, agenda, groups, wall) reads the room whole.
FOLLOWED = frozenset({Topic.answers, Topic.presence})


def followable(event: Event) -> bool:
    """Can a held room follow this event by reading only its rows?"""
    if event.resync or not event.topics <= FOLLOWED:
        return False
    # An answer change says whose answers (or "+1"s) changed; without that, read whole.
    return Topic.answers not in event.topics or bool(event.participant_ids)


def needs_reading(room: Room, seqs: Collection[int]) -> int | None:
    """The seq to read up to, 0 if the held room already has every change, or None if the
    events since the room's seq are not all known (one was lost or is still on its way)."""
    newer = sorted(s for s in seqs if s > room.seq)
    if not newer:
        return 0
    if newer != list(range(room.seq + 1, newer[-1] + 1)):
        return None
    return newer[-1]


def apply_changes(
    session: Session,
    room: Room,
    *,
    seq: int,
    participant_ids: frozenset[int],
    presence: bool,
) -> Room | None:
    """`room` at `seq`: these participants' answers and "+1"s read again (and everyone's
    presence, if it changed). None when the database is not at `seq`: read the room whole."""
    workshop_id, prompt = room.workshop.id, room.prompt
    assert workshop_id is not None
    now = (
        session.connection()
        .execute(columns(col(Workshop.seq)).where(col(Workshop.id) == workshop_id))
        .scalar_one_or_none()
    )
    if now != seq:
        return None
    people = room.people
    presence_view = room.presence
    if presence:
        read = read_people(session, workshop_id)
        people = {p.id: p for p in read}
        presence_view = presence_of(read, anonymous=room.workshop.anonymous)
    answers, own, reacted = room.answers, room.own, room.reacted
    if participant_ids and prompt is not None:
        assert prompt.id is not None
        changed = _answers(session, room, prompt.id, people, participant_ids)
        if changed is None:
            return None
        answers, own, reacted = changed
    return dataclasses.replace(
        room,
        seq=seq,
        answers=answers,
        own=own,
        reacted=reacted,
        people=people,
        presence=presence_view,
    )


def _answers(
    session: Session,
    room: Room,
    prompt_id: int,
    people: dict[int, Person],
    pids: frozenset[int],
) -> tuple[list[AnswerView], dict[int, list[AnswerView]], dict[int, set[int]]] | None:
    """The answers, own answers and "+1"s after these participants wrote or reacted."""
    anonymous = room.workshop.anonymous
    theirs = read_answers(session, prompt_id, people, anonymous=anonymous, authors=pids)
    reacted_now = read_reacted(session, prompt_id, pids)
    # Answers whose count a "+1" given or taken back changed.
    recounted: set[int] = set()
    for pid in pids:
        recounted |= room.reacted.get(pid, set()) ^ reacted_now.get(pid, set())
    others: list[AnswerView] | None = []
    if recounted:
        others = read_answers(session, prompt_id, people, anonymous=anonymous, ids=recounted)
    if theirs is None or others is None:
        return None
    by_id = {a.id: a for a in room.answers if a.participant_id not in pids}
    # Whose own answers changed: the writers', and the authors of answers a "+1" recounted.
    affected = set(pids)
    for answer_id in recounted:
        gone = by_id.pop(answer_id, None)  # withdrawn meanwhile: not read again, so gone
        if gone is not None:
            affected.add(gone.participant_id)
    # An answer read again but unchanged stays the very same object: the renderer skips
    # whatever is identical to what it pushed before (render_answer_changes).
    before = {a.id: a for pid in pids for a in room.own.get(pid, ())}
    for view in others:
        if view.participant_id not in pids:
            by_id[view.id] = view
            affected.add(view.participant_id)
    for view in theirs:
        old = before.get(view.id)
        by_id[view.id] = old if old is not None and old == view else view
    answers = [by_id[i] for i in sorted(by_id)]
    own = {p: mine for p, mine in room.own.items() if p not in affected}
    for view in answers:
        if view.participant_id in affected:
            own.setdefault(view.participant_id, []).append(view)
    reacted = dict(room.reacted)
    for pid in pids:
        if pid in reacted_now:
            reacted[pid] = reacted_now[pid]
        else:
            reacted.pop(pid, None)
    return answers, own, reacted
