"""The outbox against a real SMTP server: sent once, retried after a crash, backed off, given up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import Session, select

from app.config import Settings
from app.db import Database
from app.decks import Deck
from app.mail_models import MailKind, MailOutbox
from app.mail_transport import SmtpTransport, transport_from
from app.models import Workshop
from app.services import mail_outbox
from app.services.agenda import set_dates
from app.services.mail_console import console_mail
from tests.factories import RecordingPublisher, make_item, make_user, make_workshop
from tests.support.smtp_server import Inbox, smtp_server

NOW = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
TODAY = date(2026, 9, 1)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def mail_settings(settings: Settings, smtp: tuple[Inbox, int]) -> Settings:
    return settings.model_copy(
        update={
            "smtp_url": f"smtp://127.0.0.1:{smtp[1]}",
            "mail_from": "Doe-agenda <agenda@school.example>",
            "public_url": "https://agenda.school.example",
        }
    )


@pytest.fixture
def transport(mail_settings: Settings) -> SmtpTransport:
    made = transport_from(mail_settings)
    assert made is not None
    return made


def school_team(session: Session, decks: dict[str, Deck]) -> Workshop:
    """A school team's start-of-year agenda with three trekkers who gave their address."""
    user = make_user(session)
    workshop = make_workshop(session, owner=user, decks=decks, title="Teamstart OBS De Linde")
    make_item(
        session,
        workshop=workshop,
        title="Pestprotocol herzien",
        owner_name="Sanne",
        due_date=date(2026, 11, 1),
        owner_email="sanne@school.example",
    )
    make_item(
        session,
        workshop=workshop,
        title="Ouderavond plannen",
        owner_name="Ahmed",
        due_date=date(2026, 10, 1),
        owner_email="ahmed@school.example",
    )
    make_item(
        session,
        workshop=workshop,
        title="Mentorlessen",
        owner_name="Lotte",
        due_date=date(2027, 3, 1),
        owner_email="lotte@school.example",
    )
    # Same trekker, second item: shares Sanne's address, no second one asked.
    make_item(
        session,
        workshop=workshop,
        title="Gesprek met wijkagent",
        owner_name="sanne ",
        due_date=date(2026, 12, 1),
    )
    session.commit()  # end the write transaction the last refresh opened (SQLite lock)
    return workshop


def run(db: Database, settings: Settings, transport: SmtpTransport, now: datetime) -> object:
    today = now.date()
    return mail_outbox.run_once(db=db, settings=settings, transport=transport, now=now, today=today)


def test_assignment_mails_go_out_at_once_and_only_once(
    db: Database,
    session: Session,
    decks: dict[str, Deck],
    mail_settings: Settings,
    transport: SmtpTransport,
    smtp: tuple[Inbox, int],
) -> None:
    inbox, _port = smtp
    school_team(session, decks)
    run(db, mail_settings, transport, NOW)
    run(db, mail_settings, transport, NOW + timedelta(minutes=1))
    to = sorted(str(m["To"]) for m in inbox.messages)
    assert to == [
        "ahmed@school.example",
        "lotte@school.example",
        "sanne@school.example",
        "sanne@school.example",
    ]
    sanne = next(m for m in inbox.messages if "Pestprotocol" in str(m["Subject"]))
    assert str(sanne["Subject"]) == "Actiepunt voor jou: Pestprotocol herzien"
    assert sanne["List-Unsubscribe"].startswith("<https://agenda.school.example/mail/afmelden/")
    assert sanne["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sanne["Message-ID"].endswith("@agenda.school.example>") and sanne["Date"]
    text = sanne.get_body(("plain",))
    html = sanne.get_body(("html",))
    assert text is not None and html is not None
    assert "1 november 2026" in text.get_content()
    assert "https://agenda.school.example/o/" in text.get_content()
    ics_part = next(p for p in sanne.iter_attachments() if p.get_content_type() == "text/calendar")
    cal = Calendar.from_ical(ics_part.get_payload(decode=True))
    event = next(iter(cal.walk("VEVENT")))
    assert str(event["summary"]) == "Actiepunt: Pestprotocol herzien"
    assert event.decoded("dtstart") == date(2026, 11, 1)


def test_reminders_come_on_their_days_and_an_overdue_nudge_once(
    db: Database,
    session: Session,
    decks: dict[str, Deck],
    mail_settings: Settings,
    transport: SmtpTransport,
    smtp: tuple[Inbox, int],
) -> None:
    inbox, _port = smtp
    school_team(session, decks)
    run(db, mail_settings, transport, NOW)
    inbox.messages.clear()

    def subjects_on(day: date) -> list[str]:
        inbox.messages.clear()
        run(db, mail_settings, transport, datetime.combine(day, NOW.timetz()))
        return sorted(str(m["Subject"]) for m in inbox.messages)

    assert subjects_on(date(2026, 9, 16)) == []  # Ahmed's 1 October is 15 days away
    assert subjects_on(date(2026, 9, 17)) == [
        "Herinnering: Ouderavond plannen, uiterlijk 1 oktober 2026"
    ]
    assert subjects_on(date(2026, 9, 18)) == []
    assert subjects_on(date(2026, 9, 29)) == [
        "Herinnering: Ouderavond plannen, uiterlijk 1 oktober 2026"
    ]
    assert subjects_on(date(2026, 10, 1)) == []
    assert subjects_on(date(2026, 10, 2)) == ["Over de datum: Ouderavond plannen"]
    assert subjects_on(date(2026, 10, 3)) == []
    # A week after the nudge: one digest, then none again that week.
    assert subjects_on(date(2026, 10, 9)) == ["Je actiepunten die over de datum zijn"]
    assert subjects_on(date(2026, 10, 10)) == []


def test_a_crash_between_claim_and_send_is_retried_once_the_claim_is_stale(
    db: Database,
    session: Session,
    decks: dict[str, Deck],
    mail_settings: Settings,
    transport: SmtpTransport,
    smtp: tuple[Inbox, int],
) -> None:
    inbox, _port = smtp
    user = make_user(session)
    workshop = make_workshop(session, owner=user, decks=decks)
    make_item(session, workshop=workshop, owner_name="Sanne", owner_email="sanne@school.example")
    session.commit()
    from app.services.mail_planner import plan

    with db.writing() as s:
        assert plan(session=s, today=TODAY, now=NOW) == 1
        # A worker claims the row and dies before sending.
        claimed = mail_outbox.claim(session=s, now=NOW, stale_before=NOW - timedelta(minutes=10))
        assert claimed is not None
    run(db, mail_settings, transport, NOW + timedelta(minutes=5))
    assert inbox.messages == []  # the claim is still fresh: nobody else sends it
    run(db, mail_settings, transport, NOW + timedelta(minutes=11))
    assert len(inbox.messages) == 1
    run(db, mail_settings, transport, NOW + timedelta(minutes=30))
    assert len(inbox.messages) == 1


def test_a_refused_send_backs_off_then_gives_up_and_the_console_shows_it(
    db: Database,
    session: Session,
    decks: dict[str, Deck],
    mail_settings: Settings,
    transport: SmtpTransport,
    smtp: tuple[Inbox, int],
) -> None:
    inbox, _port = smtp
    inbox.refuse = True
    settings = mail_settings.model_copy(update={"mail_max_tries": 3})
    user = make_user(session)
    workshop = make_workshop(session, owner=user, decks=decks)
    make_item(session, workshop=workshop, owner_name="Sanne", owner_email="sanne@school.example")
    session.commit()
    run(db, settings, transport, NOW)
    with db.reading() as s:
        row = s.exec(select(MailOutbox)).one()
        assert row.attempts == 1 and row.failed_at is None
        assert row.send_after == NOW + timedelta(minutes=1)
        assert "550" in (row.last_error or "")
    run(db, settings, transport, NOW + timedelta(seconds=30))  # not yet due again
    with db.reading() as s:
        assert s.exec(select(MailOutbox)).one().attempts == 1
    run(db, settings, transport, NOW + timedelta(minutes=1))
    run(db, settings, transport, NOW + timedelta(minutes=3))
    with db.reading() as s:
        row = s.exec(select(MailOutbox)).one()
        assert row.attempts == 3 and row.failed_at is not None
        view = console_mail(session=s, workshop=workshop, enabled=True)
    assert [(f.kind, f.to, f.attempts) for f in view.failures] == [
        (MailKind.assignment, "sanne@school.example", 3)
    ]
    inbox.refuse = False
    run(db, settings, transport, NOW + timedelta(days=1))
    assert inbox.messages == []  # given up means given up


def test_facilitators_get_a_summary_before_the_check_in(
    db: Database,
    session: Session,
    decks: dict[str, Deck],
    mail_settings: Settings,
    transport: SmtpTransport,
    smtp: tuple[Inbox, int],
) -> None:
    inbox, _port = smtp
    workshop = school_team(session, decks)
    set_dates(
        session=session,
        publisher=RecordingPublisher(),
        workshop=workshop,
        start_date=date(2026, 9, 1),
        checkin_date=date(2027, 2, 1),
        review_date=date(2027, 6, 20),
    )
    session.commit()
    run(db, mail_settings, transport, NOW)
    inbox.messages.clear()
    run(db, mail_settings, transport, datetime(2027, 1, 20, 8, tzinfo=UTC))
    assert not any("Tussentijdse" in str(m["Subject"]) for m in inbox.messages)
    run(db, mail_settings, transport, datetime(2027, 1, 25, 8, tzinfo=UTC))
    summary = [m for m in inbox.messages if "Tussentijdse" in str(m["Subject"])]
    assert [str(m["To"]) for m in summary] == ["begeleider@example.nl"]
    body = summary[0].get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Op 1 februari 2027 is de tussentijdse check" in text
    for title in ("Pestprotocol herzien", "Ouderavond plannen", "Mentorlessen"):
        assert title in text
    assert f"https://agenda.school.example/workshops/{workshop.id}/agenda" in text


def test_of_two_workers_that_saw_the_same_row_only_one_claims_it(
    db: Database, session: Session, decks: dict[str, Deck]
) -> None:
    from app.services.mail_planner import plan

    user = make_user(session)
    workshop = make_workshop(session, owner=user, decks=decks)
    make_item(session, workshop=workshop, owner_name="Sanne", owner_email="sanne@school.example")
    session.commit()
    stale = NOW - timedelta(minutes=10)
    with db.write_session() as first, db.write_session() as second:
        plan(session=first, today=TODAY, now=NOW)
        # Both look before either claims (one at a time: SQLite has one writer).
        seen_first = mail_outbox.due_ids(session=first, now=NOW, stale_before=stale)
        first.commit()
        seen_second = mail_outbox.due_ids(session=second, now=NOW, stale_before=stale)
        second.commit()
        assert seen_first == seen_second and len(seen_first) == 1
        row_id = seen_first[0]
        won = mail_outbox.take(session=first, row_id=row_id, now=NOW, stale_before=stale)
        first.commit()
        lost = mail_outbox.take(session=second, row_id=row_id, now=NOW, stale_before=stale)
    assert won is not None and won.attempts == 1
    assert lost is None
