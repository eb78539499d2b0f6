"""The room as the live views see it: plain values, read in one go by app/live/state.py."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from operator import attrgetter
from typing import ClassVar, NamedTuple

from app.models import Domain, PromptPhase, Workshop, WorkshopPrompt, WorkshopStatus
from app.services.agenda_sheet import AgendaSheet
from app.services.groups import GroupView
from app.services.review_screen import ReviewScreen
from app.services.voting import Ranked
from app.services.wall import WallOrder, WallView, ordered
from app.services.words import Term, frequent_terms


class Person(NamedTuple):
    """A participant as the room shows them."""

    id: int
    name: str | None
    organisation: str | None
    domain: Domain
    connections: int


# Above this many revealed answers a phone gets groups or the first page, not the list.
PHONE_LIST_MAX = 30
# Answers a phone shows per group before "Toon alle"; and on the first page without groups.
PHONE_GROUP_PREVIEW = 3
PHONE_PAGE = 20
_BY_ID = attrgetter("id")
_PLUS_ONES = attrgetter("plus_ones")


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
    # Everyone in the room by id: the hub builds the next answers and presence from it.
    people: dict[int, Person] = field(default_factory=dict)

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

    @cached_property
    def visible_answers(self) -> list[AnswerView]:
        """What the room may see: nothing before reveal, never a hidden or held answer; most
        "herken ik" first, then in order of arrival."""
        if not self.revealed:
            return []
        rows = sorted((a for a in self.answers if a.shown), key=_BY_ID)
        # Stable, so equal counts keep the order of arrival (and cheap: most are 0).
        rows.sort(key=_PLUS_ONES, reverse=True)
        return rows

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

    @cached_property
    def wall_answers(self) -> list[AnswerView]:
        """What the projector's wall shows, in the facilitator's order."""
        if self.wall.order is WallOrder.reactions:
            return self.visible_answers  # already in that order
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

    @cached_property
    def answered(self) -> int:
        return len({a.participant_id for a in self.answers})

    def answers_by_domain(self, *, with_hidden: bool) -> list[tuple[Domain, int]]:
        """Answers to the current prompt per domain, for every domain in the room (0 when
        quiet), in the order of Domain. Only the facilitator counts hidden and held answers."""
        counted = self._domain_counts[with_hidden]
        present = {d for d, _n in self.presence.by_domain} | set(counted)
        return [(d, counted[d]) for d in Domain if d in present]

    @property
    def hidden_count(self) -> int:
        """Answers the room does not see (hidden or held): the facilitator's chart says so."""
        return sum(self._domain_counts[True].values()) - sum(self._domain_counts[False].values())

    @cached_property
    def _domain_counts(self) -> dict[bool, Counter[Domain]]:
        """Answers per domain, shown ones only (False) and all (True): counted once."""
        shown: Counter[Domain] = Counter()
        every: Counter[Domain] = Counter()
        for a in self.answers:
            every[a.domain] += 1
            if a.shown:
                shown[a.domain] += 1
        return {False: shown, True: every}

    @property
    def distribution(self) -> list[tuple[int, int, int]]:
        """(value, count, percent) for a scale prompt, over answers the room may see."""
        shown = [a for a in self.answers if a.shown and a.value is not None]
        counts = Counter(a.value for a in shown)
        total = len(shown) or 1
        return [(v, counts[v], round(100 * counts[v] / total)) for v in range(1, 6)]


def presence_of(people: list[Person], *, anonymous: bool) -> PresenceView:
    domains = Counter(p.domain for p in people)
    return PresenceView(
        joined=len(people),
        online=sum(1 for p in people if p.connections > 0),
        by_domain=[(d, domains[d]) for d in Domain if domains[d]],
        people=[
            (None if anonymous else p.name, p.organisation, p.domain, p.connections > 0)
            for p in people
        ],
    )
