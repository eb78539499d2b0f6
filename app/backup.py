"""Backup and restore of a SQLite database with sqlite3's online backup API.

The backup API copies page by page under SQLite's own locking, so both work while the
server runs: a backup sees one consistent moment, and a restore is one transaction that
the server's next query sees whole. PostgreSQL has its own tools (see PG_GUIDANCE).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

# The tables a database must hold to be one of ours.
REQUIRED_TABLES = frozenset(
    {"user", "workshop", "workshopprompt", "participant", "answer", "reaction"}
)

PG_GUIDANCE = """\
This database is PostgreSQL: use PostgreSQL's own tools, which also work while the server runs.

  Backup:   pg_dump --format=custom --file=gesprekskaarten.dump "$DATABASE_URL"
  Restore:  pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" gesprekskaarten.dump
  Then:     gesprekskaarten migrate

Keep dumps encrypted and as short as the retention periods allow: they hold answers and names.
"""


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, in English."""


def sqlite_path(database_url: str) -> Path | None:
    """The file of a sqlite:/// URL; None for any other database."""
    prefix = "sqlite:///"
    if not database_url.startswith(prefix) or database_url.endswith(":memory:"):
        return None
    return Path(database_url[len(prefix) :])


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=15)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def check_database(path: Path) -> None:
    """Raise BackupError unless `path` is an intact SQLite file with our tables."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be opened: {exc}") from None
    try:
        with contextlib.closing(conn.cursor()) as cur:
            (result,) = cur.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in cur.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database: {exc}") from None
    finally:
        conn.close()
    if result != "ok":
        raise BackupError(f"{path} is damaged: {result}")
    missing = REQUIRED_TABLES - tables
    if missing:
        raise BackupError(
            f"{path} is not a Gesprekskaarten database (no {', '.join(sorted(missing))})"
        )


def backup(database: Path, target: Path, *, force: bool = False) -> None:
    """Copy the live database to `target`, consistently, while the server may run."""
    check_database(database)
    if target.exists() and not force:
        raise BackupError(f"{target} exists; pass --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    # Created readable by its owner only before a byte is copied: a backup holds every answer.
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    _copy(database, target)
    check_database(target)


def restore(backup_file: Path, database: Path, *, force: bool = False) -> None:
    """Replace the database's contents with the backup's; refuses to overwrite unless forced."""
    check_database(backup_file)
    if database.exists() and database.stat().st_size > 0 and not force:
        raise BackupError(f"{database} exists; pass --force to replace its contents")
    database.parent.mkdir(parents=True, exist_ok=True)
    _copy(backup_file, database)
