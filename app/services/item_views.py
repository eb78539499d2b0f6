"""An actiepunt as pages, mails and exports read it: labels, owner, overdue, sources, history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from app.agenda_models import (
    AgendaItem,
    AgendaItemSource,
    AgendaLevel,
    HistoryKind,
    ItemHistory,
    ItemStatus,
)
from app.i18n import N_
from app.models import Answer, Workshop
from app.services.agenda import unfinished
from app.services.owners import owner_label

LEVEL_LABELS: dict[AgendaLevel, str] = {
    AgendaLevel.sterke_basis: N_("Sterke basis"),
    AgendaLevel.preventief: N_("Preventief handelen"),
    AgendaLevel.incidenten: N_("Wat te doen bij incidenten"),
}
STATUS_LABELS: dict[ItemStatus, str] = {
    ItemStatus.open: N_("Open"),
    ItemStatus.bezig: N_("Bezig"),
    ItemStatus.gedaan: N_("Gedaan"),
    ItemStatus.vervallen: N_("Vervallen"),
}
HISTORY_LABELS: dict[HistoryKind, str] = {
    HistoryKind.created: N_("Aangemaakt"),
    HistoryKind.edited: N_("Gewijzigd"),
    HistoryKind.status_changed: N_("Status gewijzigd"),
    HistoryKind.carried_over: N_("Meegenomen naar het volgende schooljaar"),
    HistoryKind.reviewed: N_("Besproken in de terugblik"),
}
NO_LEVEL = N_("Niveau nog kiezen")


@dataclass(frozen=True)
class SourceView:
    prompt_text: str
    theme_title: str
    # The answer's text while it exists and is not hidden by the facilitator.
    answer_text: str | None


@dataclass(frozen=True)
class HistoryView:
    at: datetime
    kind: HistoryKind
    label: str
    status_label: str | None
    note: str | None
    workshop_title: str | None


@dataclass(frozen=True)
class ItemView:
    item: AgendaItem
    owner: str
    level_label: str
    status_label: str
    overdue: bool
    sources: list[SourceView]
    history: list[HistoryView]

    @property
    def id(self) -> int:
        assert self.item.id is not None
        return self.item.id

    @property
    def partner(self) -> str:
        """The matrix row: the organisation, else the person, else nobody yet."""
        return self.item.owner_organisation or self.item.owner_name or "Nog geen trekker"


def is_overdue(item: AgendaItem, today: date) -> bool:
    return item.due_date is not None and item.due_date < today and unfinished(item)


def item_views(*, session: Session, items: list[AgendaItem], today: date) -> list[ItemView]:
    """Views with sources and history, in a fixed number of queries."""
    ids = [i.id for i in items if i.id is not None]
    sources: dict[int, list[SourceView]] = {}
    history: dict[int, list[HistoryView]] = {}
    if ids:
        rows = session.exec(
            select(AgendaItemSource, Answer)
            .outerjoin(Answer, col(Answer.id) == col(AgendaItemSource.answer_id))
            .where(col(AgendaItemSource.item_id).in_(ids))
            .order_by(col(AgendaItemSource.id))
        ).all()
        for source, answer in rows:
            shown = answer is not None and not (answer.hidden or answer.held or answer.withdrawn)
            sources.setdefault(source.item_id, []).append(
                SourceView(
                    prompt_text=source.prompt_text,
                    theme_title=source.theme_title,
                    answer_text=answer.text if shown and answer is not None else None,
                )
            )
        events = session.exec(
            select(ItemHistory, Workshop.title)
            .outerjoin(Workshop, col(Workshop.id) == col(ItemHistory.workshop_id))
            .where(col(ItemHistory.item_id).in_(ids))
            .order_by(col(ItemHistory.at), col(ItemHistory.id))
        ).all()
        for event, title in events:
            history.setdefault(event.item_id, []).append(
                HistoryView(
                    at=event.at,
                    kind=event.kind,
                    label=HISTORY_LABELS[event.kind],
                    status_label=STATUS_LABELS[event.status] if event.status else None,
                    note=event.note,
                    workshop_title=title,
                )
            )
    return [
        ItemView(
            item=item,
            owner=owner_label(item.owner_name, item.owner_organisation),
            level_label=LEVEL_LABELS[item.level] if item.level else NO_LEVEL,
            status_label=STATUS_LABELS[item.status],
            overdue=is_overdue(item, today),
            sources=sources.get(item.id or 0, []),
            history=history.get(item.id or 0, []),
        )
        for item in items
    ]
