"""The `gesprekskaarten` command: accounts, deck checks, and the database."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from app import backup
from app.config import get_settings
from app.db import Database
from app.decks import CARDS_DIR, DeckError, load_decks
from app.events import NullPublisher
from app.mail_transport import transport_from
from app.services import accounts, mail_outbox, privacy
from app.services.errors import DomainError
from app.services.grouping.lexicon import LEXICON_PATH, LexiconError, load_lexicon

log = logging.getLogger("gesprekskaarten")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def cmd_users_create(args: argparse.Namespace) -> int:
    password = args.password or getpass.getpass("Wachtwoord: ")
    db = Database(get_settings().database_url)
    try:
        with db.writing() as session:
            user = accounts.create_user(session=session, email=args.email, password=password)
    except DomainError as exc:
        _err(f"error: {exc.message}")
        return 1
    finally:
        db.dispose()
    _out(f"created facilitator account {user.email} (id {user.id})")
    return 0


def cmd_users_password(args: argparse.Namespace) -> int:
    """A new password; it ends every session and API token of the account."""
    password = args.password or getpass.getpass("Nieuw wachtwoord: ")
    db = Database(get_settings().database_url)
    try:
        with db.writing() as session:
            user = accounts.find_user_by_email(session=session, email=args.email)
            if user is None:
                _err("error: Er is geen account met dit e-mailadres.")
                return 1
            accounts.change_password(
                session=session, publisher=NullPublisher(), user=user, password=password
            )
    except DomainError as exc:
        _err(f"error: {exc.message}")
        return 1
    finally:
        db.dispose()
    _out(f"new password set for {args.email}; every session of the account has ended")
    return 0


def cmd_decks_check(args: argparse.Namespace) -> int:
    directory = Path(args.directory) if args.directory else (get_settings().cards_dir or CARDS_DIR)
    try:
        decks = load_decks(directory)
    except DeckError as exc:
        _err(f"error: {exc}")
        return 1
    for deck in decks.values():
        prompts = sum(len(t.prompts) for t in deck.themes)
        _out(f"ok  {deck.slug}: {len(deck.themes)} themes, {prompts} prompts")
    try:
        lexicon = load_lexicon()
    except (LexiconError, OSError) as exc:
        _err(f"error: {exc}")
        return 1
    terms = sum(len(c.terms) for c in lexicon.concepts)
    _out(f"ok  lexicon/{LEXICON_PATH.name}: {len(lexicon.concepts)} concepts, {terms} terms")
    return 0


def cmd_migrate(_args: argparse.Namespace) -> int:
    from alembic import command
    from alembic.config import Config

    root = Path(__file__).resolve().parent.parent
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    command.upgrade(config, "head")
    return 0


def _sqlite_file() -> Path | None:
    path = backup.sqlite_path(get_settings().database_url)
    if path is None:
        _out(backup.PG_GUIDANCE)
    return path


def cmd_backup(args: argparse.Namespace) -> int:
    database = _sqlite_file()
    if database is None:
        return 1
    try:
        backup.backup(database, Path(args.path), force=args.force)
    except backup.BackupError as exc:
        _err(f"error: {exc}")
        return 1
    _out(f"backed up {database} to {args.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    database = _sqlite_file()
    if database is None:
        return 1
    try:
        backup.restore(Path(args.path), database, force=args.force)
    except backup.BackupError as exc:
        _err(f"error: {exc}")
        return 1
    _out(f"restored {database} from {args.path}; run `gesprekskaarten migrate` if it is older")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    today = date.fromisoformat(args.today) if args.today else date.today()
    db = Database(get_settings().database_url)
    try:
        with db.writing() as session:
            if args.dry_run:
                due = privacy.due_for_purge(session=session, today=today)
                for workshop in due:
                    _out(f"would purge workshop {workshop.id} ({workshop.title})")
                _out(f"{len(due)} workshop(s) past their retention")
                return 0
            done = privacy.purge_expired(session=session, publisher=NullPublisher(), today=today)
    finally:
        db.dispose()
    for item in done:
        _out(f"purged workshop {item.workshop_id} ({item.title}), due {item.due.isoformat()}")
    _out(f"{len(done)} workshop(s) purged")
    return 0


def cmd_mail_run_once(args: argparse.Namespace) -> int:
    settings = get_settings()
    transport = transport_from(settings)
    if transport is None:
        _out("mail is off: set SMTP_URL and MAIL_FROM (docs/mail.md)")
        return 0
    now = datetime.fromisoformat(args.now) if args.now else None
    db = Database(settings.database_url)
    try:
        result = mail_outbox.run_once(db=db, settings=settings, transport=transport, now=now)
    finally:
        db.dispose()
    _out(
        f"planned {result.planned}, sent {result.sent}, retrying {result.retried}, "
        f"failed {result.failed}, skipped {result.skipped}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gesprekskaarten", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    users = sub.add_parser("users", help="facilitator accounts").add_subparsers(
        dest="users_command", required=True
    )
    create = users.add_parser("create", help="create a facilitator account")
    create.add_argument("--email", required=True)
    create.add_argument("--password", help="asked for when left out")
    create.set_defaults(func=cmd_users_create)
    password = users.add_parser("password", help="set a new password (ends every session)")
    password.add_argument("--email", required=True)
    password.add_argument("--password", help="asked for when left out")
    password.set_defaults(func=cmd_users_password)

    decks = sub.add_parser("decks", help="card decks").add_subparsers(
        dest="decks_command", required=True
    )
    check = decks.add_parser("check", help="validate every deck in cards/ and the grouping lexicon")
    check.add_argument("--directory", help="another directory of decks")
    check.set_defaults(func=cmd_decks_check)

    migrate = sub.add_parser("migrate", help="apply database migrations (alembic upgrade head)")
    migrate.set_defaults(func=cmd_migrate)

    save = sub.add_parser("backup", help="copy the SQLite database to PATH (safe while running)")
    save.add_argument("path")
    save.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    save.set_defaults(func=cmd_backup)

    load = sub.add_parser("restore", help="replace the SQLite database with the backup at PATH")
    load.add_argument("path")
    load.add_argument("--force", action="store_true", help="replace an existing database")
    load.set_defaults(func=cmd_restore)

    purge = sub.add_parser(
        "purge", help="erase answers, reactions and names of workshops past their retention"
    )
    purge.add_argument("--dry-run", action="store_true", help="only list what would be purged")
    purge.add_argument("--today", help="act as if it were this day (YYYY-MM-DD)")
    purge.set_defaults(func=cmd_purge)

    mail = sub.add_parser("mail", help="e-mail to trekkers and facilitators").add_subparsers(
        dest="mail_command", required=True
    )
    once = mail.add_parser("run-once", help="plan and send the mail that is due, once (for cron)")
    once.add_argument("--now", help="act as if it were this moment (ISO 8601 with zone)")
    once.set_defaults(func=cmd_mail_run_once)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
