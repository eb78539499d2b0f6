"""A versioned JSON archive of a whole workshop (app/services/archive_import.py reads it back).

References inside the archive are positions in its own lists, never database ids, so an
archive imports anywhere and exporting the import gives the same archive back.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from app.agenda_models import Agenda, AgendaItem, AgendaItemSource, ItemHistory
from app.models import (
    Answer,
    AnswerGroup,
    AnswerGroupMember,
    Participant,
    Workshop,
    WorkshopPrompt,
    utcnow,
)
from app.services.archive_format import (
    FORMAT,
    VERSION,
    AgendaV1,
    AnswerV1,
    ArchiveV1,
    GroupV1,
    HistoryV1,
    ItemV1,
    ParticipantV1,
    PromptV1,
    SourceV1,
    WorkshopV1,
)


def export_workshop(*, session: Session, workshop: Workshop) -> dict[str, Any]:
    assert workshop.id is not None
    prompts = session.exec(
        select(WorkshopPrompt)
        .where(WorkshopPrompt.workshop_id == workshop.id)
        .order_by(col(WorkshopPrompt.position))
    ).all()
    people = session.exec(
        select(Participant)
        .where(Participant.workshop_id == workshop.id)
        .order_by(col(Participant.id))
    ).all()
    answers = session.exec(
        select(Answer)
        .where(Answer.workshop_id == workshop.id, col(Answer.withdrawn).is_(False))
        .order_by(col(Answer.id))
    ).all()
    prompt_index = {p.id: i for i, p in enumerate(prompts)}
    person_index = {p.id: i for i, p in enumerate(people)}
    answer_index = {a.id: i for i, a in enumerate(answers)}
    archive = ArchiveV1(
        format=FORMAT,
        version=VERSION,
        exported_at=utcnow(),
        workshop=WorkshopV1.model_validate(workshop, from_attributes=True),
        prompts=[PromptV1.model_validate(p, from_attributes=True) for p in prompts],
        participants=[ParticipantV1.model_validate(p, from_attributes=True) for p in people],
        answers=[
            AnswerV1(
                prompt=prompt_index[a.prompt_id],
                participant=person_index[a.participant_id],
                text=a.text,
                value=a.value,
                hidden=a.hidden,
                held=a.held,
                pii_reasons=a.pii_reasons,
                created_at=a.created_at,
            )
            for a in answers
        ],
        agenda=_export_agenda(session, workshop.id, answer_index),
        groups=_export_groups(session, workshop.id, prompt_index, answer_index),
    )
    return archive.model_dump(mode="json")


def _export_groups(
    session: Session,
    workshop_id: int,
    prompt_index: dict[int | None, int],
    answer_index: dict[int | None, int],
) -> list[GroupV1]:
    rows = session.exec(
        select(AnswerGroup)
        .where(AnswerGroup.workshop_id == workshop_id)
        .order_by(col(AnswerGroup.prompt_id), col(AnswerGroup.position), col(AnswerGroup.id))
    ).all()
    members: dict[int, list[int]] = {}
    for group_id, answer_id in session.exec(
        select(AnswerGroupMember.group_id, AnswerGroupMember.answer_id)
        .where(col(AnswerGroupMember.group_id).in_([g.id for g in rows]))
        .order_by(col(AnswerGroupMember.answer_id))
    ).all():
        # Withdrawn answers are not in the archive, so not in its groups either.
        if group_id is not None and answer_id in answer_index:
            members.setdefault(group_id, []).append(answer_index[answer_id])
    return [
        GroupV1(
            prompt=prompt_index[g.prompt_id],
            label=g.label,
            position=g.position,
            fixed=g.fixed,
            answers=members.get(g.id or 0, []),
        )
        for g in rows
    ]


def _export_agenda(
    session: Session, workshop_id: int, answer_index: dict[int | None, int]
) -> AgendaV1 | None:
    agenda = session.exec(select(Agenda).where(Agenda.workshop_id == workshop_id)).first()
    if agenda is None:
        return None
    items = session.exec(
        select(AgendaItem).where(AgendaItem.agenda_id == agenda.id).order_by(col(AgendaItem.id))
    ).all()
    out: list[ItemV1] = []
    for item in items:
        sources = session.exec(
            select(AgendaItemSource)
            .where(AgendaItemSource.item_id == item.id)
            .order_by(col(AgendaItemSource.id))
        ).all()
        history = session.exec(
            select(ItemHistory)
            .where(ItemHistory.item_id == item.id)
            .order_by(col(ItemHistory.at), col(ItemHistory.id))
        ).all()
        data = item.model_dump(exclude={"id", "agenda_id", "version", "carried_from_item_id"})
        out.append(
            ItemV1(
                **data,
                sources=[
                    SourceV1(
                        answer=answer_index.get(s.answer_id),
                        prompt_text=s.prompt_text,
                        theme_title=s.theme_title,
                    )
                    for s in sources
                ],
                history=[
                    HistoryV1(
                        kind=h.kind,
                        status=h.status,
                        note=h.note,
                        at=h.at,
                        here=h.workshop_id == workshop_id,
                    )
                    for h in history
                ],
            )
        )
    return AgendaV1(
        school_year=agenda.school_year,
        start_date=agenda.start_date,
        checkin_date=agenda.checkin_date,
        review_date=agenda.review_date,
        dots_per_participant=agenda.dots_per_participant,
        vote_on="answers" if agenda.vote_on == "answers" else "items",
        items=out,
    )
