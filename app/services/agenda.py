"""The doe-agenda: one per workshop; actiepunten made from answers or typed fresh."""

from __future__ import annotations

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.agenda_models import (
    Agenda,
    AgendaItem,
    AgendaItemCreate,
    AgendaItemSource,
    AgendaItemUpdate,
    HistoryKind,
    ItemHistory,
    ItemStatus,
)
from app.events import Publisher, Topic
from app.i18n import N_
from app.models import Answer, Workshop, WorkshopPrompt, utcnow
from app.services.dates import check_day
from app.services.errors import InvalidInput, NotFound
from app.services.item_changes import EDITABLE, StaleEdit, apply_changes, clean_fields
from app.services.mail_contacts import set_owner_email
from app.services.sequence import commit_change


def agenda_of(*, session: Session, workshop_id: int) -> Agenda | None:
    return session.exec(select(Agenda).where(Agenda.workshop_id == workshop_id)).first()


def ensure_agenda(*, session: Session, workshop: Workshop) -> Agenda:
    """The workshop's agenda, made on first use for the workshop's school year (not committed)."""
    assert workshop.id is not None
    agenda = agenda_of(session=session, workshop_id=workshop.id)
    if agenda is not None:
        return agenda
    agenda = Agenda(workshop_id=workshop.id, school_year=workshop.school_year)
    try:
        with session.begin_nested():
            session.add(agenda)
    except IntegrityError:
        # Another request made it first; use that one.
        found = agenda_of(session=session, workshop_id=workshop.id)
        assert found is not None
        return found
    return agenda


def set_dates(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    start_date: date | None,
    checkin_date: date | None,
    review_date: date | None,
) -> Agenda:
    """The school-year cycle: start agreement, mid-year check-in, end-of-year review."""
    assert workshop.id is not None
    check_day(start_date, field=N_("Start"))
    check_day(checkin_date, field=N_("Tussentijdse check"))
    check_day(review_date, field=N_("Terugblik"))
    given = [d for d in (start_date, checkin_date, review_date) if d is not None]
    if given != sorted(given):
        raise InvalidInput(
            "De data volgen elkaar op: start, dan tussentijdse check, dan de terugblik."
        )
    agenda = ensure_agenda(session=session, workshop=workshop)
    agenda.start_date, agenda.checkin_date, agenda.review_date = (
        start_date,
        checkin_date,
        review_date,
    )
    session.add(agenda)
    session.flush()
    commit_change(
        session=session, publisher=publisher, workshop_id=workshop.id, topics={Topic.agenda}
    )
    return agenda


def _sources(
    session: Session, workshop_id: int, answer_ids: list[int]
) -> list[tuple[Answer, WorkshopPrompt]]:
    found: list[tuple[Answer, WorkshopPrompt]] = []
    for answer_id in dict.fromkeys(answer_ids):
        answer = session.get(Answer, answer_id)
        if answer is None or answer.workshop_id != workshop_id or answer.withdrawn:
            raise NotFound("Een gekozen antwoord bestaat niet (meer) in deze bijeenkomst.")
        prompt = session.get(WorkshopPrompt, answer.prompt_id)
        assert prompt is not None
        found.append((answer, prompt))
    return found


def create_item(
    *, session: Session, publisher: Publisher, workshop: Workshop, data: AgendaItemCreate
) -> AgendaItem:
    """A new actiepunt; made from answers it keeps their prompt and theme."""
    assert workshop.id is not None
    fields = clean_fields(data.model_dump(exclude={"answer_ids", "owner_email"}))
    if not fields.get("title"):
        raise InvalidInput("Vul een titel in voor het actiepunt.")
    sources = _sources(session, workshop.id, data.answer_ids)
    if sources and not fields.get("theme_title"):
        first = sources[0][1]
        fields["theme_key"] = fields.get("theme_key") or str(first.theme_number)
        fields["theme_title"] = first.theme_title
    agenda = ensure_agenda(session=session, workshop=workshop)
    assert agenda.id is not None
    now = utcnow()
    item = AgendaItem(agenda_id=agenda.id, created_at=now, updated_at=now, **fields)
    session.add(item)
    session.flush()
    assert item.id is not None
    for answer, prompt in sources:
        session.add(
            AgendaItemSource(
                item_id=item.id,
                answer_id=answer.id,
                prompt_text=prompt.text,
                theme_title=prompt.theme_title,
            )
        )
    session.add(ItemHistory(item_id=item.id, workshop_id=workshop.id, kind=HistoryKind.created))
    if data.owner_email is not None:
        owner = {"owner_name": item.owner_name, "owner_organisation": item.owner_organisation}
        set_owner_email(session=session, agenda_id=agenda.id, email=data.owner_email, **owner)
    commit_change(
        session=session, publisher=publisher, workshop_id=workshop.id, topics={Topic.agenda}
    )
    session.refresh(item)
    return item


def item_in_workshop(*, session: Session, workshop: Workshop, item_id: int) -> AgendaItem:
    item = session.exec(
        select(AgendaItem)
        .join(Agenda, col(Agenda.id) == col(AgendaItem.agenda_id))
        .where(col(AgendaItem.id) == item_id, Agenda.workshop_id == workshop.id)
    ).first()
    if item is None:
        raise NotFound("Dit actiepunt bestaat niet (meer).")
    return item


def edit_item(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    item_id: int,
    data: AgendaItemUpdate,
) -> AgendaItem:
    """Change the fields sent; refused with StaleEdit when `data.version` is not current."""
    assert workshop.id is not None
    item = item_in_workshop(session=session, workshop=workshop, item_id=item_id)
    sent = {k: getattr(data, k) for k in data.model_fields_set if k in EDITABLE}
    if "title" in sent and sent["title"] is None:
        raise InvalidInput("Vul een titel in voor het actiepunt.")
    if "status" in sent and sent["status"] is None:
        raise InvalidInput("Kies een status: open, bezig, gedaan of vervallen.")
    changes = clean_fields(sent)
    apply_changes(
        session=session,
        item=item,
        version=data.version,
        changes=changes,
        workshop_id=workshop.id,
    )
    if "owner_email" in data.model_fields_set:
        session.refresh(item)
        owner = {"owner_name": item.owner_name, "owner_organisation": item.owner_organisation}
        set_owner_email(session=session, agenda_id=item.agenda_id, email=data.owner_email, **owner)
    commit_change(
        session=session, publisher=publisher, workshop_id=workshop.id, topics={Topic.agenda}
    )
    session.refresh(item)
    return item


def delete_item(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    item_id: int,
    version: int | None = None,
) -> None:
    assert workshop.id is not None
    item = item_in_workshop(session=session, workshop=workshop, item_id=item_id)
    if version is not None and item.version != version:
        raise StaleEdit()
    session.delete(item)
    session.flush()
    commit_change(
        session=session, publisher=publisher, workshop_id=workshop.id, topics={Topic.agenda}
    )


def list_items(*, session: Session, agenda_id: int) -> list[AgendaItem]:
    """Most votes first; then by due date (undated last), then in the order they were made."""
    items = session.exec(select(AgendaItem).where(AgendaItem.agenda_id == agenda_id)).all()
    return sorted(items, key=lambda i: (-i.votes, i.due_date or date.max, i.id or 0))


def items_of_workshop(*, session: Session, workshop_id: int) -> list[AgendaItem]:
    agenda = agenda_of(session=session, workshop_id=workshop_id)
    if agenda is None or agenda.id is None:
        return []
    return list_items(session=session, agenda_id=agenda.id)


def unfinished(item: AgendaItem) -> bool:
    return item.status in (ItemStatus.open, ItemStatus.bezig)
