"""`gesprekskaarten backup`, `restore` and `purge` on real SQLite files."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from app.cli import main
from app.config import get_settings
from app.db import Database
from app.decks import load_decks
from app.models import Answer, User, Workshop
from tests.factories import make_participant, make_user, make_workshop, open_first_prompt
from tests.services.test_privacy import answered


@pytest.fixture
def use_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the command line's settings at DATABASE_URL as set by the test."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
    monkeypatch.delenv("DATABASE_URL", raising=False)


def migrated(path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    assert main(["migrate"]) == 0
    return Database(url)


def emails(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT email FROM user ORDER BY email")]


def test_backup_while_a_write_is_open_holds_the_committed_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_database: None
) -> None:
    db = migrated(tmp_path / "live.db", monkeypatch)
    with db.writing() as session:
        make_user(session, email="eerste@example.nl")
    try:
        # The server is mid-transaction: holding the write lock, not yet committed.
        with db.writing() as busy:
            busy.add(User(email="half@example.nl", password_hash="x"))
            busy.flush()
            assert main(["backup", str(tmp_path / "copy.db")]) == 0
            busy.commit()
    finally:
        db.dispose()
    assert emails(tmp_path / "copy.db") == ["eerste@example.nl"]
    # A second backup to the same file needs --force.
    assert main(["backup", str(tmp_path / "copy.db")]) == 1
    assert main(["backup", "--force", str(tmp_path / "copy.db")]) == 0
    assert emails(tmp_path / "copy.db") == ["eerste@example.nl", "half@example.nl"]
    # Every answer is in it: readable by its owner only, whatever the umask.
    assert (tmp_path / "copy.db").stat().st_mode & 0o777 == 0o600


def test_restore_refuses_to_overwrite_without_force_then_replaces_the_contents(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    use_database: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = migrated(tmp_path / "live.db", monkeypatch)
    try:
        with db.writing() as session:
            make_user(session, email="toen@example.nl")
        assert main(["backup", str(tmp_path / "copy.db")]) == 0
        with db.writing() as session:
            make_user(session, email="later@example.nl")

        assert main(["restore", str(tmp_path / "copy.db")]) == 1
        assert "--force" in capsys.readouterr().err
        assert emails(tmp_path / "live.db") == ["later@example.nl", "toen@example.nl"]

        assert main(["restore", "--force", str(tmp_path / "copy.db")]) == 0
        # The running app's engine sees the restored database at its next query.
        with db.reading() as session:
            assert [u.email for u in session.exec(select(User)).all()] == ["toen@example.nl"]
    finally:
        db.dispose()


def test_restore_refuses_files_that_are_not_our_database(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    use_database: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    migrated(tmp_path / "live.db", monkeypatch).dispose()
    before = (tmp_path / "live.db").read_bytes()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database at all" * 100)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.close()
    for path, why in [
        (garbage, "not a SQLite database"),
        (other, "not a Gesprekskaarten database"),
        (tmp_path / "missing.db", "does not exist"),
    ]:
        assert main(["restore", "--force", str(path)]) == 1
        assert why in capsys.readouterr().err
    assert (tmp_path / "live.db").read_bytes() == before


def test_restore_onto_a_fresh_machine_needs_no_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_database: None
) -> None:
    db = migrated(tmp_path / "old.db", monkeypatch)
    with db.writing() as session:
        make_user(session, email="oud@example.nl")
    db.dispose()
    assert main(["backup", str(tmp_path / "copy.db")]) == 0
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/new/fresh.db")
    get_settings.cache_clear()
    assert main(["restore", str(tmp_path / "copy.db")]) == 0
    assert emails(tmp_path / "new" / "fresh.db") == ["oud@example.nl"]


def test_postgresql_gets_guidance_instead(
    monkeypatch: pytest.MonkeyPatch, use_database: None, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    get_settings.cache_clear()
    for command in (["backup", "x.dump"], ["restore", "x.dump"]):
        assert main(command) == 1
        out = capsys.readouterr().out
        assert "pg_dump --format=custom" in out
        assert "pg_restore --clean" in out


def test_purge_on_the_command_line_with_a_given_day(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    use_database: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = migrated(tmp_path / "live.db", monkeypatch)
    decks = load_decks()
    try:
        with db.writing() as session:
            owner = make_user(session)
            workshop = make_workshop(session, owner=owner, decks=decks, school_year="2025-2026")
            answered(session, workshop)
            empty = make_workshop(session, owner=owner, decks=decks, school_year="2026-2027")
            open_first_prompt(session, empty)
            make_participant(session, workshop=empty)
        # 31 July 2026 + 90 days: kept through 29 October.
        assert main(["purge", "--today", "2026-10-29"]) == 0
        assert "0 workshop(s) purged" in capsys.readouterr().out
        assert main(["purge", "--dry-run", "--today", "2026-10-30"]) == 0
        assert "1 workshop(s) past their retention" in capsys.readouterr().out
        with db.reading() as session:
            assert len(session.exec(select(Answer)).all()) == 2
        assert main(["purge", "--today", "2026-10-30"]) == 0
        assert f"purged workshop {workshop.id}" in capsys.readouterr().out
        with db.reading() as session:
            assert session.exec(select(Answer)).all() == []
            kept = session.get(Workshop, workshop.id)
            assert kept is not None and kept.purged_at is not None
    finally:
        db.dispose()
