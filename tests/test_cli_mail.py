"""`gesprekskaarten mail run-once` as cron runs it: two at once send every message once."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from app.config import Settings
from app.db import Database
from app.decks import Deck
from app.mail_transport import SmtpTransport, parse_smtp_url
from app.services import mail_outbox
from tests.factories import make_item, make_user, make_workshop
from tests.support.smtp_server import self_signed, smtp_server

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # two real processes
def test_two_processes_at_once_send_each_message_once(
    db: Database, session: Session, decks: dict[str, Deck], settings: Settings, tmp_path: Path
) -> None:
    user = make_user(session)
    workshop = make_workshop(session, owner=user, decks=decks)
    for n in range(12):
        make_item(
            session,
            workshop=workshop,
            title=f"Actie {n}",
            owner_name=f"Trekker {n}",
            due_date=date(2026, 12, 1),
            owner_email=f"t{n}@school.example",
        )
    session.commit()
    with smtp_server() as (inbox, port):
        env = {
            **os.environ,
            "DATABASE_URL": db.url,
            "SECRET_KEY": settings.secret_key or "",
            "SMTP_URL": f"smtp://127.0.0.1:{port}",
            "MAIL_FROM": "agenda@school.example",
            "DATA_DIR": str(tmp_path),
        }
        command = [
            sys.executable,
            "-m",
            "app.cli",
            "mail",
            "run-once",
            "--now",
            "2026-09-01T08:00:00+00:00",
        ]
        procs = [
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=90)[0] for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outputs
        to = sorted(str(m["To"]) for m in inbox.messages)
        assert to == sorted(f"t{n}@school.example" for n in range(12)), outputs
        # And a third pass, as after a restart, finds nothing left to send.
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        assert len(inbox.messages) == 12


def test_starttls_is_used_when_the_server_offers_it(
    db: Database, session: Session, decks: dict[str, Deck], settings: Settings, tmp_path: Path
) -> None:
    import ssl

    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    user = make_user(session)
    workshop = make_workshop(session, owner=user, decks=decks)
    make_item(session, workshop=workshop, owner_name="Sanne", owner_email="sanne@school.example")
    session.commit()
    with smtp_server(tls_context=context) as (inbox, port):
        mail = settings.model_copy(
            update={"smtp_url": f"smtp://127.0.0.1:{port}", "mail_from": "agenda@school.example"}
        )
        transport = SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{port}"), ca_file=cert)
        result = mail_outbox.run_once(db=db, settings=mail, transport=transport)
        assert result.sent == 1
        assert inbox.tls_seen == [True]
