"""Who gets mail: trekkers' addresses (one per trekker, shared by their items), facilitators,
per-agenda mail settings, and the tokens for one-click unsubscribe and the owner link in mail."""

from __future__ import annotations

import hashlib
import hmac
import re

from sqlmodel import Session, col, select

from app.agenda_models import Agenda, AgendaItem, OwnerLink
from app.mail_models import MailContact, MailSettings
from app.models import Workshop, utcnow
from app.services.errors import InvalidInput, NotFound
from app.services.roster import hash_token
from app.services.text import owner_key

# Deliberately plain: one @, no spaces, quotes, brackets or line breaks (no header injection),
# and a dot in the domain. The mail server has the last word.
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"\\]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
DEFAULT_REMINDER_DAYS = (14, 2)
UNSUBSCRIBE_GONE = "Deze afmeldlink klopt niet (meer)."


def clean_email(raw: str | None) -> str | None:
    """The address trimmed, or None for empty; refused with a Dutch message when malformed."""
    text = (raw or "").strip()
    if not text:
        return None
    if len(text) > 254 or not _EMAIL.match(text):
        raise InvalidInput("Dit e-mailadres klopt niet: %(email)s", email=text[:254])
    return text


def contact_key(name: str | None, organisation: str | None) -> str:
    return "|".join(owner_key(name, organisation))


def owner_contact(
    *, session: Session, agenda_id: int, name: str | None, organisation: str | None
) -> MailContact | None:
    return session.exec(
        select(MailContact).where(
            MailContact.agenda_id == agenda_id,
            MailContact.owner_key == contact_key(name, organisation),
        )
    ).first()


def set_owner_email(
    *,
    session: Session,
    agenda_id: int,
    owner_name: str | None,
    owner_organisation: str | None,
    email: str | None,
) -> None:
    """Give a trekker an address (None forgets it); not committed. Every item of theirs uses it."""
    email = clean_email(email)
    if owner_name is None and owner_organisation is None:
        if email is None:
            return
        raise InvalidInput("Een e-mailadres hoort bij een trekker: vul eerst een naam in.")
    contact = owner_contact(
        session=session, agenda_id=agenda_id, name=owner_name, organisation=owner_organisation
    )
    if email is None:
        if contact is not None:
            session.delete(contact)
            session.flush()
        return
    if contact is None:
        contact = MailContact(
            agenda_id=agenda_id, owner_key=contact_key(owner_name, owner_organisation)
        )
    elif contact.email != email:
        # A new address has not said no to anything yet.
        contact.unsubscribed_at = None
    contact.email = email
    session.add(contact)
    session.flush()


def emails_by_owner(*, session: Session, agenda_id: int) -> dict[str, str]:
    """Owner key -> address, for listing items with their owner's address."""
    rows = session.exec(
        select(MailContact).where(
            MailContact.agenda_id == agenda_id, col(MailContact.owner_key).is_not(None)
        )
    ).all()
    return {c.owner_key: c.email for c in rows if c.owner_key is not None and c.email}


def email_of(*, session: Session, item: AgendaItem) -> str | None:
    return emails_by_owner(session=session, agenda_id=item.agenda_id).get(
        contact_key(item.owner_name, item.owner_organisation)
    )


def facilitator_contact(*, session: Session, agenda_id: int, user_id: int) -> MailContact:
    """The row that records a facilitator's unsubscribe for this agenda (made on first use)."""
    found = session.exec(
        select(MailContact).where(
            MailContact.agenda_id == agenda_id, MailContact.user_id == user_id
        )
    ).first()
    if found is not None:
        return found
    contact = MailContact(agenda_id=agenda_id, user_id=user_id)
    session.add(contact)
    session.flush()
    return contact


def _sign(secret: str, purpose: str) -> str:
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).hexdigest()[:32]


def unsubscribe_token(*, secret: str, contact_id: int) -> str:
    return f"{contact_id}.{_sign(secret, f'unsubscribe:{contact_id}')}"


def contact_by_unsubscribe_token(*, session: Session, secret: str, token: str) -> MailContact:
    raw_id, _, signature = token.partition(".")
    if not raw_id.isdigit() or len(raw_id) > 12:
        raise NotFound(UNSUBSCRIBE_GONE)
    expected = unsubscribe_token(secret=secret, contact_id=int(raw_id))
    contact = session.get(MailContact, int(raw_id))
    if contact is None or not hmac.compare_digest(expected, f"{raw_id}.{signature}"):
        raise NotFound(UNSUBSCRIBE_GONE)
    return contact


def unsubscribe(*, session: Session, secret: str, token: str) -> MailContact:
    """One click, no login (RFC 8058): the contact gets no more mail from this agenda."""
    contact = contact_by_unsubscribe_token(session=session, secret=secret, token=token)
    if contact.unsubscribed_at is None:
        contact.unsubscribed_at = utcnow()
        session.add(contact)
        session.commit()
    return contact


def owner_link_token(
    *, session: Session, secret: str, contact: MailContact, item: AgendaItem
) -> str:
    """The trekker's personal link for mail: kept while it works, a new one once revoked.

    The token is derived from the secret key, so mail can carry it while only its hash is
    stored, as for links made by hand. Not committed.
    """
    assert contact.id is not None
    link = session.get(OwnerLink, contact.owner_link_id) if contact.owner_link_id else None
    if link is None or link.revoked_at is not None:
        contact.link_serial += 1
        token = _sign(secret, f"owner-link:{contact.id}:{contact.link_serial}")
        link = OwnerLink(
            agenda_id=contact.agenda_id,
            token_hash=hash_token(token),
            owner_name=item.owner_name,
            owner_organisation=item.owner_organisation,
        )
        session.add(link)
        session.flush()
        contact.owner_link_id = link.id
        session.add(contact)
        session.flush()
        return token
    return _sign(secret, f"owner-link:{contact.id}:{contact.link_serial}")


def mail_settings(*, session: Session, agenda_id: int) -> MailSettings:
    found = session.exec(select(MailSettings).where(MailSettings.agenda_id == agenda_id)).first()
    return found or MailSettings(agenda_id=agenda_id)


def reminder_days(settings: MailSettings) -> tuple[int, ...]:
    return tuple(sorted({int(d) for d in settings.reminder_days.split(",") if d.strip()}))


def parse_reminder_days(raw: str) -> str:
    parts = [p.strip() for p in raw.replace(" ", ",").split(",") if p.strip()]
    if len(parts) > 5 or not all(p.isdigit() and 0 < int(p) <= 365 for p in parts):
        raise InvalidInput(
            "Herinneringen: geef tot vijf aantallen dagen tussen 1 en 365, zoals 14, 2."
        )
    return ",".join(str(d) for d in sorted({int(p) for p in parts}, reverse=True))


def save_mail_settings(
    *, session: Session, agenda: Agenda, reminder_days_raw: str, language: str
) -> MailSettings:
    assert agenda.id is not None
    settings = mail_settings(session=session, agenda_id=agenda.id)
    settings.reminder_days = parse_reminder_days(reminder_days_raw)
    settings.language = language if language in ("nl", "en") else "nl"
    session.add(settings)
    session.commit()
    return settings


def owner_addresses(*, session: Session, workshop: Workshop) -> dict[str, MailContact]:
    """Owner key -> contact, for the console's list of trekkers."""
    agenda = session.exec(select(Agenda).where(Agenda.workshop_id == workshop.id)).first()
    if agenda is None:
        return {}
    rows = session.exec(select(MailContact).where(MailContact.agenda_id == agenda.id)).all()
    return {c.owner_key: c for c in rows if c.owner_key is not None}
