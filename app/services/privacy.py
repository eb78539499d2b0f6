"""Privacy by design: anonymous workshops, retention and purging, deleting a workshop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from app.db import checkpoint_wal
from app.events import Event, Publisher, Topic
from app.models import (
    Answer,
    AnswerGroup,
    AnswerGroupMember,
    Participant,
    Reaction,
    User,
    Workshop,
    WorkshopFacilitator,
    WorkshopPrompt,
    utcnow,
)
from app.services.errors import Forbidden
from app.services.mail_forget import forget_mail
from app.services.pdf_cache import AGENDA_PDFS
from app.services.review_reactions import forget_reactions
from app.services.sequence import bump_seq, commit_change
from app.services.workshops import validate_retention_days


def school_year_end(school_year: str) -> date:
    """The last day of a school year: 31 July of its second calendar year."""
    return date(int(school_year.split("-")[1]), 7, 31)


def purge_date(workshop: Workshop) -> date:
    """The first day on which `gesprekskaarten purge` removes this workshop's answers."""
    return school_year_end(workshop.school_year) + timedelta(days=workshop.retention_days + 1)


def _forget_names(session: Session, workshop_id: int) -> None:
    session.execute(
        update(Participant)
        .where(col(Participant.workshop_id) == workshop_id)
        .values(name=None, organisation=None)
    )


def _delete_groups(session: Session, workshop_id: int) -> None:
    group_ids = select(AnswerGroup.id).where(AnswerGroup.workshop_id == workshop_id)
    answer_ids = select(Answer.id).where(Answer.workshop_id == workshop_id)
    session.execute(
        delete(AnswerGroupMember).where(col(AnswerGroupMember.answer_id).in_(answer_ids))
    )
    session.execute(delete(AnswerGroupMember).where(col(AnswerGroupMember.group_id).in_(group_ids)))
    session.execute(delete(AnswerGroup).where(col(AnswerGroup.workshop_id) == workshop_id))


def update_settings(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    by: User,
    anonymous: bool,
    retention_days: int,
) -> Workshop:
    """Change the privacy settings; turning anonymity on forgets the names given so far."""
    assert workshop.id is not None
    if workshop.owner_id != by.id:
        raise Forbidden("Alleen wie de bijeenkomst heeft aangemaakt, kan de privacy aanpassen.")
    workshop.retention_days = validate_retention_days(retention_days)
    if anonymous and not workshop.anonymous:
        session.execute(
            update(Participant).where(col(Participant.workshop_id) == workshop.id).values(name=None)
        )
    workshop.anonymous = anonymous
    session.add(workshop)
    session.flush()
    commit_change(session=session, publisher=publisher, workshop_id=workshop.id, topics=Topic)
    session.refresh(workshop)
    return workshop


def purge_workshop(
    *, session: Session, publisher: Publisher, workshop: Workshop, now: datetime | None = None
) -> None:
    """Remove what people said and who they were; the workshop and its prompts stay."""
    assert workshop.id is not None
    answer_ids = select(Answer.id).where(Answer.workshop_id == workshop.id)
    session.execute(delete(Reaction).where(col(Reaction.answer_id).in_(answer_ids)))
    # Group labels are drawn from the answers' words: they go with them.
    _delete_groups(session, workshop.id)
    session.execute(delete(Answer).where(col(Answer.workshop_id) == workshop.id))
    _forget_names(session, workshop.id)
    forget_reactions(session=session, workshop_id=workshop.id)
    forget_mail(session=session, workshop_id=workshop.id)
    workshop.purged_at = now or utcnow()
    session.add(workshop)
    session.flush()
    seq = bump_seq(session=session, workshop_id=workshop.id)
    session.commit()
    checkpoint_wal(session)
    # A stored PDF made before the purge is never served again; drop it now, not when it ages.
    AGENDA_PDFS.forget(workshop.id)
    publisher.publish(Event(workshop_id=workshop.id, seq=seq, topics=frozenset(Topic)))


@dataclass(frozen=True)
class Purged:
    workshop_id: int
    title: str
    due: date


def due_for_purge(*, session: Session, today: date) -> list[Workshop]:
    """Workshops past their retention whose answers are still kept."""
    kept = session.exec(
        select(Workshop).where(col(Workshop.purged_at).is_(None)).order_by(col(Workshop.id))
    ).all()
    return [w for w in kept if purge_date(w) <= today]


def purge_expired(
    *, session: Session, publisher: Publisher, today: date, now: datetime | None = None
) -> list[Purged]:
    """Purge every workshop past its retention; returns what was purged."""
    done: list[Purged] = []
    for workshop in due_for_purge(session=session, today=today):
        assert workshop.id is not None
        purge_workshop(session=session, publisher=publisher, workshop=workshop, now=now)
        done.append(Purged(workshop_id=workshop.id, title=workshop.title, due=purge_date(workshop)))
    return done


def delete_workshop(*, session: Session, workshop: Workshop, by: User) -> None:
    """Delete a workshop and everything in it; only the facilitator who made it may."""
    if workshop.owner_id != by.id:
        raise Forbidden("Alleen wie de bijeenkomst heeft aangemaakt, kan haar verwijderen.")
    workshop_id = workshop.id
    assert workshop_id is not None
    answer_ids = select(Answer.id).where(Answer.workshop_id == workshop_id)
    # Explicitly, child tables first, so nothing depends on the database cascading;
    # tables added later that point at the workshop cascade with ON DELETE CASCADE.
    session.execute(delete(Reaction).where(col(Reaction.answer_id).in_(answer_ids)))
    _delete_groups(session, workshop_id)
    session.execute(delete(Answer).where(col(Answer.workshop_id) == workshop_id))
    forget_reactions(session=session, workshop_id=workshop_id)
    session.execute(delete(Participant).where(col(Participant.workshop_id) == workshop_id))
    forget_mail(session=session, workshop_id=workshop_id)
    session.execute(delete(WorkshopPrompt).where(col(WorkshopPrompt.workshop_id) == workshop_id))
    session.execute(
        delete(WorkshopFacilitator).where(col(WorkshopFacilitator.workshop_id) == workshop_id)
    )
    session.execute(delete(Workshop).where(col(Workshop.id) == workshop_id))
    session.commit()
    checkpoint_wal(session)
    AGENDA_PDFS.forget(workshop_id)
