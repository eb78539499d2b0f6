"""Dot voting: the facilitator hands out dots; participants place them on answers or items."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from app.i18n import N_
from app.live.events import Event, Publisher, Topic
from app.models import (
    Agenda,
    AgendaItem,
    Answer,
    DotVote,
    Participant,
    Workshop,
    WorkshopPrompt,
    WorkshopStatus,
)
from app.services.agenda import agenda_of, ensure_agenda, publish_agenda
from app.services.errors import Conflict, InvalidInput, NotFound, WorkshopEnded
from app.services.sequence import bump_seq

MAX_DOTS = 20
# What the room votes on: one kind at a time, so phones never show a mix of both.
VOTE_ON_ITEMS = "items"
VOTE_ON_ANSWERS = "answers"
VOTE_TARGETS = (VOTE_ON_ITEMS, VOTE_ON_ANSWERS)


def set_dots(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    dots: int,
    vote_on: str = VOTE_ON_ITEMS,
) -> Agenda:
    """Dots per participant and what they go on; 0 closes voting. Dots already placed stay."""
    assert workshop.id is not None
    if not 0 <= dots <= MAX_DOTS:
        raise InvalidInput(N_("Geef elke deelnemer 0 tot %(most)s stippen."), most=MAX_DOTS)
    if vote_on not in VOTE_TARGETS:
        raise InvalidInput(N_("Kies of er gestemd wordt op actiepunten of op antwoorden."))
    if dots and workshop.status is WorkshopStatus.ended:
        raise WorkshopEnded()
    agenda = ensure_agenda(session=session, workshop=workshop)
    agenda.dots_per_participant = dots
    agenda.vote_on = vote_on
    session.add(agenda)
    session.flush()
    seq = bump_seq(session=session, workshop_id=workshop.id)
    session.commit()
    publish_agenda(publisher, workshop.id, seq)
    return agenda


def dots_used(*, session: Session, participant_id: int) -> int:
    used = session.exec(
        select(func.coalesce(func.sum(DotVote.count), 0)).where(
            DotVote.participant_id == participant_id
        )
    ).one()
    return int(used)


def _check_target(
    session: Session, workshop_id: int, item_id: int | None, answer_id: int | None
) -> None:
    if (item_id is None) == (answer_id is None):
        raise InvalidInput("Kies één actiepunt of één antwoord om een stip op te zetten.")
    if item_id is not None:
        item = session.get(AgendaItem, item_id)
        agenda = session.get(Agenda, item.agenda_id) if item is not None else None
        if agenda is None or agenda.workshop_id != workshop_id:
            raise NotFound("Dit actiepunt bestaat niet (meer).")
        return
    answer = session.get(Answer, answer_id)
    if answer is None or answer.workshop_id != workshop_id:
        raise NotFound("Dit antwoord bestaat niet.")
    prompt = session.get(WorkshopPrompt, answer.prompt_id)
    assert prompt is not None
    if answer.hidden or answer.held or answer.withdrawn or not prompt.revealed:
        raise Conflict("Je kunt alleen stemmen op antwoorden die getoond worden.")


def _existing(
    session: Session, participant_id: int, item_id: int | None, answer_id: int | None
) -> DotVote | None:
    query = select(DotVote).where(DotVote.participant_id == participant_id)
    if item_id is not None:
        query = query.where(DotVote.item_id == item_id)
    else:
        query = query.where(DotVote.answer_id == answer_id)
    return session.exec(query).first()


def _publish(publisher: Publisher, workshop_id: int, seq: int, participant_id: int) -> None:
    publisher.publish(
        Event(
            workshop_id=workshop_id,
            seq=seq,
            topics=frozenset({Topic.agenda}),
            participant_ids=frozenset({participant_id}),
        )
    )


def _lock_participant(session: Session, participant_id: int) -> Participant:
    # On PostgreSQL two taps at once would both see the same dots left; the row lock
    # makes them take turns (SQLite's write transactions already do).
    person = session.exec(
        select(Participant).where(Participant.id == participant_id).with_for_update()
    ).one()
    return person


def place_dot(
    *,
    session: Session,
    publisher: Publisher,
    participant: Participant,
    item_id: int | None = None,
    answer_id: int | None = None,
) -> int:
    """Place one dot; returns the dots this participant has left."""
    assert participant.id is not None
    workshop = session.get(Workshop, participant.workshop_id)
    assert workshop is not None and workshop.id is not None
    if workshop.status is WorkshopStatus.ended:
        raise WorkshopEnded()
    agenda = agenda_of(session=session, workshop_id=workshop.id)
    allowed = agenda.dots_per_participant if agenda is not None else 0
    if allowed == 0:
        raise Conflict("Stemmen met stippen staat nu niet open.")
    _check_target(session, workshop.id, item_id, answer_id)
    assert agenda is not None
    if agenda.vote_on == VOTE_ON_ITEMS and item_id is None:
        raise Conflict("Er wordt nu gestemd op actiepunten, niet op antwoorden.")
    if agenda.vote_on == VOTE_ON_ANSWERS and answer_id is None:
        raise Conflict("Er wordt nu gestemd op antwoorden, niet op actiepunten.")
    _lock_participant(session, participant.id)
    used = dots_used(session=session, participant_id=participant.id)
    if used >= allowed:
        raise Conflict(
            N_("Je hebt al je %(dots)s stippen gebruikt. Haal er een weg om te wisselen."),
            dots=allowed,
        )
    vote = _existing(session, participant.id, item_id, answer_id)
    if vote is None:
        vote = DotVote(
            workshop_id=workshop.id,
            participant_id=participant.id,
            item_id=item_id,
            answer_id=answer_id,
            count=0,
        )
    vote.count += 1
    session.add(vote)
    if item_id is not None:
        session.execute(
            update(AgendaItem)
            .where(col(AgendaItem.id) == item_id)
            .values(votes=col(AgendaItem.votes) + 1)
        )
    session.flush()
    seq = bump_seq(session=session, workshop_id=workshop.id)
    session.commit()
    _publish(publisher, workshop.id, seq, participant.id)
    return allowed - used - 1


def remove_dot(
    *,
    session: Session,
    publisher: Publisher,
    participant: Participant,
    item_id: int | None = None,
    answer_id: int | None = None,
) -> None:
    """Take one of your own dots back."""
    assert participant.id is not None
    if (item_id is None) == (answer_id is None):
        raise InvalidInput("Kies één actiepunt of één antwoord.")
    _lock_participant(session, participant.id)
    vote = _existing(session, participant.id, item_id, answer_id)
    if vote is None or vote.count <= 0:
        raise Conflict("Hier staat geen stip van jou.")
    vote.count -= 1
    if vote.count == 0:
        session.delete(vote)
    else:
        session.add(vote)
    if item_id is not None:
        session.execute(
            update(AgendaItem)
            .where(col(AgendaItem.id) == item_id)
            .values(votes=col(AgendaItem.votes) - 1)
        )
    session.flush()
    seq = bump_seq(session=session, workshop_id=participant.workshop_id)
    session.commit()
    _publish(publisher, participant.workshop_id, seq, participant.id)


@dataclass(frozen=True)
class Results:
    item_votes: dict[int, int]
    answer_votes: dict[int, int]
    # participant id -> (item id or None, answer id or None) -> count
    own: dict[int, dict[tuple[int | None, int | None], int]]


def results(*, session: Session, workshop_id: int) -> Results:
    rows = session.exec(select(DotVote).where(DotVote.workshop_id == workshop_id)).all()
    items: dict[int, int] = {}
    answers: dict[int, int] = {}
    own: dict[int, dict[tuple[int | None, int | None], int]] = {}
    for vote in rows:
        if vote.item_id is not None:
            items[vote.item_id] = items.get(vote.item_id, 0) + vote.count
        if vote.answer_id is not None:
            answers[vote.answer_id] = answers.get(vote.answer_id, 0) + vote.count
        own.setdefault(vote.participant_id, {})[(vote.item_id, vote.answer_id)] = vote.count
    return Results(item_votes=items, answer_votes=answers, own=own)


@dataclass(frozen=True)
class Ranked:
    """One thing voted on, for the results: its text and its dots."""

    target_id: int
    text: str
    votes: int


def ranking(*, session: Session, workshop_id: int, limit: int = 10) -> list[Ranked]:
    """The things of the current vote (items or answers), most dots first, ties by age;
    hidden or withdrawn answers are left out, as the room never saw them."""
    agenda = agenda_of(session=session, workshop_id=workshop_id)
    if agenda is None or agenda.id is None:
        return []
    if agenda.vote_on == VOTE_ON_ANSWERS:
        total = func.sum(DotVote.count)
        rows = session.execute(
            select(Answer.id, Answer.text, total)
            .join(DotVote, col(DotVote.answer_id) == col(Answer.id))
            .where(
                DotVote.workshop_id == workshop_id,
                col(Answer.hidden).is_(False),
                col(Answer.withdrawn).is_(False),
            )
            .group_by(col(Answer.id), col(Answer.text))
            .order_by(total.desc(), col(Answer.id))
            .limit(limit)
        ).all()
        return [Ranked(int(i), text or "", int(n)) for i, text, n in rows if n]
    items = session.exec(
        select(AgendaItem)
        .where(AgendaItem.agenda_id == agenda.id, col(AgendaItem.votes) > 0)
        .order_by(col(AgendaItem.votes).desc(), col(AgendaItem.id))
        .limit(limit)
    ).all()
    return [Ranked(item.id or 0, item.title, item.votes) for item in items]
