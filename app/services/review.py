"""Terugblik: a review workshop looks back on an agenda and carries open items to next year."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from app.agenda_models import (
    Agenda,
    AgendaItem,
    AgendaItemSource,
    HistoryKind,
    ItemHistory,
    ItemStatus,
)
from app.events import Publisher, Topic
from app.i18n import N_
from app.models import User, Workshop, utcnow
from app.services.agenda import agenda_of, ensure_agenda, list_items, unfinished
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.item_changes import apply_changes, clean_fields
from app.services.participation import clean_text
from app.services.sequence import commit_change
from app.services.workshops import can_facilitate


def next_school_year(school_year: str) -> str:
    start = int(school_year.split("-")[0]) + 1
    return f"{start}-{start + 1}"


def carried_due_date(due: date | None, school_year: str) -> date | None:
    """A carried-over item's date in its new school year: the same day and month a year on,
    kept inside that school year (1 August - 31 July) so it never lands "outside" it."""
    if due is None:
        return None
    first = int(school_year.split("-")[0])
    start, end = date(first, 8, 1), date(first + 1, 7, 31)
    day = 28 if (due.month, due.day) == (2, 29) else due.day
    moved = date(due.year + 1, due.month, day)
    return max(start, min(end, moved))


def reviewed_agenda(*, session: Session, workshop: Workshop) -> Agenda | None:
    """The agenda this (review) workshop looks back on, if any."""
    assert workshop.id is not None
    own = agenda_of(session=session, workshop_id=workshop.id)
    if own is None or own.carried_from_id is None:
        return None
    return session.get(Agenda, own.carried_from_id)


def start_review(
    *, session: Session, workshop: Workshop, from_workshop_id: int, user: User
) -> Agenda:
    """Make `workshop` the terugblik of another workshop's agenda; its own agenda is next year's."""
    assert workshop.id is not None
    source = session.get(Workshop, from_workshop_id)
    if source is None or not can_facilitate(session=session, workshop=source, user=user):
        raise NotFound("Die bijeenkomst bestaat niet of je hebt er geen toegang toe.")
    if source.id == workshop.id:
        raise InvalidInput("Een bijeenkomst kan niet op zichzelf terugblikken.")
    old = agenda_of(session=session, workshop_id=from_workshop_id)
    if old is None or old.id is None:
        raise Conflict("Die bijeenkomst heeft nog geen doe-agenda om op terug te blikken.")
    agenda = ensure_agenda(session=session, workshop=workshop)
    if agenda.carried_from_id not in (None, old.id):
        raise Conflict("Deze bijeenkomst blikt al terug op een andere doe-agenda.")
    agenda.carried_from_id = old.id
    agenda.school_year = next_school_year(old.school_year)
    session.add(agenda)
    session.commit()
    return agenda


def _reviewed_item(session: Session, workshop: Workshop, item_id: int) -> AgendaItem:
    old = reviewed_agenda(session=session, workshop=workshop)
    item = session.get(AgendaItem, item_id)
    if old is None or item is None or item.agenda_id != old.id:
        raise NotFound("Dit actiepunt hoort niet bij de doe-agenda van deze terugblik.")
    return item


def review_item(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    item_id: int,
    version: int,
    status: ItemStatus,
    lesson: str | None,
) -> AgendaItem:
    """The room's verdict on one item: its status now and what was learned."""
    assert workshop.id is not None and item_id is not None
    item = _reviewed_item(session, workshop, item_id)
    note = clean_text(lesson or "", limit=2000, field=N_("De les")) or None
    apply_changes(
        session=session,
        item=item,
        version=version,
        changes={"status": status},
        workshop_id=workshop.id,
        record=False,
    )
    session.add(
        ItemHistory(
            item_id=item_id,
            workshop_id=workshop.id,
            kind=HistoryKind.reviewed,
            status=status,
            note=note,
        )
    )
    commit_change(
        session=session, publisher=publisher, workshop_id=workshop.id, topics={Topic.agenda}
    )
    session.refresh(item)
    return item


def carry_over(*, session: Session, publisher: Publisher, workshop: Workshop) -> list[AgendaItem]:
    """One action: every unfinished item moves to this workshop's (next year's) agenda.

    The new item keeps its sources and a copy of its history, so the story survives even if
    last year's workshop is deleted; running it twice carries nothing twice.
    """
    assert workshop.id is not None
    old = reviewed_agenda(session=session, workshop=workshop)
    target = agenda_of(session=session, workshop_id=workshop.id)
    if old is None or old.id is None or target is None or target.id is None:
        raise Conflict("Kies eerst de doe-agenda waarop deze bijeenkomst terugblikt.")
    already = _carried_ids(session, target.id)
    now = utcnow()
    made: list[AgendaItem] = []
    for item in list_items(session=session, agenda_id=old.id):
        if not unfinished(item) or item.id in already:
            continue
        copy = _copy_item(session, item, target, now)
        moved = f"Schooljaar {old.school_year} naar {target.school_year}"
        for item_id in (item.id, copy.id):
            assert item_id is not None
            session.add(
                ItemHistory(
                    item_id=item_id,
                    workshop_id=workshop.id,
                    kind=HistoryKind.carried_over,
                    status=item.status,
                    note=moved,
                    at=now,
                )
            )
        made.append(copy)
    commit_change(
        session=session, publisher=publisher, workshop_id=workshop.id, topics={Topic.agenda}
    )
    return made


def _carried_ids(session: Session, agenda_id: int) -> set[int | None]:
    """Items of the old agenda already carried into this one."""
    return set(
        session.exec(
            select(AgendaItem.carried_from_item_id).where(
                AgendaItem.agenda_id == agenda_id,
                col(AgendaItem.carried_from_item_id).is_not(None),
            )
        ).all()
    )


def _copy_item(session: Session, item: AgendaItem, target: Agenda, now: datetime) -> AgendaItem:
    """A copy of `item` in `target`, with its sources and a copy of its history."""
    assert item.id is not None and target.id is not None
    fields = clean_fields(
        item.model_dump(
            include={
                "title", "description", "owner_name", "owner_organisation", "due_date",
                "theme_key", "theme_title", "level", "status", "notes",
            }
        )
    )  # fmt: skip
    fields["due_date"] = carried_due_date(item.due_date, target.school_year)
    copy = AgendaItem(
        agenda_id=target.id,
        carried_from_item_id=item.id,
        created_at=now,
        updated_at=now,
        **fields,
    )
    session.add(copy)
    session.flush()
    assert copy.id is not None
    for source in session.exec(
        select(AgendaItemSource).where(AgendaItemSource.item_id == item.id)
    ).all():
        session.add(
            AgendaItemSource(
                item_id=copy.id,
                answer_id=source.answer_id,
                prompt_text=source.prompt_text,
                theme_title=source.theme_title,
            )
        )
    for event in session.exec(
        select(ItemHistory).where(ItemHistory.item_id == item.id).order_by(col(ItemHistory.id))
    ).all():
        session.add(
            ItemHistory(
                item_id=copy.id,
                workshop_id=event.workshop_id,
                kind=event.kind,
                status=event.status,
                note=event.note,
                at=event.at,
            )
        )
    return copy
