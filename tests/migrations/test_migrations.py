"""Alembic: upgrade an empty database to head, with no drift from the models."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.db import make_engine

ROOT = Path(__file__).resolve().parents[2]


def _config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    return config


def test_the_migrations_form_one_line_of_history() -> None:
    script = ScriptDirectory.from_config(_config("sqlite://"))
    assert len(script.get_heads()) == 1, f"several heads: {script.get_heads()}"
    assert len(script.get_bases()) == 1


def test_upgrade_on_an_empty_database_matches_the_models(database_url: str) -> None:
    # `database_url` is an empty SQLite file or an empty PostgreSQL schema.
    url = database_url
    command.upgrade(_config(url), "head")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            assert set(SQLModel.metadata.tables) <= tables
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            drift = compare_metadata(context, SQLModel.metadata)
        assert drift == [], f"models and migrations differ: {drift}"
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    config = _config(database_url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            left = set(inspect(conn).get_table_names()) - {"alembic_version"}
        assert left == set()
    finally:
        engine.dispose()
    command.upgrade(config, "head")
