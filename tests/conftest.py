"""Fixtures: every test gets its own fresh database (a SQLite file, or a PostgreSQL schema)."""

from __future__ import annotations

import contextlib
import gc
import os
import re
import secrets
import socket
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text
from sqlmodel import Session, SQLModel
from starlette.testclient import WebSocketTestSession
from starlette.types import Message

import app.models  # noqa: F401
from app.config import Settings
from app.db import Database
from app.decks import Deck, load_decks
from app.main import create_app
from tests.factories import RecordingPublisher

if TYPE_CHECKING:
    from tests.live.helpers import PhoneRoom

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
BACKEND = os.environ.get("TEST_DATABASE", "sqlite")

# Property tests: the same examples on every run (CI must not flake), no example database.
# HYPOTHESIS_PROFILE=explore draws new examples each run, to hunt for bugs by hand.
hypothesis_settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile("explore", parent=hypothesis_settings.get_profile("ci"),
                                     derandomize=False)  # fmt: skip
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# A test waiting for a push that never comes must fail with a message, not hang: Starlette's
# test socket waits forever, so every receive here gets a deadline.
RECEIVE_DEADLINE = float(os.environ.get("TEST_RECEIVE_DEADLINE", "20"))


def _receive_within_deadline(self: WebSocketTestSession) -> Message:
    async def receive() -> Message:
        with anyio.fail_after(RECEIVE_DEADLINE):
            return await self._send_rx.receive()

    try:
        return self.portal.call(receive)
    except TimeoutError:
        raise AssertionError(f"no websocket message within {RECEIVE_DEADLINE:g} s") from None


WebSocketTestSession.receive = _receive_within_deadline  # type: ignore[method-assign]


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip visibly when a service is down, but never in CI: there it must be up."""
    if reachable(host, port):
        return
    if os.environ.get("CI"):
        pytest.fail(f"{name} at {host}:{port} is unreachable, and CI needs it")
    pytest.skip(f"{name} at {host}:{port} is unreachable (set CI to make this a failure)")


@contextlib.contextmanager
def fresh_database_url(directory: Path) -> Iterator[str]:
    """A new empty database: a SQLite file in `directory`, or a PostgreSQL schema."""
    if BACKEND == "sqlite":
        yield f"sqlite:///{directory}/test.db"
        return
    require_service("PostgreSQL", "127.0.0.1", 5432)
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://"))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    with fresh_database_url(tmp_path) as url:
        yield url


def make_settings(database_url: str, data_dir: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        secret_key="test-" + secrets.token_hex(16),
        data_dir=data_dir,
        push_tick_seconds=0.01,
    )


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    SQLModel.metadata.create_all(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.write_session() as s:
        yield s


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher()


@pytest.fixture(scope="session")
def decks() -> dict[str, Deck]:
    return load_decks()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path / "data")


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    """The real app over the test database, lifespan and all."""
    with TestClient(create_app(settings), base_url="http://testserver") as c:
        yield c


@pytest.fixture
def phone_room(client: TestClient) -> Iterator[PhoneRoom]:
    """The shared "room with a connected phone" (tests/live/helpers.py: room_with_phone)."""
    # Imported here: the helpers import csrf_of from this module.
    from tests.live.helpers import room_with_phone

    with room_with_phone(client) as room:
        yield room


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
        r'"X-CSRF-Token": "([^"]+)"', html
    )
    assert match, "page carries no CSRF token"
    return match.group(1)


@pytest.fixture(autouse=True)
def _collect_garbage() -> Iterator[None]:
    """A leaked connection warns when it is collected: collect now, so the leaking test fails."""
    yield
    gc.collect()


# `pytest -m "not slow"` is the quick loop (README); `make test` still runs everything. Marked
# here by folder and marker, so a new browser, fault or scale-out test is slow without anyone
# remembering to say so; a single subprocess test elsewhere carries @pytest.mark.slow itself.
_SLOW_FOLDERS = ("browser", "faults", "scaleout")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests_dir = Path(__file__).resolve().parent
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # xdist schedules by node id: tests that share one (schemathesis gives each API
        # operation its test's id) would silently run once. The Makefile runs them apart.
        seen = Counter(item.nodeid for item in items)
        repeated = sorted(nodeid for nodeid, n in seen.items() if n > 1)
        if repeated:
            raise pytest.UsageError(f"run these without -n (their node ids repeat): {repeated}")
    for item in items:
        folder = (
            item.path.relative_to(tests_dir).parts[0] if item.path.is_relative_to(tests_dir) else ""
        )
        if folder in _SLOW_FOLDERS or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
