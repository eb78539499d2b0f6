"""The console's mail box: on or off, queued, sent, failed, and the trekkers' addresses."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, func, select

from app.agenda_models import AgendaItem
from app.i18n import N_
from app.mail_models import MailContact, MailKind, MailOutbox, MailSettings
from app.models import Workshop
from app.services.agenda import agenda_of, ensure_agenda, list_items
from app.services.mail_contacts import (
    contact_key,
    mail_settings,
    owner_addresses,
    save_mail_settings,
    set_owner_email,
)
from app.services.owners import owner_label, owners_in

# What the console calls each kind of message.
KIND_LABELS: dict[MailKind, str] = {
    MailKind.assignment: N_("Toewijzing"),
    MailKind.reminder: N_("Herinnering"),
    MailKind.overdue: N_("Over de datum"),
    MailKind.overdue_digest: N_("Weekoverzicht over de datum"),
    MailKind.checkin_summary: N_("Samenvatting tussentijdse check"),
    MailKind.review_summary: N_("Samenvatting terugblik"),
    MailKind.owner_changes: N_("Maandoverzicht wijzigingen"),
}


@dataclass(frozen=True)
class Trekker:
    name: str | None
    organisation: str | None
    label: str
    email: str | None
    unsubscribed: bool


@dataclass(frozen=True)
class Failure:
    kind: MailKind
    to: str
    error: str
    attempts: int


@dataclass
class MailConsole:
    enabled: bool
    settings: MailSettings
    queued: int = 0
    sent: int = 0
    failures: list[Failure] = field(default_factory=list)
    trekkers: list[Trekker] = field(default_factory=list)
    items: list[AgendaItem] = field(default_factory=list)
    kinds: dict[MailKind, str] = field(default_factory=lambda: dict(KIND_LABELS))


def console_mail(*, session: Session, workshop: Workshop, enabled: bool) -> MailConsole:
    assert workshop.id is not None
    agenda = agenda_of(session=session, workshop_id=workshop.id)
    if agenda is None or agenda.id is None:
        return MailConsole(enabled=enabled, settings=MailSettings(agenda_id=0))
    view = MailConsole(
        enabled=enabled, settings=mail_settings(session=session, agenda_id=agenda.id)
    )
    mine = col(MailOutbox.agenda_id) == agenda.id
    view.sent = session.exec(
        select(func.count()).where(mine, col(MailOutbox.sent_at).is_not(None))
    ).one()
    view.queued = session.exec(
        select(func.count()).where(
            mine,
            col(MailOutbox.sent_at).is_(None),
            col(MailOutbox.failed_at).is_(None),
            col(MailOutbox.skipped_at).is_(None),
        )
    ).one()
    failed = session.exec(
        select(MailOutbox, MailContact)
        .join(MailContact, col(MailContact.id) == col(MailOutbox.contact_id))
        .where(mine, col(MailOutbox.failed_at).is_not(None))
        .order_by(col(MailOutbox.id))
    ).all()
    view.failures = [
        Failure(row.kind, contact.email or "", row.last_error or "", row.attempts)
        for row, contact in failed
    ]
    contacts = owner_addresses(session=session, workshop=workshop)
    for name, org in owners_in(session=session, workshop=workshop):
        contact = contacts.get(contact_key(name, org))
        view.trekkers.append(
            Trekker(
                name,
                org,
                owner_label(name, org),
                contact.email if contact else None,
                bool(contact and contact.unsubscribed_at),
            )
        )
    view.items = list_items(session=session, agenda_id=agenda.id)
    return view


def save_owner_email(
    *,
    session: Session,
    workshop: Workshop,
    owner_name: str | None,
    owner_organisation: str | None,
    email: str | None,
) -> None:
    agenda = ensure_agenda(session=session, workshop=workshop)
    assert agenda.id is not None
    set_owner_email(
        session=session,
        agenda_id=agenda.id,
        owner_name=owner_name or None,
        owner_organisation=owner_organisation or None,
        email=email,
    )
    session.commit()


def save_settings(
    *, session: Session, workshop: Workshop, reminder_days: str, language: str
) -> MailSettings:
    agenda = ensure_agenda(session=session, workshop=workshop)
    return save_mail_settings(
        session=session, agenda=agenda, reminder_days_raw=reminder_days, language=language
    )
