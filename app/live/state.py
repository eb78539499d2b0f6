"""The room as the views need it, read in one go; templates never query."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from sqlalchemy import func
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from app.models import (
    Answer,
    Domain,
    Participant,
    PromptPhase,
    Reaction,
    Workshop,
    WorkshopPrompt,
    WorkshopStatus,
)
from app.services import pii
from app.services.agenda_sheet import AgendaSheet, load_sheet, local_today
from app.services.groups import GroupView, groups_of
from app.services.review_screen import ReviewScreen, screen_if_review
from app.services.voting import Ranked, ranking
from app.services.wall import ProjectorMode, WallView, load_view, ordered
from app.services.words import Term, frequent_terms

# Above this many revealed answers a phone gets groups or the first page, not the list.
PHONE_LIST_MAX = 30
# Answers a phone shows per group before "Toon alle"; and on the first page without groups.
PHONE_GROUP_PREVIEW = 3
PHONE_PAGE = 20


@dataclass(frozen=True)
class AnswerView:
    id: int
    participant_id: int
    text: str | None
    value: int | None
    author: str | None  # None: anonymous (templates say so in the reader's language)
    organisation: str | None
    domain: Domain
    hidden: bool
    plus_ones: int
    # Dutch labels of the personal data its author was warned about and sent anyway.
    personal_data: tuple[str, ...] = ()
    # Waiting for a facilitator's review: seen only by the facilitator and its author.
    held: bool = False

    @property
    def shown(self) -> bool:
        """May the room (projector, other phones) see it once the prompt is revealed?"""
        return not (self.hidden or self.held)


@dataclass(frozen=True)
class ProgrammeEntry:
    """One prompt in the console's programme overview."""

    position: int
    theme_number: int
    text: str
    phase: PromptPhase
    answers: int


@dataclass(frozen=True)
class PresenceView:
    joined: int
    online: int
    by_domain: list[tuple[Domain, int]]
    people: list[tuple[str | None, str | None, Domain, bool]]


@dataclass
class Room:
    workshop: Workshop
    seq: int
    prompt: WorkshopPrompt | None
    total_prompts: int
    theme_count: int
    answers: list[AnswerView]
    presence: PresenceView
    timer_ends_at: datetime | None
    own: dict[int, list[AnswerView]] = field(default_factory=dict)
    # participant id -> the current prompt's answers they said "herken ik" to
    reacted: dict[int, set[int]] = field(default_factory=dict)
    # The doe-agenda; loaded only when a view of it is rendered.
    agenda: AgendaSheet | None = None
    # The current prompt's answer groups (Groeperen), in order.
    groups: list[GroupView] = field(default_factory=list)
    phone_preview: ClassVar[int] = PHONE_GROUP_PREVIEW
    phone_page: ClassVar[int] = PHONE_PAGE
    # The facilitator's choices for the projector's wall.
    wall: WallView = field(default_factory=WallView)
    # Every prompt with its answer count; loaded with the agenda (stage and agenda changes).
    programme: list[ProgrammeEntry] = field(default_factory=list)
    # The current dot vote, most dots first; loaded only while the projector shows it.
    ranking: list[Ranked] = field(default_factory=list)
    # The terugblik's screen (review projector); loaded with the agenda, None if no terugblik.
    review: ReviewScreen | None = None

    @property
    def lobby(self) -> bool:
        return self.workshop.status is WorkshopStatus.lobby

    @property
    def ended(self) -> bool:
        return self.workshop.status is WorkshopStatus.ended

    @property
    def is_open(self) -> bool:
        return self.prompt is not None and self.prompt.phase is PromptPhase.open

    @property
    def revealed(self) -> bool:
        return self.prompt is not None and self.prompt.revealed

    @property
    def visible_answers(self) -> list[AnswerView]:
        """What the room may see: nothing before reveal, never a hidden or held answer."""
        if not self.revealed:
            return []
        return sorted((a for a in self.answers if a.shown), key=lambda a: (-a.plus_ones, a.id))

    def grouped(self, *, visible: bool) -> list[tuple[GroupView, list[AnswerView]]]:
        """Each group with its answers; with `visible`, only what the room may see (groups
        left empty by that are left out)."""
        shown = self.visible_answers if visible else self.answers
        by_id = {a.id: a for a in shown}
        rows = [(g, [by_id[i] for i in g.answer_ids if i in by_id]) for g in self.groups]
        return [(g, answers) for g, answers in rows if answers or not visible]

    def ungrouped(self, *, visible: bool) -> list[AnswerView]:
        placed = {i for g in self.groups for i in g.answer_ids}
        shown = self.visible_answers if visible else self.answers
        return [a for a in shown if a.id not in placed]

    @property
    def phone_mode(self) -> str:
        """How phones show revealed answers: "list" for a small room, else "groups" (after
        Groeperen) or "top" (the most recognised first page): never a 300-item list."""
        if self.groups:
            return "groups"
        return "list" if len(self.visible_answers) <= PHONE_LIST_MAX else "top"

    @property
    def wall_answers(self) -> list[AnswerView]:
        """What the projector's wall shows, in the facilitator's order."""
        group_of = {i: n for n, g in enumerate(self.groups) for i in g.answer_ids}
        return ordered(self.visible_answers, self.wall.order, group_of)

    @property
    def word_terms(self) -> list[Term]:
        """The most used words of what the room may see (never a hidden or held answer)."""
        return frequent_terms(a.text for a in self.visible_answers if a.text)

    @property
    def spotlight(self) -> AnswerView | None:
        """The answer in the spotlight, while it may be shown (never a hidden one)."""
        wanted = self.wall.spotlight_answer_id
        if wanted is None or self.ended:
            return None
        return next((a for a in self.answers if a.id == wanted and a.shown and a.text), None)

    @property
    def answered(self) -> int:
        return len({a.participant_id for a in self.answers})

    def answers_by_domain(self, *, with_hidden: bool) -> list[tuple[Domain, int]]:
        """Answers to the current prompt per domain, for every domain in the room (0 when
        quiet), in the order of Domain. Only the facilitator counts hidden and held answers."""
        counted = Counter(a.domain for a in self.answers if with_hidden or a.shown)
        present = {d for d, _n in self.presence.by_domain} | set(counted)
        return [(d, counted[d]) for d in Domain if d in present]

    @property
    def distribution(self) -> list[tuple[int, int, int]]:
        """(value, count, percent) for a scale prompt, over answers the room may see."""
        shown = [a for a in self.answers if a.shown and a.value is not None]
        counts = Counter(a.value for a in shown)
        total = len(shown) or 1
        return [(v, counts[v], round(100 * counts[v] / total)) for v in range(1, 6)]


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
    # Columns, not entities: a room of 500 people and 500 answers is read as plain rows.
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
    who = columns(
        col(Participant.id),
        col(Participant.name),
        col(Participant.organisation),
        col(Participant.domain),
        col(Participant.connections),
    ).where(col(Participant.workshop_id) == workshop_id)
    if only_participant is not None:
        who = who.where(col(Participant.id) == only_participant)
    participants = session.execute(who.order_by(col(Participant.id))).all()
    anonymous = workshop.anonymous
    by_id = {p.id: p for p in participants}
    answers: list[AnswerView] = []
    if prompt is not None:
        # "+1"s of this prompt's answers only, not of the whole table.
        counted = (
            select(Reaction.answer_id, func.count().label("n"))
            .join(Answer, col(Answer.id) == Reaction.answer_id)
            .where(Answer.prompt_id == prompt.id)
        )
        if only_participant is not None:
            # An acknowledgement: count only this person's answers, not the whole room's.
            counted = counted.where(col(Answer.participant_id) == only_participant)
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
            .where(col(Answer.prompt_id) == prompt.id, col(Answer.withdrawn).is_(False))
        )
        if only_participant is not None:
            query = query.where(col(Answer.participant_id) == only_participant)
        rows = session.execute(query.order_by(col(Answer.id))).all()
        for answer_id, participant_id, text, value, hidden, pii_reasons, held, plus_ones in rows:
            person = by_id.get(participant_id)
            if person is None:
                # Joined after the participants were read: the next push shows the answer.
                continue
            answers.append(
                AnswerView(
                    id=answer_id,
                    participant_id=participant_id,
                    text=text,
                    value=value,
                    author=None if anonymous or not person.name else person.name,
                    organisation=person.organisation,
                    domain=person.domain,
                    hidden=bool(hidden),
                    plus_ones=int(plus_ones),
                    personal_data=tuple(pii.LABELS[k] for k in pii.decode(pii_reasons))
                    if pii_reasons
                    else (),
                    held=bool(held),
                )
            )
    reacted: dict[int, set[int]] = {}
    if prompt is not None:
        mine = (
            columns(col(Reaction.participant_id), col(Reaction.answer_id))
            .join(Answer, col(Answer.id) == col(Reaction.answer_id))
            .where(col(Answer.prompt_id) == prompt.id)
        )
        if only_participant is not None:
            mine = mine.where(col(Reaction.participant_id) == only_participant)
        for reactor, answer_id in session.execute(mine).all():
            reacted.setdefault(reactor, set()).add(answer_id)
    domains = Counter(p.domain for p in participants)
    presence = PresenceView(
        joined=len(participants),
        online=sum(1 for p in participants if p.connections > 0),
        by_domain=[(d, domains[d]) for d in Domain if domains[d]],
        people=[
            (None if anonymous else p.name, p.organisation, p.domain, p.connections > 0)
            for p in participants
        ],
    )
    room = Room(
        workshop=workshop,
        seq=workshop.seq,
        prompt=prompt,
        total_prompts=int(total),
        theme_count=int(themes or 0),
        answers=answers,
        presence=presence,
        timer_ends_at=workshop.timer_ends_at,
        reacted=reacted,
    )
    if prompt is not None and prompt.kind != "scale" and only_participant is None:
        assert prompt.id is not None
        room.groups = groups_of(session=session, prompt_id=prompt.id)
    if only_participant is None:
        room.wall = load_view(
            session=session,
            workshop_id=workshop_id,
            prompt_id=None if prompt is None else prompt.id,
        )
    for view in answers:
        room.own.setdefault(view.participant_id, []).append(view)
    if with_agenda and only_participant is None:
        room.agenda = load_sheet(session=session, workshop=workshop, today=local_today())
        room.programme = _programme(session, workshop_id)
        room.review = screen_if_review(session=session, workshop=workshop)
    if only_participant is None and room.wall.mode is ProjectorMode.votes:
        # Also on a push of the wall alone (the projector switched to the vote).
        if room.agenda is None:
            room.agenda = load_sheet(session=session, workshop=workshop, today=local_today())
        room.ranking = ranking(session=session, workshop_id=workshop_id)
    return room


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
