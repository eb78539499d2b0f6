"""The terugblik on the room's screen: one reviewed item at a time, stepped by the facilitator."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.agenda_models import AgendaItem, HistoryKind, ItemHistory
from app.events import Publisher, Topic
from app.models import Workshop
from app.services.agenda import agenda_of, list_items
from app.services.agenda_sheet import local_today
from app.services.errors import Conflict, NotFound
from app.services.item_views import ItemView, item_views
from app.services.review import reviewed_agenda
from app.services.review_reactions import Tally, tally
from app.services.sequence import commit_change


@dataclass(frozen=True)
class ReviewScreen:
    """What the room sees: the item, where it is in the list, and what was said about it."""

    workshop: Workshop
    school_year: str  # of the agenda looked back on
    view: ItemView | None  # None: nothing put on the screen yet
    position: int  # 1-based
    total: int
    lesson: str | None
    # The room's reactions from their phones to the item shown (None when none is shown).
    reactions: Tally | None = None


def screen_if_review(*, session: Session, workshop: Workshop) -> ReviewScreen | None:
    """The screen of a terugblik, None for a meeting that looks back on nothing (the live
    layer loads it with the agenda, for the review projector's pushed fragment)."""
    try:
        return load_screen(session=session, workshop=workshop)
    except NotFound:
        return None


def _items(session: Session, workshop: Workshop) -> list[AgendaItem]:
    old = reviewed_agenda(session=session, workshop=workshop)
    if old is None or old.id is None:
        raise Conflict("Kies eerst de doe-agenda waarop deze bijeenkomst terugblikt.")
    return list_items(session=session, agenda_id=old.id)


def load_screen(*, session: Session, workshop: Workshop) -> ReviewScreen:
    assert workshop.id is not None
    old = reviewed_agenda(session=session, workshop=workshop)
    if old is None or old.id is None:
        raise NotFound("Deze bijeenkomst is geen terugblik.")
    items = list_items(session=session, agenda_id=old.id)
    own = agenda_of(session=session, workshop_id=workshop.id)
    shown = own.review_item_id if own is not None else None
    index = next((i for i, item in enumerate(items) if item.id == shown), None)
    if index is None:
        return ReviewScreen(workshop, old.school_year, None, 0, len(items), None)
    item = items[index]
    lesson = session.exec(
        select(ItemHistory.note)
        .where(
            ItemHistory.item_id == item.id,
            ItemHistory.workshop_id == workshop.id,
            ItemHistory.kind == HistoryKind.reviewed,
        )
        .order_by(col(ItemHistory.id).desc())
    ).first()
    [view] = item_views(session=session, items=[item], today=local_today())
    assert item.id is not None
    reactions = tally(session=session, workshop_id=workshop.id, item_id=item.id)
    return ReviewScreen(workshop, old.school_year, view, index + 1, len(items), lesson, reactions)


def _show(session: Session, publisher: Publisher, workshop: Workshop, item_id: int) -> None:
    assert workshop.id is not None
    own = agenda_of(session=session, workshop_id=workshop.id)
    assert own is not None  # a terugblik has its own (next year's) agenda
    own.review_item_id = item_id
    session.add(own)
    session.flush()
    commit_change(
        session=session, publisher=publisher, workshop_id=workshop.id, topics={Topic.agenda}
    )


def show_item(*, session: Session, publisher: Publisher, workshop: Workshop, item_id: int) -> None:
    """Put one item of the reviewed agenda on the room's screen."""
    if item_id not in {item.id for item in _items(session, workshop)}:
        raise NotFound("Dit actiepunt hoort niet bij de doe-agenda van deze terugblik.")
    _show(session, publisher, workshop, item_id)


def step(*, session: Session, publisher: Publisher, workshop: Workshop, by: int) -> None:
    """The next (by=1) or previous (by=-1) item; the first when none is shown yet."""
    assert workshop.id is not None
    items = _items(session, workshop)
    if not items:
        raise Conflict("De doe-agenda van deze terugblik heeft geen actiepunten.")
    own = agenda_of(session=session, workshop_id=workshop.id)
    ids = [item.id for item in items]
    current = own.review_item_id if own is not None else None
    index = ids.index(current) + by if current in ids else 0
    target = ids[max(0, min(len(ids) - 1, index))]
    assert target is not None
    _show(session, publisher, workshop, target)
