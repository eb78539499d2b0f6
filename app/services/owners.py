"""Trekkers without accounts: a personal, revocable link to their own items, and nothing else."""

from __future__ import annotations

import secrets

from sqlmodel import Session, col, select

from app.agenda_models import Agenda, AgendaItem, ItemStatus, OwnerLink
from app.events import Publisher, Topic
from app.i18n import N_
from app.models import Workshop, utcnow
from app.services.agenda import ensure_agenda, list_items
from app.services.errors import InvalidInput, NotFound
from app.services.item_changes import apply_changes, clean_fields
from app.services.participation import clean_text
from app.services.roster import hash_token
from app.services.sequence import commit_change
from app.services.text import owner_key

LINK_GONE = N_("Deze link werkt niet (meer). Vraag de begeleider van de bijeenkomst om een nieuwe.")


def owner_label(name: str | None, organisation: str | None) -> str:
    return " · ".join(p for p in (name, organisation) if p) or "Nog geen trekker"


def create_link(
    *, session: Session, workshop: Workshop, owner_name: str | None, owner_organisation: str | None
) -> tuple[OwnerLink, str]:
    """A new link for one trekker; returns it with the token, of which only the hash is kept."""
    name = clean_text(owner_name or "", limit=120, field=N_("De naam van de trekker")) or None
    org = clean_text(owner_organisation or "", limit=120, field=N_("De organisatie")) or None
    if name is None and org is None:
        raise InvalidInput("Een link is voor een trekker: geef een naam of een organisatie.")
    agenda = ensure_agenda(session=session, workshop=workshop)
    assert agenda.id is not None
    token = secrets.token_urlsafe(32)
    link = OwnerLink(
        agenda_id=agenda.id, token_hash=hash_token(token), owner_name=name, owner_organisation=org
    )
    session.add(link)
    session.commit()
    session.refresh(link)
    return link, token


def links_of(*, session: Session, workshop: Workshop) -> list[OwnerLink]:
    return list(
        session.exec(
            select(OwnerLink)
            .join(Agenda, col(Agenda.id) == col(OwnerLink.agenda_id))
            .where(Agenda.workshop_id == workshop.id)
            .order_by(col(OwnerLink.id))
        ).all()
    )


def revoke_link(*, session: Session, workshop: Workshop, link_id: int) -> OwnerLink:
    link = session.get(OwnerLink, link_id)
    agenda = session.get(Agenda, link.agenda_id) if link is not None else None
    if link is None or agenda is None or agenda.workshop_id != workshop.id:
        raise NotFound("Deze link bestaat niet.")
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        session.add(link)
        session.commit()
    return link


def link_by_token(*, session: Session, token: str) -> OwnerLink:
    """The live link for a token; unknown and revoked links get the same answer."""
    link = session.exec(select(OwnerLink).where(OwnerLink.token_hash == hash_token(token))).first()
    if link is None or link.revoked_at is not None:
        raise NotFound(LINK_GONE)
    return link


def owner_items(*, session: Session, link: OwnerLink) -> list[AgendaItem]:
    key = owner_key(link.owner_name, link.owner_organisation)
    return [
        item
        for item in list_items(session=session, agenda_id=link.agenda_id)
        if owner_key(item.owner_name, item.owner_organisation) == key
    ]


def owner_update(
    *,
    session: Session,
    publisher: Publisher,
    link: OwnerLink,
    item_id: int,
    version: int,
    status: ItemStatus,
    notes: str | None,
) -> AgendaItem:
    """A trekker may change the status and notes of their own items; nothing else."""
    item = next((i for i in owner_items(session=session, link=link) if i.id == item_id), None)
    if item is None:
        raise NotFound("Dit actiepunt staat niet op jouw lijst.")
    agenda = session.get(Agenda, link.agenda_id)
    assert agenda is not None
    changes = clean_fields({"status": status, "notes": notes})
    apply_changes(
        session=session,
        item=item,
        version=version,
        changes=changes,
        workshop_id=agenda.workshop_id,
        by="door de trekker",
    )
    commit_change(
        session=session,
        publisher=publisher,
        workshop_id=agenda.workshop_id,
        topics={Topic.agenda},
    )
    session.refresh(item)
    return item


def owners_in(*, session: Session, workshop: Workshop) -> list[tuple[str | None, str | None]]:
    """The distinct trekkers named on a workshop's agenda, for making their links."""
    assert workshop.id is not None
    seen: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    agenda = session.exec(select(Agenda).where(Agenda.workshop_id == workshop.id)).first()
    if agenda is None or agenda.id is None:
        return []
    for item in list_items(session=session, agenda_id=agenda.id):
        if item.owner_name or item.owner_organisation:
            key = owner_key(item.owner_name, item.owner_organisation)
            seen.setdefault(key, (item.owner_name, item.owner_organisation))
    return sorted(seen.values(), key=lambda o: owner_label(*o).casefold())
