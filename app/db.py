"""Engines and sessions: SQLite in WAL mode with IMMEDIATE write transactions, or PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, create_engine

_IMMEDIATE = "gk_sqlite_immediate"
# How long a WAL checkpoint after erasing waits for readers to finish.
CHECKPOINT_WAIT_MS = 2000


def _sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url.endswith(":memory:"):
        return None
    return Path(url[len(prefix) :])


def make_engine(url: str) -> Engine:
    """Create the engine for a database URL, with the pragmas and pool this app relies on."""
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how a transaction starts.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=15000")
        # Deleted and overwritten content is zeroed, not left in free pages of the file.
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that later writes can fail at once with "database is
        # locked" when another writer got in first; IMMEDIATE takes the write lock up
        # front and waits its turn under busy_timeout instead.
        if conn.get_execution_options().get(_IMMEDIATE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def checkpoint_wal(session: Session) -> None:
    """After erasing people's words on SQLite: copy the WAL into the database file and empty
    it, so the erased text does not linger there until some later checkpoint. Outside any
    transaction, on a connection of its own; best effort while readers hold old snapshots."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return
    engine = bind if isinstance(bind, Engine) else bind.engine
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        # Waits for readers still on an older snapshot, but not for long: the facilitator
        # who deletes is waiting for the page. A later checkpoint copies what is left.
        cur.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.close()
    finally:
        raw.close()


class Database:
    """The ways into the database: a write session, a read-only session, and for a request
    that changes something a session that writes first and reads afterwards."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._write_engine = self.engine.execution_options(**{_IMMEDIATE: True})
        # Called as each write transaction begins (on SQLite: takes the write lock); tests
        # set it to prove that a page or an export never begins one.
        self.on_write_begin: Callable[[], None] | None = None
        event.listen(self.engine, "begin", self._write_begins)
        # SQLite has one writer at a time. Threads of this process queue here and are woken
        # the moment the writer before them commits; left to SQLite's busy handler they
        # sleep in steps of up to 100 ms, which capped a busy room at well under 100 answers
        # a second. Other processes still wait under busy_timeout.
        self._write_lock: threading.RLock | None = (
            threading.RLock() if url.startswith("sqlite") else None
        )

    def write_session(self) -> Session:
        return Session(self._write_engine, expire_on_commit=False)

    def read_session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def request_session(self) -> Session:
        """For a request that changes something. Its first transaction is a write transaction
        (on SQLite IMMEDIATE: the write lock from its first statement), so the service's reads
        and writes happen under the lock, as in write_session; once that transaction ends
        (the service commits, or gives up) every later one only reads, so rendering the
        response holds no lock. One write per request: the route calls one service."""
        session = Session(self._write_engine, expire_on_commit=False)
        engine = self.engine

        def read_from_now_on(session: Session, transaction: SessionTransaction) -> None:
            if transaction.parent is None:
                session.bind = engine

        event.listen(session, "after_transaction_end", read_from_now_on)
        return session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        if self._write_lock is None:
            with self.write_session() as session:
                yield session
            return
        with self._write_lock, self.write_session() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.read_session() as session:
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read session whose statements all see one snapshot: on PostgreSQL REPEATABLE READ
        (READ COMMITTED gives each statement its own), on SQLite its one transaction."""
        with self.read_session() as session:
            if not self.url.startswith("sqlite"):
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            yield session

    def _write_begins(self, conn: Any) -> None:
        if self.on_write_begin is not None and conn.get_execution_options().get(_IMMEDIATE):
            self.on_write_begin()

    def dispose(self, *, wait: float = 5.0) -> None:
        """Close the pool, first giving work still in a worker thread time to give back its
        connection: a connection checked out while the pool closes would be left open."""
        deadline = time.monotonic() + wait
        checkedout = getattr(self.engine.pool, "checkedout", None)
        while callable(checkedout) and checkedout() > 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        self.engine.dispose()
