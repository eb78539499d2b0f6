"""The projector's answer wall: what the facilitator chose to show and in which order.

The projector pages the wall itself (static/wall.js measures what fits); the server holds
only the choices every projector must share: the order, the mode (answers or doe-agenda),
pause, a page turn counter and the one answer in the spotlight. See docs/wall.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from sqlmodel import Session, col, select

from app.events import Publisher, Topic
from app.i18n import N_
from app.ids import is_db_id
from app.models import Answer, Domain, WallState, Workshop, WorkshopPrompt, WorkshopStatus
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.sequence import commit_change


class WallOrder(StrEnum):
    reactions = "reactions"  # most "herken ik" first, then in order of arrival
    newest = "newest"
    domain = "domain"  # domain by domain (in the order of Domain), each in order of arrival
    # Group by group (in the facilitator's order of groups), each in order of arrival;
    # answers in no group last.
    group = "group"


class ProjectorMode(StrEnum):
    answers = "answers"  # the prompt and its answer wall
    agenda = "agenda"  # the doe-agenda, most dots first
    groups = "groups"  # the current prompt's groups: label, count, a few answers
    words = "words"  # the current prompt's most used words (docs/wall.md)
    votes = "votes"  # the ranking of the current dot vote (items or answers)


class WallOp(StrEnum):
    order = "order"
    mode = "mode"
    pause = "pause"
    resume = "resume"
    next = "next"
    previous = "previous"
    spotlight = "spotlight"
    unspotlight = "unspotlight"


# Dutch msgids; the console shows them translated.
ORDER_LABELS: dict[WallOrder, str] = {
    WallOrder.reactions: N_("Meest herkend"),
    WallOrder.newest: N_("Nieuwste eerst"),
    WallOrder.domain: N_("Per domein"),
    WallOrder.group: N_("Per groep"),
}
MODE_LABELS: dict[ProjectorMode, str] = {
    ProjectorMode.answers: N_("Antwoorden"),
    ProjectorMode.agenda: N_("Doe-agenda"),
    ProjectorMode.groups: N_("Groepen"),
    ProjectorMode.words: N_("Woorden"),
    ProjectorMode.votes: N_("Stemmen"),
}


@dataclass(frozen=True)
class WallView:
    """The choices as they hold now: mode, pause and spotlight only for the prompt they
    were made at, so moving on never leaves the projector on the agenda or a spotlight."""

    order: WallOrder = WallOrder.reactions
    mode: ProjectorMode = ProjectorMode.answers
    paused: bool = False
    turn: int = 0
    spotlight_answer_id: int | None = None


class AnswerLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def plus_ones(self) -> int: ...
    @property
    def domain(self) -> Domain: ...


A = TypeVar("A", bound=AnswerLike)
_DOMAIN_RANK = {d: i for i, d in enumerate(Domain)}


# Sorts after every group's position: answers in no group come last.
_UNGROUPED = 1 << 30


def _sort_key(order: WallOrder, group_of: Mapping[int, int]) -> Callable[[A], tuple[int, ...]]:
    """One key function per order (chosen once, not per answer: a wall re-sorts every push)."""
    match order:
        case WallOrder.group:
            return lambda a: (group_of.get(a.id, _UNGROUPED), a.id)
        case WallOrder.newest:
            return lambda a: (-a.id,)
        case WallOrder.domain:
            return lambda a: (_DOMAIN_RANK[a.domain], a.id)
        case WallOrder.reactions:
            return lambda a: (-a.plus_ones, a.id)


def ordered(
    answers: Iterable[A], order: WallOrder, group_of: Mapping[int, int] | None = None
) -> list[A]:
    """The answers in the wall's order (the projector pages through them in this order).
    `group_of` maps an answer id to its group's position, for the order by group."""
    return sorted(answers, key=_sort_key(order, group_of or {}))


def _prompt_id(session: Session, workshop: Workshop) -> int | None:
    if workshop.current_position is None:
        return None
    return session.exec(
        select(WorkshopPrompt.id).where(
            WorkshopPrompt.workshop_id == workshop.id,
            WorkshopPrompt.position == workshop.current_position,
        )
    ).first()


def view_of(state: WallState | None, prompt_id: int | None) -> WallView:
    """The choices that hold at this prompt (None: the lobby)."""
    if state is None:
        return WallView()
    try:
        order = WallOrder(state.answer_order)
    except ValueError:  # an order a later version stored and this one does not know
        order = WallOrder.reactions
    if state.prompt_id != prompt_id:
        return WallView(order=order, turn=state.turn)
    try:
        mode = ProjectorMode(state.mode)
    except ValueError:
        mode = ProjectorMode.answers
    return WallView(
        order=order,
        mode=mode,
        paused=state.paused,
        turn=state.turn,
        spotlight_answer_id=state.spotlight_answer_id,
    )


def load_view(*, session: Session, workshop_id: int, prompt_id: int | None) -> WallView:
    return view_of(session.get(WallState, workshop_id), prompt_id)


def change_wall(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    op: WallOp,
    order: str | None = None,
    mode: str | None = None,
    answer_id: int | None = None,
) -> WallView:
    """Carry out one of the facilitator's wall choices, commit, then tell the projectors."""
    assert workshop.id is not None
    prompt_id = _prompt_id(session, workshop)
    state = session.get(WallState, workshop.id) or WallState(workshop_id=workshop.id)
    if state.prompt_id != prompt_id:
        # Choices made at another prompt are void here (see WallView); start this one clean.
        state.mode, state.paused, state.spotlight_answer_id = ProjectorMode.answers, False, None
        state.prompt_id = prompt_id
    topics = {Topic.wall}
    match op:
        case WallOp.order:
            state.answer_order = _parse(WallOrder, order, N_("Kies een volgorde voor de wand."))
            # The projector's list itself changes order: push it as answers too.
            topics.add(Topic.answers)
        case WallOp.mode:
            state.mode = _parse(ProjectorMode, mode, N_("Kies wat de projector toont."))
        case WallOp.pause | WallOp.resume:
            state.paused = op is WallOp.pause
        case WallOp.next:
            state.turn += 1
        case WallOp.previous:
            state.turn -= 1
        case WallOp.spotlight:
            state.spotlight_answer_id = _spotlightable(session, workshop, prompt_id, answer_id)
            state.mode = ProjectorMode.answers
        case WallOp.unspotlight:
            state.spotlight_answer_id = None
    session.add(state)
    session.flush()
    commit_change(session=session, publisher=publisher, workshop_id=workshop.id, topics=topics)
    return view_of(state, prompt_id)


E = TypeVar("E", bound=StrEnum)


def _parse(kind: type[E], value: str | None, message: str) -> str:
    choices: Sequence[str] = [e.value for e in kind]
    if value not in choices:
        raise InvalidInput(message)
    return str(value)


def _spotlightable(
    session: Session, workshop: Workshop, prompt_id: int | None, answer_id: int | None
) -> int:
    if workshop.status is WorkshopStatus.ended:
        raise Conflict(N_("Deze bijeenkomst is afgelopen."))
    if answer_id is None or not is_db_id(answer_id):
        raise InvalidInput(N_("Kies het antwoord dat je wilt uitlichten."))
    answer = session.exec(
        select(Answer).where(col(Answer.id) == answer_id, Answer.workshop_id == workshop.id)
    ).first()
    if answer is None or answer.withdrawn:
        raise NotFound(N_("Dit antwoord bestaat niet."))
    if answer.prompt_id != prompt_id:
        raise Conflict(N_("Je kunt alleen een antwoord op de huidige vraag uitlichten."))
    if answer.hidden:
        raise Conflict(N_("Dit antwoord is verborgen; laat het eerst weer zien."))
    if answer.held:
        raise Conflict(N_("Dit antwoord wacht op controle; geef het eerst vrij."))
    if answer.text is None:
        raise Conflict(N_("Alleen een geschreven antwoord kan uitgelicht worden."))
    return answer_id
