"""Dot voting: the facilitator hands out dots; participants place them on items, answers or
answer groups (one kind at a time)."""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from app.agenda_models import Agenda, AgendaItem, DotVote
from app.events import Publisher, Topic
from app.i18n import N_
from app.models import Answer, AnswerGroup, Participant, Workshop, WorkshopPrompt, WorkshopStatus
from app.services.agenda import agenda_of, ensure_agenda
from app.services.errors import Conflict, InvalidInput, NotFound, WorkshopEnded
from app.services.sequence import commit_change
from app.services.vote_results import VOTE_ON_ANSWERS as VOTE_ON_ANSWERS
from app.services.vote_results import VOTE_ON_GROUPS as VOTE_ON_GROUPS
from app.services.vote_results import VOTE_ON_ITEMS as VOTE_ON_ITEMS
from app.services.vote_results import VOTE_TARGETS as VOTE_TARGETS
from app.services.vote_results import Ranked as Ranked
from app.services.vote_results import Results as Results
from app.services.vote_results import ranking as ranking
from app.services.vote_results import results as results

MAX_DOTS = 20


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
        raise InvalidInput(
            N_("Kies of er gestemd wordt op actiepunten, op antwoorden of op groepen.")
        )
    if dots and workshop.status is WorkshopStatus.ended:
        raise WorkshopEnded()
    agenda = ensure_agenda(session=session, workshop=workshop)
    agenda.dots_per_participant = dots
    agenda.vote_on = vote_on
    session.add(agenda)
    session.flush()
    commit_change(
        session=session, publisher=publisher, workshop_id=workshop.id, topics={Topic.agenda}
    )
    return agenda


def dots_used(*, session: Session, participant_id: int) -> int:
    used = session.exec(
        select(func.coalesce(func.sum(DotVote.count), 0)).where(
            DotVote.participant_id == participant_id
        )
    ).one()
    return int(used)


def _kind(item_id: int | None, answer_id: int | None, group_id: int | None) -> str:
    given = [
        k
        for k, v in zip(VOTE_TARGETS, (item_id, answer_id, group_id), strict=True)
        if v is not None
    ]
    if len(given) != 1:
        raise InvalidInput(
            "Kies één actiepunt, één antwoord of één groep om een stip op te zetten."
        )
    return given[0]


def _check_target(
    session: Session,
    workshop_id: int,
    item_id: int | None,
    answer_id: int | None,
    group_id: int | None,
) -> None:
    if item_id is not None:
        item = session.get(AgendaItem, item_id)
        agenda = session.get(Agenda, item.agenda_id) if item is not None else None
        if agenda is None or agenda.workshop_id != workshop_id:
            raise NotFound("Dit actiepunt bestaat niet (meer).")
        return
    if group_id is not None:
        group = session.get(AnswerGroup, group_id)
        if group is None or group.workshop_id != workshop_id:
            raise NotFound("Deze groep bestaat niet (meer).")
        shown = session.get(WorkshopPrompt, group.prompt_id)
        if shown is None or not shown.revealed:
            raise Conflict("Je kunt alleen stemmen op groepen die getoond worden.")
        return
    answer = session.get(Answer, answer_id)
    if answer is None or answer.workshop_id != workshop_id:
        raise NotFound("Dit antwoord bestaat niet.")
    prompt = session.get(WorkshopPrompt, answer.prompt_id)
    assert prompt is not None
    if answer.hidden or answer.held or answer.withdrawn or not prompt.revealed:
        raise Conflict("Je kunt alleen stemmen op antwoorden die getoond worden.")


def _wrong_kind(vote_on: str) -> None:
    """A dot on another kind of thing than the room votes on now."""
    if vote_on == VOTE_ON_ANSWERS:
        raise Conflict("Er wordt nu gestemd op antwoorden, niet hierop.")
    if vote_on == VOTE_ON_GROUPS:
        raise Conflict("Er wordt nu gestemd op groepen, niet hierop.")
    raise Conflict("Er wordt nu gestemd op actiepunten, niet hierop.")


def _existing(
    session: Session,
    participant_id: int,
    item_id: int | None,
    answer_id: int | None,
    group_id: int | None,
) -> DotVote | None:
    return session.exec(
        select(DotVote).where(
            DotVote.participant_id == participant_id,
            DotVote.item_id == item_id if item_id is not None else col(DotVote.item_id).is_(None),
            DotVote.answer_id == answer_id
            if answer_id is not None
            else col(DotVote.answer_id).is_(None),
            DotVote.group_id == group_id
            if group_id is not None
            else col(DotVote.group_id).is_(None),
        )
    ).first()


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
    group_id: int | None = None,
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
    kind = _kind(item_id, answer_id, group_id)
    _check_target(session, workshop.id, item_id, answer_id, group_id)
    assert agenda is not None
    if kind != agenda.vote_on:
        _wrong_kind(agenda.vote_on)
    _lock_participant(session, participant.id)
    used = dots_used(session=session, participant_id=participant.id)
    if used >= allowed:
        raise Conflict(
            N_("Je hebt al je %(dots)s stippen gebruikt. Haal er een weg om te wisselen."),
            dots=allowed,
        )
    vote = _existing(session, participant.id, item_id, answer_id, group_id)
    if vote is None:
        vote = DotVote(
            workshop_id=workshop.id,
            participant_id=participant.id,
            item_id=item_id,
            answer_id=answer_id,
            group_id=group_id,
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
    # The agenda topic: the counts change for all; only this participant's own view changed.
    commit_change(
        session=session,
        publisher=publisher,
        workshop_id=workshop.id,
        topics={Topic.agenda},
        participant_ids={participant.id},
    )
    return allowed - used - 1


def remove_dot(
    *,
    session: Session,
    publisher: Publisher,
    participant: Participant,
    item_id: int | None = None,
    answer_id: int | None = None,
    group_id: int | None = None,
) -> None:
    """Take one of your own dots back."""
    assert participant.id is not None
    _kind(item_id, answer_id, group_id)
    _lock_participant(session, participant.id)
    vote = _existing(session, participant.id, item_id, answer_id, group_id)
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
    commit_change(
        session=session,
        publisher=publisher,
        workshop_id=participant.workshop_id,
        topics={Topic.agenda},
        participant_ids={participant.id},
    )
