"""The facilitator's edits of answer groups: accept, rename, merge, split, move, delete.

Every edit fixes the groups it touches (see the rule in app/services/groups.py)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.agenda_models import AgendaItem, AgendaItemCreate
from app.events import Publisher
from app.ids import is_db_id
from app.models import Answer, AnswerGroup, AnswerGroupMember, Workshop, WorkshopPrompt
from app.services import agenda
from app.services.errors import InvalidInput, NotFound
from app.services.groups import (
    GroupView,
    clean_label,
    commit_and_publish,
    group_in_workshop,
    group_row,
    groups_of,
    new_group,
    open_prompt_of,
    place,
)


def accept(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    group_ids: Sequence[int],
    prompt_id: int | None = None,
) -> None:
    """Fix groups as they are: from now on their members move only by hand."""
    assert workshop.id is not None
    for group_id in group_ids:
        group = group_row(session, workshop, group_id, prompt_id)
        group.fixed = True
        session.add(group)
    commit_and_publish(session, publisher, workshop.id)


def accept_all(
    *, session: Session, publisher: Publisher, workshop: Workshop, prompt_id: int
) -> None:
    prompt = open_prompt_of(session=session, workshop=workshop, prompt_id=prompt_id)
    assert prompt.id is not None
    ids = [g.id for g in groups_of(session=session, prompt_id=prompt.id)]
    accept(session=session, publisher=publisher, workshop=workshop, group_ids=ids)


def edit(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    group_id: int,
    label: str | None = None,
    fixed: bool | None = None,
    prompt_id: int | None = None,
) -> None:
    """Rename and/or accept a group. A renamed group is fixed: the name is the facilitator's."""
    assert workshop.id is not None
    group = group_row(session, workshop, group_id, prompt_id)
    if label is not None:
        group.label = clean_label(label)
        group.fixed = True
    if fixed is not None:
        group.fixed = fixed
    session.add(group)
    commit_and_publish(session, publisher, workshop.id)


def merge(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    group_id: int,
    into_id: int,
    prompt_id: int | None = None,
) -> GroupView:
    """Samenvoegen: every answer of one group goes to the other; the first group is gone."""
    assert workshop.id is not None
    group = group_row(session, workshop, group_id, prompt_id)
    target = group_row(session, workshop, into_id, prompt_id)
    if group.id == target.id:
        raise InvalidInput("Kies een andere groep om mee samen te voegen.")
    if group.prompt_id != target.prompt_id:
        raise InvalidInput("Alleen groepen van dezelfde vraag kunnen samen.")
    members = session.exec(
        select(AnswerGroupMember).where(AnswerGroupMember.group_id == group.id)
    ).all()
    for member in members:
        member.group_id = target.id
        session.add(member)
    target.fixed = True
    session.add(target)
    session.flush()
    session.delete(group)
    commit_and_publish(session, publisher, workshop.id)
    assert target.id is not None
    return group_in_workshop(session=session, workshop=workshop, group_id=target.id)


def split(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    group_id: int,
    answer_ids: Sequence[int],
    label: str,
    prompt_id: int | None = None,
) -> GroupView:
    """Splitsen: the chosen answers leave for a new group, just after this one."""
    assert workshop.id is not None
    group = group_row(session, workshop, group_id, prompt_id)
    members = set(
        session.exec(
            select(AnswerGroupMember.answer_id).where(AnswerGroupMember.group_id == group.id)
        ).all()
    )
    chosen = list(dict.fromkeys(answer_ids))
    if not chosen:
        raise InvalidInput("Vink de antwoorden aan die naar een nieuwe groep gaan.")
    if any(i not in members for i in chosen):
        raise InvalidInput("Kies alleen antwoorden uit deze groep.")
    if len(chosen) == len(members):
        raise InvalidInput("Laat minstens één antwoord in de groep staan.")
    name = clean_label(label)
    prompt = session.get(WorkshopPrompt, group.prompt_id)
    assert prompt is not None
    later = session.exec(
        select(AnswerGroup).where(
            AnswerGroup.prompt_id == group.prompt_id, AnswerGroup.position > group.position
        )
    ).all()
    for other in later:
        other.position += 1
        session.add(other)
    group.fixed = True
    session.add(group)
    new = new_group(session, prompt, name, fixed=True, position=group.position + 1)
    place(session, group.prompt_id, chosen, new.id)
    commit_and_publish(session, publisher, workshop.id)
    return group_in_workshop(session=session, workshop=workshop, group_id=new.id or 0)


def move(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    answer_id: int,
    group_id: int | None,
    prompt_id: int | None = None,
) -> None:
    """Move one answer to a group (which becomes fixed), or out of every group for good."""
    assert workshop.id is not None
    answer = session.get(Answer, answer_id) if is_db_id(answer_id) else None
    if (
        answer is None
        or answer.workshop_id != workshop.id
        or answer.withdrawn
        or (prompt_id is not None and answer.prompt_id != prompt_id)
    ):
        raise NotFound("Dit antwoord bestaat niet (meer).")
    if group_id is not None:
        target = group_row(session, workshop, group_id, prompt_id)
        if target.prompt_id != answer.prompt_id:
            raise InvalidInput("Een antwoord kan alleen naar een groep van zijn eigen vraag.")
        target.fixed = True
        session.add(target)
    place(session, answer.prompt_id, [answer_id], group_id)
    commit_and_publish(session, publisher, workshop.id)


def delete_group(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    group_id: int,
    prompt_id: int | None = None,
) -> None:
    """The group goes; its answers are free again (a next Groeperen may group them)."""
    assert workshop.id is not None
    group = group_row(session, workshop, group_id, prompt_id)
    session.execute(delete(AnswerGroupMember).where(col(AnswerGroupMember.group_id) == group.id))
    session.delete(group)
    commit_and_publish(session, publisher, workshop.id)


def item_from_group(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    group_id: int,
    prompt_id: int | None = None,
) -> AgendaItem:
    """Maak actiepunt: an item titled by the group's label, every answer of it a source."""
    group = group_in_workshop(
        session=session, workshop=workshop, group_id=group_id, prompt_id=prompt_id
    )
    if not group.answer_ids:
        raise InvalidInput("Deze groep heeft geen antwoorden.")
    # Built without the 50-source cap of a typed request: a group of a big room is bigger.
    data = AgendaItemCreate.model_construct(
        title=group.label[:200],
        description=None,
        owner_name=None,
        owner_organisation=None,
        due_date=None,
        theme_key=None,
        theme_title=None,
        level=None,
        notes=None,
        answer_ids=list(group.answer_ids),
    )
    return agenda.create_item(session=session, publisher=publisher, workshop=workshop, data=data)
