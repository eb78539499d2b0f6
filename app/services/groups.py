"""Answer groups of an open prompt: suggested by Groeperen, then shaped by the facilitator.

The rule for what may move by itself (docs/groups.md):
- A group is *fixed* once the facilitator accepts or edits it (rename, merge, split, a move
  into or out of it, or saving groups with `fixed`). Its members never move by themselves.
- An answer the facilitator took out of the groups stays out (a member row without a group).
- Everything else is *free*: answers in unfixed groups and answers in no group. Grouping
  again (`regroup`) recomputes only the free answers, into new unfixed groups.
- An answer that arrives after grouping joins the group `best_group` picks, or none; no
  other answer moves (`place_new_answer`, in the answer's own transaction).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, func
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from app.events import Publisher, Topic
from app.i18n import N_
from app.ids import is_db_id
from app.models import (
    Answer,
    AnswerGroup,
    AnswerGroupMember,
    Workshop,
    WorkshopPrompt,
)
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.grouping import Suggestion, best_group, suggest_groups
from app.services.sequence import commit_change
from app.services.text import clean_text

MAX_LABEL = 120
MAX_GROUPS = 60


@dataclass(frozen=True)
class GroupView:
    id: int
    label: str
    position: int
    fixed: bool
    answer_ids: tuple[int, ...]


@dataclass(frozen=True)
class GroupInput:
    label: str
    answer_ids: tuple[int, ...]
    fixed: bool = False


def open_prompt_of(*, session: Session, workshop: Workshop, prompt_id: int) -> WorkshopPrompt:
    """The workshop's prompt, if answers to it can be grouped (open text, not a scale)."""
    prompt = session.get(WorkshopPrompt, prompt_id) if is_db_id(prompt_id) else None
    if prompt is None or prompt.workshop_id != workshop.id:
        raise NotFound("Deze vraag bestaat niet in deze bijeenkomst.")
    if prompt.kind == "scale":
        raise Conflict("Groeperen kan alleen bij een open vraag, niet bij een schaalvraag.")
    return prompt


def _texts(session: Session, prompt_id: int, *, visible_only: bool) -> dict[int, str]:
    query = columns(col(Answer.id), col(Answer.text)).where(
        col(Answer.prompt_id) == prompt_id, col(Answer.withdrawn).is_(False)
    )
    if visible_only:
        query = query.where(col(Answer.hidden).is_(False), col(Answer.held).is_(False))
    return {i: t or "" for i, t in session.execute(query.order_by(col(Answer.id))).all()}


def suggest(*, session: Session, workshop: Workshop, prompt_id: int) -> list[Suggestion]:
    """A pure suggestion over the answers the room may see; nothing is stored."""
    prompt = open_prompt_of(session=session, workshop=workshop, prompt_id=prompt_id)
    assert prompt.id is not None
    texts = _texts(session, prompt.id, visible_only=True)
    return suggest_groups(sorted(texts.items()))


def groups_of(*, session: Session, prompt_id: int) -> list[GroupView]:
    """A prompt's groups in order, each with its answers (withdrawn ones left out)."""
    groups = session.exec(
        select(AnswerGroup)
        .where(AnswerGroup.prompt_id == prompt_id)
        .order_by(col(AnswerGroup.position), col(AnswerGroup.id))
    ).all()
    members: dict[int, list[int]] = {}
    rows = session.execute(
        columns(col(AnswerGroupMember.group_id), col(AnswerGroupMember.answer_id))
        .join(Answer, col(Answer.id) == AnswerGroupMember.answer_id)
        .where(
            col(AnswerGroupMember.prompt_id) == prompt_id,
            col(AnswerGroupMember.group_id).is_not(None),
            col(Answer.withdrawn).is_(False),
        )
        .order_by(col(AnswerGroupMember.answer_id))
    ).all()
    for group_id, answer_id in rows:
        members.setdefault(group_id, []).append(answer_id)
    return [
        GroupView(
            id=g.id or 0,
            label=g.label,
            position=g.position,
            fixed=g.fixed,
            answer_ids=tuple(members.get(g.id or 0, ())),
        )
        for g in groups
    ]


def clean_label(raw: str) -> str:
    label = clean_text(raw, limit=MAX_LABEL, field=N_("De naam van de groep"))
    if not label:
        raise InvalidInput("Geef de groep een naam.")
    return label


def commit_and_publish(session: Session, publisher: Publisher, workshop_id: int) -> None:
    """Commit, then tell every view: consoles redraw the panel, phones their grouped list."""
    session.flush()
    commit_change(
        session=session, publisher=publisher, workshop_id=workshop_id, topics={Topic.groups}
    )


def _next_position(session: Session, prompt_id: int) -> int:
    last = session.exec(
        select(func.max(AnswerGroup.position)).where(AnswerGroup.prompt_id == prompt_id)
    ).one()
    return 0 if last is None else int(last) + 1


def new_group(
    session: Session, prompt: WorkshopPrompt, label: str, *, fixed: bool, position: int
) -> AnswerGroup:
    assert prompt.id is not None
    group = AnswerGroup(
        workshop_id=prompt.workshop_id,
        prompt_id=prompt.id,
        label=label,
        position=position,
        fixed=fixed,
    )
    session.add(group)
    session.flush()
    return group


def place(
    session: Session, prompt_id: int, answer_ids: Sequence[int], group_id: int | None
) -> None:
    """Put answers in one group (or out of all groups), leaving any other group they were in."""
    if not answer_ids:
        return
    session.execute(
        delete(AnswerGroupMember).where(col(AnswerGroupMember.answer_id).in_(list(answer_ids)))
    )
    for answer_id in answer_ids:
        session.add(AnswerGroupMember(prompt_id=prompt_id, group_id=group_id, answer_id=answer_id))


def _check_answers(session: Session, prompt_id: int, answer_ids: Sequence[int]) -> None:
    if len(set(answer_ids)) != len(answer_ids):
        raise InvalidInput("Een antwoord kan maar in één groep staan.")
    known = _texts(session, prompt_id, visible_only=False)
    if any(not is_db_id(i) or i not in known for i in answer_ids):
        raise NotFound("Een gekozen antwoord bestaat niet (meer) bij deze vraag.")


def save_groups(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    prompt_id: int,
    groups: Sequence[GroupInput],
) -> list[GroupView]:
    """Replace all of a prompt's groups with these (a suggestion as it is, or edited)."""
    prompt = open_prompt_of(session=session, workshop=workshop, prompt_id=prompt_id)
    assert prompt.id is not None and workshop.id is not None
    if len(groups) > MAX_GROUPS:
        raise InvalidInput(N_("Maximaal %(most)s groepen per vraag."), most=MAX_GROUPS)
    labels = [clean_label(g.label) for g in groups]
    _check_answers(session, prompt.id, [i for g in groups for i in g.answer_ids])
    session.execute(delete(AnswerGroupMember).where(col(AnswerGroupMember.prompt_id) == prompt.id))
    session.execute(delete(AnswerGroup).where(col(AnswerGroup.prompt_id) == prompt.id))
    for position, (given, label) in enumerate(zip(groups, labels, strict=True)):
        group = new_group(session, prompt, label, fixed=given.fixed, position=position)
        place(session, prompt.id, given.answer_ids, group.id)
    commit_and_publish(session, publisher, workshop.id)
    return groups_of(session=session, prompt_id=prompt.id)


def regroup(
    *, session: Session, publisher: Publisher, workshop: Workshop, prompt_id: int
) -> list[GroupView]:
    """Groeperen: a fresh suggestion for the free answers, stored as unfixed groups.

    Fixed groups and answers taken out of the groups stay as they are."""
    prompt = open_prompt_of(session=session, workshop=workshop, prompt_id=prompt_id)
    assert prompt.id is not None and workshop.id is not None
    unfixed = select(AnswerGroup.id).where(
        AnswerGroup.prompt_id == prompt.id, col(AnswerGroup.fixed).is_(False)
    )
    session.execute(delete(AnswerGroupMember).where(col(AnswerGroupMember.group_id).in_(unfixed)))
    session.execute(
        delete(AnswerGroup).where(
            col(AnswerGroup.prompt_id) == prompt.id, col(AnswerGroup.fixed).is_(False)
        )
    )
    kept = set(
        session.exec(
            select(AnswerGroupMember.answer_id).where(AnswerGroupMember.prompt_id == prompt.id)
        ).all()
    )
    free = [
        (i, t) for i, t in _texts(session, prompt.id, visible_only=True).items() if i not in kept
    ]
    position = _next_position(session, prompt.id)
    for offset, suggestion in enumerate(suggest_groups(free)):
        # A label is data the facilitator may rename; an empty one would refuse the lot.
        label = clean_label(suggestion.label.strip()[:MAX_LABEL] or f"Groep {offset + 1}")
        group = new_group(session, prompt, label, fixed=False, position=position + offset)
        place(session, prompt.id, suggestion.answer_ids, group.id)
    commit_and_publish(session, publisher, workshop.id)
    return groups_of(session=session, prompt_id=prompt.id)


def group_row(
    session: Session, workshop: Workshop, group_id: int, prompt_id: int | None = None
) -> AnswerGroup:
    """The workshop's group (and, given `prompt_id`, that prompt's), else NotFound."""
    group = session.get(AnswerGroup, group_id) if is_db_id(group_id) else None
    if (
        group is None
        or group.workshop_id != workshop.id
        or (prompt_id is not None and group.prompt_id != prompt_id)
    ):
        raise NotFound("Deze groep bestaat niet (meer).")
    return group


def group_in_workshop(
    *, session: Session, workshop: Workshop, group_id: int, prompt_id: int | None = None
) -> GroupView:
    group = group_row(session, workshop, group_id, prompt_id)
    return next(
        g for g in groups_of(session=session, prompt_id=group.prompt_id) if g.id == group_id
    )


# On every answer's path: one indexed look-up when the prompt has no groups.
_HAS_GROUPS = (
    columns(col(AnswerGroup.id))
    .where(col(AnswerGroup.prompt_id) == bindparam("prompt_id"))
    .limit(1)
)


def place_new_answer(*, session: Session, prompt_id: int, answer_id: int, text: str | None) -> bool:
    """Inside the caller's transaction: a late answer joins the best-fitting group, if any.
    True if it joined one (the caller then tells the groups' views too)."""
    if (
        text is None
        or session.connection().execute(_HAS_GROUPS, {"prompt_id": prompt_id}).first() is None
    ):
        return False
    groups = groups_of(session=session, prompt_id=prompt_id)
    texts = _texts(session, prompt_id, visible_only=False)
    index = best_group(text, [[texts.get(i, "") for i in g.answer_ids] for g in groups])
    if index is None:
        return False
    session.add(
        AnswerGroupMember(prompt_id=prompt_id, group_id=groups[index].id, answer_id=answer_id)
    )
    return True
