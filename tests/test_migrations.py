"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.db import make_engine
from tests.conftest import PG_URL, require_service

ROOT = Path(__file__).resolve().parent.parent
INITIAL = "cad4f17ee592"


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    return config


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/fresh.db"
        return
    require_service("PostgreSQL", "127.0.0.1", 5432)
    schema = f"m_{secrets.token_hex(6)}"
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://"))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def test_upgrade_from_empty_matches_the_models_and_fills_old_rows(empty_database: str) -> None:
    config = alembic_config(empty_database)
    command.upgrade(config, INITIAL)
    engine = make_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    'INSERT INTO "user" (id, email, password_hash, created_at) '
                    "VALUES (1, 'a@example.nl', 'x', CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO workshop (id, title, deck_slug, kind, school_year, owner_id, "
                    "join_code, status, seq, created_at) VALUES (1, 'Oud', 'd', 'regional', "
                    "'2025-2026', 1, 'ABC2345', 'lobby', 0, CURRENT_TIMESTAMP)"
                )
            )
        command.upgrade(config, "heads")
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT anonymous, locked, retention_days, purged_at FROM workshop")
            ).one()
            assert (bool(row[0]), bool(row[1]), row[2], row[3]) == (False, False, 90, None)
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
        command.downgrade(config, INITIAL)
        with engine.connect() as conn:
            columns = list(conn.execute(text("SELECT * FROM workshop")).keys())
            assert "retention_days" not in columns
    finally:
        engine.dispose()
