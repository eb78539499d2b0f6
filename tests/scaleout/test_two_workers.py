"""Two real app processes sharing the real PostgreSQL and Redis: answers cross workers,
a Redis restart mid-session heals, and nothing is duplicated."""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from websockets.sync.client import ClientConnection, connect

from tests.conftest import PG_URL, reachable, require_service
from tests.serverproc import (
    AppServer,
    answer_message,
    app_env,
    create_workshop,
    free_port,
    join,
    log_in,
    prompt_id_in,
    run_cli,
)
from tests.support.oob import Page

pytestmark = pytest.mark.services

# A Redis server of this module's own: the test stops it mid-run, and `make test` runs
# other tests beside it that use the shared one.
REDIS_HOST = "127.0.0.1"
REDIS_PORT = free_port()
EMAIL = "begeleider@example.nl"


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """A database of its own, dropped afterwards (even with the servers still connected)."""
    require_service("PostgreSQL", "127.0.0.1", 5432)
    name = f"gk_scale_{secrets.token_hex(5)}"
    admin = create_engine(
        PG_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def redis_cli(*args: str) -> None:
    subprocess.run(
        ["redis-cli", "-h", REDIS_HOST, "-p", str(REDIS_PORT), *args],
        capture_output=True,
        timeout=10,
        check=False,
    )


def wait_until(condition: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {seconds} s")
        time.sleep(0.05)


def stop_redis() -> None:
    redis_cli("shutdown", "nosave")
    wait_until(lambda: not reachable(REDIS_HOST, REDIS_PORT), seconds=10, what="redis stopped")


def start_redis() -> None:
    """Idempotent: start this module's Redis the way .ci/run starts the shared one."""
    if reachable(REDIS_HOST, REDIS_PORT):
        return
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            REDIS_HOST,
            "--port",
            str(REDIS_PORT),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        capture_output=True,
        timeout=10,
        check=False,
    )
    wait_until(lambda: reachable(REDIS_HOST, REDIS_PORT), seconds=10, what="redis started")


def receive_until(
    ws: ClientConnection,
    predicate: Callable[[str], bool],
    *,
    seconds: float,
    into: Page | None = None,
) -> str:
    """Read pushes until one matches; fail with the last one seen once the deadline passes.
    With `into`, every push read is applied to that page, as htmx would."""
    deadline = time.monotonic() + seconds
    last = ""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no matching push within {seconds} s; last: {last[:400]}")
        try:
            message = ws.recv(timeout=remaining)
        except TimeoutError:
            continue
        assert isinstance(message, str)
        last = message
        if into is not None:
            into.apply(message)
        if predicate(message):
            return message


def answer_ids(console_push: str) -> list[int]:
    return [
        int(i)
        for i in re.findall(r'action="/workshops/\d+/answers/(\d+)/visibility"', console_push)
    ]


def socket(server: AppServer, path: str, cookie: str) -> ClientConnection:
    return connect(
        f"{server.ws_url}{path}", additional_headers={"Cookie": cookie}, compression=None
    )


@pytest.fixture
def own_redis() -> Iterator[str]:
    if shutil.which("redis-server") is None:
        # The shared server's check: fails in CI, skips with the reason elsewhere.
        require_service("Redis (redis-server to start one)", "127.0.0.1", 0)
    start_redis()
    try:
        yield f"redis://{REDIS_HOST}:{REDIS_PORT}/0"
    finally:
        redis_cli("shutdown", "nosave")


def test_answers_cross_workers_and_survive_a_redis_restart(
    fresh_database: str, own_redis: str, tmp_path: Path
) -> None:
    env = app_env(
        fresh_database,
        tmp_path / "data",
        BROADCAST_URL=own_redis,
        # Pub/sub channels are global to a Redis server: this run gets its own.
        BROADCAST_CHANNEL=f"gk-test-{secrets.token_hex(6)}",
        PUSH_TICK_SECONDS="0.01",
    )
    run_cli(env, "migrate")
    run_cli(env, "users", "create", "--email", EMAIL, "--password", "correct horse battery")

    with (
        AppServer(env, log_path=tmp_path / "a.log") as worker_a,
        AppServer(env, log_path=tmp_path / "b.log") as worker_b,
    ):
        facilitator = create_workshop(log_in(worker_a.url, email=EMAIL))
        facilitator.act("start")
        facilitator.act("open")
        facilitator.act("reveal")
        sanne = join(worker_b.url, facilitator.code, name="Sanne")
        ahmed = join(worker_a.url, facilitator.code, name="Ahmed", domain="politie")
        path = f"/ws/workshops/{facilitator.workshop_id}/facilitator"
        with (
            socket(worker_a, path, facilitator.cookie) as console,
            socket(worker_b, f"/ws/w/{facilitator.code}", sanne) as phone_on_b,
            socket(worker_a, f"/ws/w/{facilitator.code}", ahmed) as phone_on_a,
        ):
            # The console's page as htmx builds it: whole fragments, then answers as changes.
            page = Page()
            receive_until(console, lambda m: 'id="console-stage"' in m, seconds=10, into=page)
            receive_until(phone_on_a, lambda m: 'id="participant-stage"' in m, seconds=10)
            form = receive_until(phone_on_b, lambda m: prompt_id_in(m) is not None, seconds=10)
            prompt_id = prompt_id_in(form)
            assert prompt_id is not None

            def submit_on_b(text: str, key: str) -> None:
                phone_on_b.send(answer_message(prompt_id, text, key))
                receive_until(phone_on_b, lambda m: "Verstuurd" in m, seconds=20)

            def seen_on_a(text: str, *, seconds: float = 10) -> str:
                receive_until(phone_on_a, lambda m: text in m, seconds=seconds)
                return receive_until(console, lambda m: text in m, seconds=seconds, into=page)

            submit_on_b("Eerst samen de visie", "scale-key-0001")
            seen_on_a("Eerst samen de visie")

            try:
                stop_redis()
                # Committed on B while no message can reach A: A must catch up on resync.
                submit_on_b("Tijdens de storing", "scale-key-0002")
            finally:
                start_redis()
            seen_on_a("Tijdens de storing", seconds=30)

            submit_on_b("Na het herstel", "scale-key-0003")
            seen_on_a("Na het herstel")
            final = page.html("console-answers") or ""
            assert not page.errors, page.errors
        facilitator.client.close()

        engine = create_engine(fresh_database.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, text FROM answer WHERE prompt_id = :p ORDER BY id"),
                {"p": prompt_id},
            ).all()
        engine.dispose()
    texts = [r.text for r in rows]
    assert texts == ["Eerst samen de visie", "Tijdens de storing", "Na het herstel"]
    ids = answer_ids(final)
    assert sorted(ids) == [r.id for r in rows], "the console shows each stored answer once"
    for answer in texts:
        assert final.count(answer) == 1
