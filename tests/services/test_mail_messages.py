"""Each kind of message, as the owner or facilitator reads it: golden text, escaping, English."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session

from app.agenda_models import Agenda, ItemHistory, ItemStatus
from app.config import Settings
from app.decks import Deck
from app.mail_models import MailContact, MailKind
from app.mail_templates import render_parts
from app.models import User, Workshop
from app.services import owners
from app.services.agenda import agenda_of
from app.services.mail_console import save_settings
from app.services.mail_contacts import facilitator_contact, owner_contact
from app.services.mail_messages import build_mail
from tests.factories import RecordingPublisher, make_item, make_user, make_workshop

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "mail"
NOW = datetime(2026, 9, 1, 8, tzinfo=UTC)
TODAY = date(2026, 9, 1)


def _setup(session: Session, decks: dict[str, Deck]) -> tuple[User, Workshop, Agenda]:
    user = make_user(session)
    workshop = make_workshop(session, owner=user, decks=decks, title="Teamstart OBS De Linde")
    make_item(
        session,
        workshop=workshop,
        title="Pestprotocol <herzien>",
        owner_name="Sanne",
        owner_organisation="OBS De Linde",
        due_date=date(2026, 11, 1),
        description="Met de MR & het team.",
        owner_email="sanne@school.example",
    )
    agenda = agenda_of(session=session, workshop_id=workshop.id or 0)
    assert agenda is not None
    return user, workshop, agenda


def _mask(text: str) -> str:
    text = re.sub(r"/o/[0-9a-f]+", "/o/TOKEN", text)
    return re.sub(r"/mail/afmelden/[0-9]+\.[0-9a-f]+", "/mail/afmelden/TOKEN", text)


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def _owner_mail(
    session: Session, settings: Settings, agenda: Agenda, kind: MailKind
) -> tuple[str, str, str]:
    contact = owner_contact(
        session=session, agenda_id=agenda.id or 0, name="Sanne", organisation="OBS De Linde"
    )
    assert contact is not None
    item_id = 1
    mail = build_mail(
        session=session,
        settings=settings,
        kind=kind,
        agenda=agenda,
        contact=contact,
        item_id=item_id,
        about=None,
        today=TODAY,
        now=NOW,
        message_key="k",
    )
    assert mail is not None
    text, html = render_parts(mail)
    return mail.subject, _mask(text), html


def test_the_assignment_reads_well_in_dutch_and_escapes_in_html(
    session: Session, decks: dict[str, Deck], settings: Settings
) -> None:
    _user, _workshop, agenda = _setup(session, decks)
    subject, text, html = _owner_mail(session, settings, agenda, MailKind.assignment)
    assert subject == "Actiepunt voor jou: Pestprotocol <herzien>"
    _check_golden("assignment_nl.txt", text)
    assert "Pestprotocol &lt;herzien&gt;" in html and "<herzien>" not in html
    assert "MR &amp; het team" in html


def test_english_when_the_agendas_mail_language_is_english(
    session: Session, decks: dict[str, Deck], settings: Settings
) -> None:
    _user, workshop, agenda = _setup(session, decks)
    save_settings(session=session, workshop=workshop, reminder_days="14, 2", language="en")
    subject, text, html = _owner_mail(session, settings, agenda, MailKind.reminder)
    assert subject == "Reminder: Pestprotocol <herzien>, due 1 November 2026"
    assert "In 61 days this action item is due on the action agenda of" in text
    assert '<html lang="en">' in html
    _check_golden("reminder_en.txt", text)


def test_the_monthly_digest_lists_changes_made_through_owner_links(
    session: Session, decks: dict[str, Deck], settings: Settings
) -> None:
    user, workshop, agenda = _setup(session, decks)
    link, _token = owners.create_link(
        session=session, workshop=workshop, owner_name="Sanne", owner_organisation="OBS De Linde"
    )
    owners.owner_update(
        session=session,
        publisher=RecordingPublisher(),
        link=link,
        item_id=1,
        version=1,
        status=ItemStatus.bezig,
        notes="Eerste overleg gehad",
    )
    session.execute(update(ItemHistory).values(at=datetime(2026, 10, 15, 9, tzinfo=UTC)))
    session.commit()
    assert user.id is not None
    contact: MailContact = facilitator_contact(
        session=session, agenda_id=agenda.id or 0, user_id=user.id
    )
    mail = build_mail(
        session=session,
        settings=settings,
        kind=MailKind.owner_changes,
        agenda=agenda,
        contact=contact,
        item_id=None,
        about=date(2026, 10, 1),
        today=date(2026, 11, 2),
        now=NOW,
        message_key="k",
    )
    assert mail is not None and mail.to == "begeleider@example.nl"
    assert mail.subject == "Wijzigingen door trekkers in oktober 2026"
    text, _html = render_parts(mail)
    assert (
        "15 oktober 2026: Pestprotocol <herzien> (Sanne · OBS De Linde): Status gewijzigd, Bezig"
        in text
    )
