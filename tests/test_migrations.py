"""The Alembic migrations: one line of history that builds exactly the models' schema, keeps
old rows, and goes down again; plus the data migrations' own rules.

`database_url` is an empty SQLite file, or an empty PostgreSQL schema under
TEST_DATABASE=postgresql (`make test` runs both).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.db import make_engine

ROOT = Path(__file__).resolve().parent.parent
INITIAL = "cad4f17ee592"
# The last revision before flagged answers could be held for review.
BEFORE_HELD = "b1c4e9a2d7f0"
OLD_USER = (
    'INSERT INTO "user" (id, email, password_hash, created_at) '
    "VALUES (1, 'a@example.nl', 'x', CURRENT_TIMESTAMP)"
)


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    return config


def old_workshop(status: str) -> str:
    return (
        "INSERT INTO workshop (id, title, deck_slug, kind, school_year, owner_id, "
        "join_code, status, seq, created_at) VALUES (1, 'Oud', 'd', 'regional', "
        f"'2025-2026', 1, 'ABC2345', '{status}', 0, CURRENT_TIMESTAMP)"
    )


def test_the_migrations_form_one_line_of_history() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, f"several heads: {script.get_heads()}"
    assert script.get_bases() == [INITIAL]


def test_upgrade_from_empty_matches_the_models_and_fills_old_rows(database_url: str) -> None:
    config = alembic_config(database_url)
    command.upgrade(config, INITIAL)
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(OLD_USER))
            conn.execute(text(old_workshop("lobby")))
        command.upgrade(config, "head")
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT anonymous, locked, retention_days, purged_at FROM workshop")
            ).one()
            assert (bool(row[0]), bool(row[1]), row[2], row[3]) == (False, False, 90, None)
            assert set(SQLModel.metadata.tables) <= set(inspect(conn).get_table_names())
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            drift = compare_metadata(context, SQLModel.metadata)
        assert drift == [], f"models and migrations differ: {drift}"
        command.downgrade(config, INITIAL)
        with engine.connect() as conn:
            columns = list(conn.execute(text("SELECT * FROM workshop")).keys())
            assert "retention_days" not in columns
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    config = alembic_config(database_url)
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


def test_flagged_answers_on_unrevealed_prompts_are_held(database_url: str) -> None:
    """What a past meeting already showed stays shown; flagged answers not seen yet are held."""
    config = alembic_config(database_url)
    command.upgrade(config, BEFORE_HELD)
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(OLD_USER))
            conn.execute(text(old_workshop("running")))
            for prompt_id, revealed in ((1, True), (2, False)):
                conn.execute(
                    text(
                        "INSERT INTO workshopprompt (id, workshop_id, position, theme_number, "
                        "theme_title, deck_prompt_id, text, kind, source, is_wie_aan_zet, phase, "
                        "revealed) "
                        f"VALUES ({prompt_id}, 1, {prompt_id}, 1, 'T', 'p{prompt_id}', 'Vraag', "
                        f"'open', 'deck', false, 'closed', {'true' if revealed else 'false'})"
                    )
                )
            conn.execute(
                text(
                    "INSERT INTO participant (id, workshop_id, token_hash, domain, joined_at, "
                    "connections) VALUES (1, 1, 'h', 'anders', CURRENT_TIMESTAMP, 0)"
                )
            )
            rows = [(1, 1, "phone"), (2, 2, "phone"), (3, 2, None)]
            for answer_id, prompt_id, reasons in rows:
                flag = "NULL" if reasons is None else f"'{reasons}'"
                conn.execute(text(
                    "INSERT INTO answer (id, workshop_id, prompt_id, participant_id, "
                    "idempotency_key, text, hidden, withdrawn, pii_reasons, created_at, "
                    f"updated_at) VALUES ({answer_id}, 1, {prompt_id}, 1, 'k{answer_id}', 'x', "
                    f"false, false, {flag}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ))  # fmt: skip
        command.upgrade(config, "head")
        with engine.connect() as conn:
            held = dict(conn.execute(text("SELECT id, held FROM answer ORDER BY id")).all())
        # Shown before (revealed prompt): stays shown. Not yet seen: held. Unflagged: not held.
        assert {k: bool(v) for k, v in held.items()} == {1: False, 2: True, 3: False}
    finally:
        engine.dispose()
