"""Recreating a workshop from its JSON archive (app/exports/archive.py writes it).

References inside the archive are positions in its own lists, never database ids, so an
archive imports anywhere and exporting the import gives the same archive back.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import Session

from app.agenda_models import Agenda, AgendaItem, AgendaItemSource, ItemHistory
from app.models import (
    Answer,
    AnswerGroup,
    AnswerGroupMember,
    Participant,
    User,
    Workshop,
    WorkshopPrompt,
)
from app.services.archive_format import AgendaV1, ArchiveV1, GroupV1, WorkshopV1, parse_archive
from app.services.errors import Conflict, InvalidInput
from app.services.roster import hash_token
from app.services.workshops import new_join_code


def import_workshop(*, session: Session, archive: ArchiveV1, owner: User) -> Workshop:
    """Recreate the workshop for `owner`, with a fresh join code, in one transaction."""
    workshop = _new_workshop(session, archive.workshop, owner)
    assert workshop.id is not None
    prompts = [WorkshopPrompt(workshop_id=workshop.id, **p.model_dump()) for p in archive.prompts]
    # Imported people cannot join again: their tokens are random and never handed out.
    people = [
        Participant(
            workshop_id=workshop.id,
            token_hash=hash_token(secrets.token_urlsafe(32)),
            **p.model_dump(),
        )
        for p in archive.participants
    ]
    session.add_all([*prompts, *people])
    session.flush()
    answers = []
    for i, a in enumerate(archive.answers):
        prompt_id, person_id = prompts[a.prompt].id, people[a.participant].id
        assert prompt_id is not None and person_id is not None
        answers.append(
            Answer(
                workshop_id=workshop.id,
                prompt_id=prompt_id,
                participant_id=person_id,
                idempotency_key=f"import-{i:06d}",
                text=a.text,
                value=a.value,
                hidden=a.hidden,
                held=a.held,
                pii_reasons=a.pii_reasons,
                created_at=a.created_at,
                updated_at=a.created_at,
            )
        )
    session.add_all(answers)
    session.flush()
    if archive.agenda is not None:
        _import_agenda(session, workshop.id, archive.agenda, [a.id for a in answers])
    _import_groups(session, workshop.id, archive.groups, prompts, answers)
    session.commit()
    session.refresh(workshop)
    return workshop


def _new_workshop(session: Session, data: WorkshopV1, owner: User) -> Workshop:
    """The workshop row with a fresh join code, retried while the code is taken."""
    assert owner.id is not None
    for _attempt in range(5):
        workshop = Workshop(
            **data.model_dump(exclude={"status"}),
            status=data.status,
            owner_id=owner.id,
            join_code=new_join_code(),
        )
        session.add(workshop)
        try:
            session.flush()
            return workshop
        except IntegrityError:
            session.rollback()
    raise Conflict("Er kon geen unieke code gemaakt worden; probeer het opnieuw.")


def _import_groups(
    session: Session,
    workshop_id: int,
    groups: list[GroupV1],
    prompts: list[WorkshopPrompt],
    answers: list[Answer],
) -> None:
    for g in groups:
        prompt_id = prompts[g.prompt].id
        assert prompt_id is not None
        group = AnswerGroup(
            workshop_id=workshop_id,
            prompt_id=prompt_id,
            label=g.label,
            position=g.position,
            fixed=g.fixed,
        )
        session.add(group)
        session.flush()
        for i in g.answers:
            answer_id = answers[i].id
            assert answer_id is not None
            session.add(
                AnswerGroupMember(prompt_id=prompt_id, group_id=group.id, answer_id=answer_id)
            )


def _import_agenda(
    session: Session, workshop_id: int, data: AgendaV1, answer_ids: list[int | None]
) -> None:
    agenda = Agenda(workshop_id=workshop_id, **data.model_dump(exclude={"items"}))
    session.add(agenda)
    session.flush()
    assert agenda.id is not None
    for entry in data.items:
        item = AgendaItem(agenda_id=agenda.id, **entry.model_dump(exclude={"sources", "history"}))
        session.add(item)
        session.flush()
        assert item.id is not None
        for s in entry.sources:
            session.add(
                AgendaItemSource(
                    item_id=item.id,
                    answer_id=answer_ids[s.answer] if s.answer is not None else None,
                    prompt_text=s.prompt_text,
                    theme_title=s.theme_title,
                )
            )
        for h in entry.history:
            session.add(
                ItemHistory(
                    item_id=item.id,
                    workshop_id=workshop_id if h.here else None,
                    kind=h.kind,
                    status=h.status,
                    note=h.note,
                    at=h.at,
                )
            )


def import_archive(*, session: Session, raw: Any, owner: User) -> Workshop:
    """All or nothing: whatever goes wrong part-way, no row of the archive stays behind."""
    archive = parse_archive(raw)
    try:
        return import_workshop(session=session, archive=archive, owner=owner)
    except (IntegrityError, DataError):
        session.rollback()
        raise InvalidInput("De export klopt niet: de database weigerde een waarde.") from None
    except BaseException:
        session.rollback()
        raise
