"""What each message says: the context for templates/mail/<kind>, read from the database."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session

from app.agenda_models import Agenda, AgendaItem
from app.config import Settings
from app.i18n import N_, translate
from app.mail_models import MailContact, MailKind, MailOutbox
from app.mail_templates import Attachment, Mail, mail_env, to_message
from app.models import User, Workshop
from app.services import ics
from app.services.agenda import agenda_of, item_in_workshop, unfinished
from app.services.agenda_sheet import AgendaSheet, load_sheet
from app.services.errors import NotFound
from app.services.item_views import HistoryView, ItemView
from app.services.mail_contacts import (
    contact_key,
    mail_settings,
    owner_link_token,
    unsubscribe_token,
)
from app.services.mail_planner import BY_OWNER

SUBJECTS: dict[MailKind, str] = {
    MailKind.assignment: N_("Actiepunt voor jou: %(title)s"),
    MailKind.reminder: N_("Herinnering: %(title)s, uiterlijk %(date)s"),
    MailKind.overdue: N_("Over de datum: %(title)s"),
    MailKind.overdue_digest: N_("Je actiepunten die over de datum zijn"),
    MailKind.checkin_summary: N_("Tussentijdse check op %(date)s: stand van de doe-agenda"),
    MailKind.review_summary: N_("Terugblik op %(date)s: stand van de doe-agenda"),
    MailKind.owner_changes: N_("Wijzigingen door trekkers in %(month)s"),
}
OWNER_KINDS = {MailKind.assignment, MailKind.reminder, MailKind.overdue}
PREVIEW_ADDRESS = "trekker@voorbeeld.nl"


def _subject(kind: MailKind, lang: str, **params: str) -> str:
    return translate(lang, SUBJECTS[kind], **params)


def _domain(settings: Settings) -> str:
    return urlsplit(settings.public_url).hostname or "gesprekskaarten"


def _ics(sheet: AgendaSheet, view: ItemView, link: str, settings: Settings, now: datetime) -> bytes:
    return ics.agenda_ics(
        sheet,
        uid_domain=_domain(settings),
        dtstamp=now.replace(microsecond=0),
        items=[view],
        link=link,
        name=f"Actiepunt: {view.item.title}",
    )


def _recipient(session: Session, contact: MailContact, preview: bool) -> str | None:
    """The address to write to; None for an account gone or a contact that unsubscribed."""
    if contact.user_id is not None:
        user = session.get(User, contact.user_id)
        to = user.email if user else None
    else:
        to = PREVIEW_ADDRESS if preview and not contact.email else contact.email
    if not to or (contact.unsubscribed_at is not None and not preview):
        return None
    return to


def _owner_token(
    session: Session, secret: str, contact: MailContact, item: AgendaItem, preview: bool
) -> str:
    if preview:
        return "voorbeeld"
    return owner_link_token(session=session, secret=secret, contact=contact, item=item)


def _owner_changes(sheet: AgendaSheet, month: date) -> list[tuple[ItemView, HistoryView]]:
    """What trekkers changed through their links in the month starting at `month`."""
    end = (month + timedelta(days=32)).replace(day=1)
    return [
        (view, entry)
        for view in sheet.items
        for entry in view.history
        if month <= entry.at.date() < end and BY_OWNER in (entry.note or "")
    ]


def _item_part(
    *,
    session: Session,
    settings: Settings,
    secret: str,
    kind: MailKind,
    sheet: AgendaSheet,
    contact: MailContact,
    item_id: int | None,
    lang: str,
    now: datetime,
    preview: bool,
) -> tuple[dict[str, Any], dict[str, str], list[Attachment]] | None:
    """Context, subject parameters and attachments of a mail to an item's trekker; None when
    the item is finished, gone or handed over."""
    view = next((v for v in sheet.items if v.id == item_id), None)
    if view is None or not unfinished(view.item):
        return None
    if contact.owner_key != contact_key(view.item.owner_name, view.item.owner_organisation):
        return None
    token = _owner_token(session, secret, contact, view.item, preview)
    owner_url = f"{settings.public_url.rstrip('/')}/o/{token}"
    greet = view.item.owner_name or view.owner
    context: dict[str, Any] = {"view": view, "owner_url": owner_url, "owner": greet}
    if view.item.due_date is not None:
        context["days_left"] = (view.item.due_date - sheet.today).days
    params = {"title": view.item.title, "date": mail_env(lang).filters["day"](view.item.due_date)}
    attachments: list[Attachment] = []
    if kind is MailKind.assignment and view.item.due_date is not None:
        data = _ics(sheet, view, owner_url, settings, now)
        attachments.append(Attachment("actiepunt.ics", "text", "calendar", data))
    return context, params, attachments


def _kind_part(
    *,
    session: Session,
    settings: Settings,
    secret: str,
    kind: MailKind,
    sheet: AgendaSheet,
    contact: MailContact,
    item_id: int | None,
    about: date | None,
    lang: str,
    now: datetime,
    preview: bool,
) -> tuple[dict[str, Any], dict[str, str], list[Attachment]] | None:
    """What this kind of mail adds: context, subject parameters, attachments; None when the
    mail no longer applies."""
    if kind in OWNER_KINDS:
        return _item_part(
            session=session, settings=settings, secret=secret, kind=kind, sheet=sheet,
            contact=contact, item_id=item_id, lang=lang, now=now, preview=preview,
        )  # fmt: skip
    context: dict[str, Any] = {}
    params: dict[str, str] = {}
    if kind is MailKind.overdue_digest:
        mine = [
            v
            for v in sheet.overdue
            if contact_key(v.item.owner_name, v.item.owner_organisation) == contact.owner_key
        ]
        if not mine:
            return None
        first = mine[0].item
        token = _owner_token(session, secret, contact, first, preview)
        greet = first.owner_name or mine[0].owner
        public = settings.public_url.rstrip("/")
        context = {"views": mine, "owner_url": f"{public}/o/{token}", "owner": greet}
    elif kind in (MailKind.checkin_summary, MailKind.review_summary):
        context = {"views": sheet.items, "meeting": about}
        params = {"date": mail_env(lang).filters["day"](about)}
    elif kind is MailKind.owner_changes:
        assert about is not None
        context = {"changes": _owner_changes(sheet, about), "month": about}
        params = {"month": mail_env(lang).filters["month"](about)}
    return context, params, []


def build_mail(
    *,
    session: Session,
    settings: Settings,
    kind: MailKind,
    agenda: Agenda,
    contact: MailContact,
    item_id: int | None,
    about: date | None,
    today: date,
    now: datetime,
    message_key: str,
    preview: bool = False,
) -> Mail | None:
    """The message, or None when it no longer applies (item finished, gone or handed over)."""
    workshop = session.get(Workshop, agenda.workshop_id)
    assert workshop is not None and contact.id is not None
    public = settings.public_url.rstrip("/")
    secret = settings.resolved_secret_key()
    lang = mail_settings(session=session, agenda_id=agenda.id or 0).language
    to = _recipient(session, contact, preview)
    if to is None:
        return None
    sheet = load_sheet(session=session, workshop=workshop, today=today)
    context: dict[str, Any] = {
        "workshop": workshop,
        "sheet": sheet,
        "today": today,
        "agenda_url": f"{public}/workshops/{workshop.id}/agenda",
        "public_url": public,
    }
    part = _kind_part(
        session=session, settings=settings, secret=secret, kind=kind, sheet=sheet,
        contact=contact, item_id=item_id, about=about, lang=lang, now=now, preview=preview,
    )  # fmt: skip
    if part is None:
        return None
    more, params, attachments = part
    context |= more
    digest = hashlib.sha256(message_key.encode()).hexdigest()[:16]
    return Mail(
        to=to,
        kind=kind.value,
        lang=lang,
        subject=_subject(kind, lang, **params),
        context=context,
        unsubscribe_url=f"{public}/mail/afmelden/"
        + unsubscribe_token(secret=secret, contact_id=contact.id),
        message_id=f"<{digest}.{now:%Y%m%d%H%M%S}@{_domain(settings)}>",
        attachments=attachments,
    )


def compose(
    *, session: Session, settings: Settings, row: MailOutbox, today: date, now: datetime
) -> EmailMessage | None:
    """The outbox row as a message ready to send; None when it no longer applies."""
    contact = session.get(MailContact, row.contact_id)
    agenda = session.get(Agenda, row.agenda_id)
    if contact is None or agenda is None:
        return None
    mail = build_mail(
        session=session,
        settings=settings,
        kind=MailKind(row.kind),
        agenda=agenda,
        contact=contact,
        item_id=row.item_id,
        about=row.about,
        today=today,
        now=now,
        message_key=f"{row.id}:{row.key}",
    )
    if mail is None:
        return None
    assert settings.mail_from is not None
    return to_message(mail, sender=settings.mail_from, now=now)


def preview(
    *,
    session: Session,
    settings: Settings,
    workshop: Workshop,
    item_id: int,
    kind: MailKind,
    user: User,
    today: date,
    now: datetime,
) -> Mail:
    """Any kind of message for an item as it would go out, without sending or storing it."""
    item = item_in_workshop(session=session, workshop=workshop, item_id=item_id)
    agenda = agenda_of(session=session, workshop_id=workshop.id or 0)
    assert agenda is not None and agenda.id is not None
    if kind in OWNER_KINDS or kind is MailKind.overdue_digest:
        contact = MailContact(
            id=0,
            agenda_id=agenda.id,
            owner_key=contact_key(item.owner_name, item.owner_organisation),
        )
    else:
        contact = MailContact(id=0, agenda_id=agenda.id, user_id=user.id)
    about: date | None = item.due_date
    if kind is MailKind.checkin_summary:
        about = agenda.checkin_date or today
    elif kind is MailKind.review_summary:
        about = agenda.review_date or today
    elif kind is MailKind.owner_changes:
        about = today.replace(day=1)
    mail = build_mail(
        session=session,
        settings=settings,
        kind=kind,
        agenda=agenda,
        contact=contact,
        item_id=item_id,
        about=about,
        today=today,
        now=now,
        message_key="preview",
        preview=True,
    )
    if mail is None:
        raise NotFound(
            "Dit bericht gaat voor dit actiepunt nu niet uit: het is afgerond of zonder trekker."
        )
    return mail
