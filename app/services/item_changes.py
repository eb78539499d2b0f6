"""Changing an actiepunt: the facilitator's edits, a trekker's update and the terugblik all
check their fields here and change the item by compare-and-set on its version, with history.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from app.agenda_models import AgendaItem, HistoryKind, ItemHistory
from app.i18n import N_
from app.models import utcnow
from app.services.dates import check_day
from app.services.errors import Conflict, InvalidInput
from app.services.text import clean_text

# Fields a facilitator may change, with their limits and Dutch names for messages.
TEXT_FIELDS: dict[str, tuple[int, str]] = {
    "title": (200, N_("De titel")),
    "description": (4000, N_("De beschrijving")),
    "owner_name": (120, N_("De naam van de trekker")),
    "owner_organisation": (120, N_("De organisatie van de trekker")),
    "theme_key": (80, N_("De themasleutel")),
    "theme_title": (2000, N_("Het thema")),
    "notes": (4000, N_("De notities")),
}
EDITABLE = (*TEXT_FIELDS, "due_date", "level", "status")


class StaleEdit(Conflict):
    """Someone saved the item after this editor opened it; nothing was overwritten."""

    def __init__(self) -> None:
        super().__init__(
            "Dit actiepunt is intussen door iemand anders gewijzigd. "
            "Laad het opnieuw en breng je wijziging daarna nog eens aan."
        )


def clean_fields(values: dict[str, Any]) -> dict[str, Any]:
    """Trim and length-check text; empty optional text becomes None. Title must stay."""
    out = dict(values)
    for name, (limit, label) in TEXT_FIELDS.items():
        if name not in out:
            continue
        text = clean_text(out[name] or "", limit=limit, field=label)
        out[name] = text or None
    if "title" in out and not out["title"]:
        raise InvalidInput("Vul een titel in voor het actiepunt.")
    if out.get("due_date") is not None:
        check_day(out["due_date"], field=N_("Datum"))
    return out


def apply_changes(
    *,
    session: Session,
    item: AgendaItem,
    version: int,
    changes: dict[str, Any],
    workshop_id: int | None,
    by: str | None = None,
    record: bool = True,
) -> AgendaItem:
    """Compare-and-set on the version, so a stale edit changes nothing; records history."""
    assert item.id is not None
    changes = {k: v for k, v in changes.items() if getattr(item, k) != v}
    result = session.execute(
        update(AgendaItem)
        .where(col(AgendaItem.id) == item.id, col(AgendaItem.version) == version)
        .values(**changes, version=col(AgendaItem.version) + 1, updated_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise StaleEdit()
    if not record:
        return item
    if "status" in changes:
        session.add(
            ItemHistory(
                item_id=item.id,
                workshop_id=workshop_id,
                kind=HistoryKind.status_changed,
                status=changes["status"],
                note=by,
            )
        )
    other = sorted(set(changes) - {"status"})
    if other:
        note = ", ".join(other) + (f" ({by})" if by else "")
        session.add(
            ItemHistory(
                item_id=item.id, workshop_id=workshop_id, kind=HistoryKind.edited, note=note
            )
        )
    return item
