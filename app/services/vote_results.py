"""Dot-vote results: who placed what, and the ranking of what the room voted on."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.agenda_models import AgendaItem, DotVote
from app.models import Answer, AnswerGroup
from app.services.agenda import agenda_of

# What the room votes on: one kind at a time, so phones never show a mix.
VOTE_ON_ITEMS = "items"
VOTE_ON_ANSWERS = "answers"
VOTE_ON_GROUPS = "groups"
VOTE_TARGETS = (VOTE_ON_ITEMS, VOTE_ON_ANSWERS, VOTE_ON_GROUPS)

# (item id, answer id, group id): exactly one of the three is set.
Target = tuple[int | None, int | None, int | None]


@dataclass(frozen=True)
class Results:
    item_votes: dict[int, int]
    answer_votes: dict[int, int]
    # participant id -> target -> count
    own: dict[int, dict[Target, int]]
    group_votes: dict[int, int]


def results(*, session: Session, workshop_id: int) -> Results:
    rows = session.exec(select(DotVote).where(DotVote.workshop_id == workshop_id)).all()
    items: dict[int, int] = {}
    answers: dict[int, int] = {}
    groups: dict[int, int] = {}
    own: dict[int, dict[Target, int]] = {}
    for vote in rows:
        if vote.item_id is not None:
            items[vote.item_id] = items.get(vote.item_id, 0) + vote.count
        if vote.answer_id is not None:
            answers[vote.answer_id] = answers.get(vote.answer_id, 0) + vote.count
        if vote.group_id is not None:
            groups[vote.group_id] = groups.get(vote.group_id, 0) + vote.count
        target = (vote.item_id, vote.answer_id, vote.group_id)
        own.setdefault(vote.participant_id, {})[target] = vote.count
    return Results(item_votes=items, answer_votes=answers, own=own, group_votes=groups)


@dataclass(frozen=True)
class Ranked:
    """One thing voted on, for the results: its text and its dots."""

    target_id: int
    text: str
    votes: int


def ranking(*, session: Session, workshop_id: int, limit: int = 10) -> list[Ranked]:
    """The things of the current vote (items, answers or groups), most dots first, ties by
    age; hidden or withdrawn answers are left out, as the room never saw them."""
    agenda = agenda_of(session=session, workshop_id=workshop_id)
    if agenda is None or agenda.id is None:
        return []
    total = func.sum(DotVote.count)
    if agenda.vote_on == VOTE_ON_ANSWERS:
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
    if agenda.vote_on == VOTE_ON_GROUPS:
        rows = session.execute(
            select(AnswerGroup.id, AnswerGroup.label, total)
            .join(DotVote, col(DotVote.group_id) == col(AnswerGroup.id))
            .where(DotVote.workshop_id == workshop_id)
            .group_by(col(AnswerGroup.id), col(AnswerGroup.label))
            .order_by(total.desc(), col(AnswerGroup.id))
            .limit(limit)
        ).all()
        return [Ranked(int(i), label, int(n)) for i, label, n in rows if n]
    items = session.exec(
        select(AgendaItem)
        .where(AgendaItem.agenda_id == agenda.id, col(AgendaItem.votes) > 0)
        .order_by(col(AgendaItem.votes).desc(), col(AgendaItem.id))
        .limit(limit)
    ).all()
    return [Ranked(item.id or 0, item.title, item.votes) for item in items]
