"""The servers a bench scenario measures: ours on SQLite, two workers on PostgreSQL + Redis."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.bench.scenarios import EMAIL
from tests.serverproc import PASSWORD, AppServer, app_env, run_cli

PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


@contextlib.contextmanager
def sqlite_app(workdir: Path, tick: str | None, name: str) -> Iterator[tuple[AppServer, str]]:
    url = f"sqlite:///{workdir}/{name}.db"
    extra = {"PUSH_TICK_SECONDS": tick} if tick else {}
    env = app_env(url, workdir / "data", **extra)
    run_cli(env, "migrate")
    run_cli(env, "users", "create", "--email", EMAIL, "--password", PASSWORD)
    with AppServer(env, log_path=workdir / f"{name}.log") as server:
        yield server, url


@contextlib.contextmanager
def pg_database() -> Iterator[str]:
    name = f"gk_bench_{secrets.token_hex(4)}"
    admin = create_engine(
        PG_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@contextlib.contextmanager
def two_workers(workdir: Path, tick: str | None) -> Iterator[tuple[list[AppServer], str]]:
    with pg_database() as url:
        extra = {
            "BROADCAST_URL": REDIS_URL,
            "BROADCAST_CHANNEL": f"gk-bench-{secrets.token_hex(4)}",
        }
        if tick:
            extra["PUSH_TICK_SECONDS"] = tick
        env = app_env(url, workdir / "data", **extra)
        run_cli(env, "migrate")
        run_cli(env, "users", "create", "--email", EMAIL, "--password", PASSWORD)
        with (
            AppServer(env, log_path=workdir / "w1.log") as a,
            AppServer(env, log_path=workdir / "w2.log") as b,
        ):
            yield [a, b], url


def reachable(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False
