"""Purge and delete take the e-mail addresses and the outbox of a workshop with them."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.agenda_models import Agenda
from app.mail_models import MailContact, MailOutbox


def forget_mail(*, session: Session, workshop_id: int) -> None:
    """Delete the workshop's mail contacts (the addresses) and outbox rows; not committed."""
    agenda_ids = select(Agenda.id).where(Agenda.workshop_id == workshop_id)
    session.execute(delete(MailOutbox).where(col(MailOutbox.agenda_id).in_(agenda_ids)))
    session.execute(delete(MailContact).where(col(MailContact.agenda_id).in_(agenda_ids)))
